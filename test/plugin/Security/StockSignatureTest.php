<?php
/**
 * Hostile callers of `POST /sync-hub/v1/stock`: forged, stale, replayed, redirected and old-style
 * signatures. Every case asserts the status and that nothing was written.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Security;

use SyncHub\Install\Schema;
use SyncHub\Security\Signature;
use SyncHub\Settings\Settings;
use SyncHub\Tests\TestCase;
use WP_REST_Request;
use WP_REST_Response;

final class StockSignatureTest extends TestCase {

	/** @var int */
	private $product_id = 0;

	protected function setUp(): void {
		parent::setUp();
		$this->assertTrue( function_exists( 'wc_update_product_stock' ), 'the WooCommerce stock double is loaded' );
		$product          = \WC_Product::create_for_test( array( 'name' => 'Signed', 'sku' => 'SIGNED-1', 'manage_stock' => true, 'stock_quantity' => 5 ) );
		$this->product_id = $product->get_id();
		$GLOBALS['synchub_test_stock_writes'] = array();
	}

	protected function tearDown(): void {
		wp_delete_post( $this->product_id, true );
		parent::tearDown();
	}

	private static function body( int $quantity = 42 ): string {
		return (string) wp_json_encode( array( 'items' => array( array( 'sku' => 'SIGNED-1', 'stock_quantity' => $quantity ) ) ) );
	}

	/**
	 * @param string                $body    Raw body.
	 * @param array<string, string> $headers Headers.
	 */
	private function post( string $body, array $headers ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', '/sync-hub/v1/stock' );
		$request->set_header( 'Content-Type', 'application/json' );
		foreach ( $headers as $name => $value ) {
			$request->set_header( $name, $value );
		}
		$request->set_body( $body );
		return rest_get_server()->dispatch( $request );
	}

	private function stock(): ?int {
		$product = wc_get_product( $this->product_id );
		return $product ? $product->get_stock_quantity() : null;
	}

	private function seen_rows(): int {
		global $wpdb;
		return (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::seen_requests_table() ); // phpcs:ignore
	}

	/**
	 * @param string                $body    Raw body.
	 * @param array<string, string> $headers Headers.
	 * @param int                   $status  Expected status.
	 * @param string                $code    Expected error code.
	 */
	private function assert_refused( string $body, array $headers, int $status, string $code ): void {
		$before   = array( $this->stock(), count( $GLOBALS['synchub_test_stock_writes'] ), $this->seen_rows() );
		$response = $this->post( $body, $headers );
		$this->assertSame( $status, $response->get_status() );
		$this->assertSame( $code, $response->get_data()['code'] );
		$this->assertNotEmpty( $response->get_data()['message'] );
		$this->assertSame( $before, array( $this->stock(), count( $GLOBALS['synchub_test_stock_writes'] ), $this->seen_rows() ), 'nothing was written' );
	}

	/**
	 * @return array<string, array{0: callable, 1: int, 2: string}>
	 */
	public function refusals(): array {
		$w = Signature::WINDOW;
		return array(
			'no signature at all'                        => array( static function ( string $body ) { return array(); }, 401, 'synchub_missing_signature' ),
			'WooCommerce body-only signature (old style)' => array(
				static function ( string $body ) {
					return array( 'X-WC-Webhook-Signature' => base64_encode( hash_hmac( 'sha256', $body, self::SECRET, true ) ) );
				},
				401,
				'synchub_missing_signature',
			),
			'another secret'                             => array( static function ( string $body ) { return self::v2_headers( $body, array( 'secret' => self::SECRET . '-not' ) ); }, 401, 'synchub_invalid_signature' ),
			'older than the window'                      => array( static function ( string $body ) use ( $w ) { return self::v2_headers( $body, array( 'timestamp' => time() - $w - 1 ) ); }, 401, 'synchub_signature_expired' ),
			'an hour old'                                => array( static function ( string $body ) { return self::v2_headers( $body, array( 'timestamp' => time() - HOUR_IN_SECONDS ) ); }, 401, 'synchub_signature_expired' ),
			'ahead of the window'                        => array( static function ( string $body ) use ( $w ) { return self::v2_headers( $body, array( 'timestamp' => time() + $w + 1 ) ); }, 401, 'synchub_signature_expired' ),
			'the other direction (plugin to worker)'     => array( static function ( string $body ) { return self::v2_headers( $body, array( 'purpose' => 'plugin-to-worker' ) ); }, 401, 'synchub_invalid_signature' ),
			'event id swapped after signing'             => array( static function ( string $body ) { return array_merge( self::v2_headers( $body ), array( 'X-SyncHub-Event-Id' => wp_generate_uuid4() ) ); }, 401, 'synchub_invalid_signature' ),
			'topic swapped after signing'                => array( static function ( string $body ) { return array_merge( self::v2_headers( $body ), array( 'X-SyncHub-Topic' => 'stock.replace' ) ); }, 401, 'synchub_invalid_signature' ),
			'body changed after signing'                 => array( static function ( string $body ) { return self::v2_headers( self::body( 1 ) ); }, 401, 'synchub_invalid_signature' ),
			'no timestamp'                               => array( static function ( string $body ) { return array_merge( self::v2_headers( $body ), array( 'X-SyncHub-Timestamp' => '' ) ); }, 401, 'synchub_incomplete_signature' ),
			'signed, but for another topic'              => array( static function ( string $body ) { return self::v2_headers( $body, array( 'topic' => 'order.paid' ) ); }, 400, 'synchub_invalid_topic' ),
		);
	}

	/**
	 * @dataProvider refusals
	 *
	 * @param callable $headers Builds the headers for the body.
	 * @param int      $status  Expected status.
	 * @param string   $code    Expected code.
	 */
	public function test_refused_and_nothing_written( callable $headers, int $status, string $code ): void {
		$body = self::body();
		$this->assert_refused( $body, $headers( $body ), $status, $code );
	}

	public function test_without_a_webhook_secret_nothing_is_written(): void {
		update_option( Settings::OPTION, array( 'worker_url' => self::WORKER_URL, 'admin_token' => self::ADMIN_TOKEN, 'webhook_secret' => '' ) );
		$this->assert_refused( self::body(), self::v2_headers( self::body() ), 503, 'synchub_not_configured' );
	}

	public function test_a_worker_signed_write_is_applied_once_a_replay_inside_the_window_is_skipped(): void {
		$body    = self::body( 42 );
		$headers = self::v2_headers( $body );
		$first   = $this->post( $body, $headers );
		$this->assertSame( 200, $first->get_status() );
		$this->assertSame( 'updated', $first->get_data()['results'][0]['status'] );
		$this->assertSame( 42, $this->stock() );

		// A sale moves the stock on; replaying the captured write must not put it back.
		wc_update_product_stock( $this->product_id, 41 );
		$writes = count( $GLOBALS['synchub_test_stock_writes'] );
		$replay = $this->post( $body, $headers );
		$this->assertSame( 200, $replay->get_status() );
		$this->assertSame( array( 'status' => 'skipped', 'event_id' => $headers['X-SyncHub-Event-Id'], 'reason' => 'duplicate event id' ), $replay->get_data() );
		$this->assertSame( 41, $this->stock() );
		$this->assertCount( $writes, $GLOBALS['synchub_test_stock_writes'] );
	}

	public function test_the_same_request_after_the_window_is_refused(): void {
		$body    = self::body( 17 );
		$headers = self::v2_headers( $body, array( 'timestamp' => time() - Signature::WINDOW + 1 ) );
		$this->assertSame( 200, $this->post( $body, $headers )->get_status() );
		$this->assertSame( 17, $this->stock() );
		wc_update_product_stock( $this->product_id, 16 );
		while ( time() - (int) $headers['X-SyncHub-Timestamp'] <= Signature::WINDOW ) {
			usleep( 200000 );
		}
		$this->assert_refused( $body, $headers, 401, 'synchub_signature_expired' );
		$this->assertSame( 16, $this->stock() );
	}

	public function test_replay_guard_forgets_ids_only_after_twice_the_window(): void {
		$now = time();
		$this->assertTrue( \SyncHub\Security\ReplayGuard::claim( 'guard-a', $now - 2 * Signature::WINDOW - 1 ) );
		$this->assertTrue( \SyncHub\Security\ReplayGuard::claim( 'guard-b', $now - 2 * Signature::WINDOW + 5 ) );
		$this->assertTrue( \SyncHub\Security\ReplayGuard::claim( 'guard-c', $now ), 'a claim prunes what has expired' );
		$this->assertTrue( \SyncHub\Security\ReplayGuard::claim( 'guard-a', $now ), 'an id past 2 × WINDOW is free again' );
		$this->assertFalse( \SyncHub\Security\ReplayGuard::claim( 'guard-b', $now ), 'an id inside 2 × WINDOW is still held' );
	}
}
