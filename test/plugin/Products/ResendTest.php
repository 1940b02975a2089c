<?php
/**
 * `POST /sync-hub/v1/products/resend`: the worker's drift "re-sync these" for products. Signed
 * worker-to-plugin with its own topic; every id validated before anything is recorded.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Products;

use SyncHub\Install\Schema;
use SyncHub\Products\ProductEvents;
use SyncHub\Products\ProductSettings;
use SyncHub\Products\ResendController;
use SyncHub\Tests\TestCase;
use WP_REST_Request;
use WP_REST_Response;

final class ResendTest extends TestCase {

	/** @var int[] */
	private $posts = array();

	protected function setUp(): void {
		parent::setUp();
		update_option( ProductSettings::OPTION, array( 'token' => 'wc_sk_live_abcdefghijklmnopqrstuvwxyz0123456789ABCD', 'token_endpoint' => self::WORKER_URL . ProductSettings::INGEST_PATH, 'signing_key' => 'products-signing-key-0123456789abcdefghijklmnop', 'debounce' => 0 ) );
		ProductEvents::reset_request_state();
	}

	protected function tearDown(): void {
		foreach ( $this->posts as $id ) {
			wp_delete_post( $id, true );
		}
		$this->truncate_outbox();
		parent::tearDown();
	}

	private function truncate_outbox(): void {
		global $wpdb;
		ProductEvents::capture_pending();
		$wpdb->query( 'TRUNCATE TABLE ' . Schema::outbox_table() ); // phpcs:ignore
		ProductEvents::reset_request_state();
	}

	/**
	 * A product whose creating request has ended, with an empty outbox: as if its first delivery
	 * was lost on the way.
	 *
	 * @param array<string, mixed> $data Fields.
	 */
	private function product( array $data = array() ): \WC_Product {
		$product       = \WC_Product::create_for_test( array_merge( array( 'name' => 'Blue Mug', 'sku' => 'MUG-' . wp_generate_password( 6, false ), 'price' => '10.00' ), $data ) );
		$this->posts[] = $product->get_id();
		$this->truncate_outbox();
		return $product;
	}

	/**
	 * @param mixed                      $payload Body (encoded unless a string).
	 * @param array<string, string>|null $headers Headers; v2-signed for products.resend when null.
	 */
	private function post( $payload, ?array $headers = null ): WP_REST_Response {
		$body    = is_string( $payload ) ? $payload : (string) wp_json_encode( $payload );
		$request = new WP_REST_Request( 'POST', '/sync-hub/v1/products/resend' );
		$request->set_header( 'Content-Type', 'application/json' );
		foreach ( $headers ?? self::v2_headers( $body, array( 'topic' => ResendController::TOPIC ) ) as $name => $value ) {
			$request->set_header( $name, $value );
		}
		$request->set_body( $body );
		return rest_get_server()->dispatch( $request );
	}

	/**
	 * @return array<string, string> resource_key => event type, of what the outbox holds.
	 */
	private function recorded(): array {
		$recorded = array();
		foreach ( $this->outbox_rows() as $row ) {
			$recorded[ (string) $row['resource_key'] ] = (string) json_decode( (string) $row['payload'], true )['event_type'];
		}
		return $recorded;
	}

	public function test_published_products_are_sent_again_and_gone_ones_are_deleted(): void {
		$mug     = $this->product();
		$trashed = $this->product( array( 'name' => 'Old Cup' ) );
		wp_trash_post( $trashed->get_id() );
		$this->truncate_outbox();
		$gone = 987654; // No post has this id: deleted for good while the catalog still lists it.

		$response = $this->post( array( 'ids' => array( $mug->get_id(), $trashed->get_id(), $gone, $mug->get_id() ) ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame(
			array(
				array( 'id' => $mug->get_id(), 'status' => 'queued' ),
				array( 'id' => $trashed->get_id(), 'status' => 'deleted' ),
				array( 'id' => $gone, 'status' => 'deleted' ),
			),
			$response->get_data()['results']
		);
		$this->assertSame(
			array(
				'product:' . $mug->get_id()     => 'product.updated',
				'product:' . $trashed->get_id() => 'product.deleted',
				'product:' . $gone              => 'product.deleted',
			),
			$this->recorded()
		);
		$row = $this->outbox_rows()[0];
		$this->assertSame( 'Blue Mug', json_decode( (string) $row['payload'], true )['product']['name'], 'the current state is sent' );
		$this->assertSame( ProductEvents::DESTINATION, $row['destination'] );
	}

	public function test_other_posts_are_not_touched(): void {
		$page = wp_insert_post( array( 'post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'About' ) );
		$this->posts[] = $page;
		$response = $this->post( array( 'ids' => array( $page ) ) );
		$this->assertSame( array( array( 'id' => $page, 'status' => 'not_a_product' ) ), $response->get_data()['results'] );
		$this->assertSame( array(), $this->outbox_rows() );
	}

	public function test_a_replay_inside_the_window_records_nothing_more(): void {
		$mug     = $this->product();
		$body    = (string) wp_json_encode( array( 'ids' => array( $mug->get_id() ) ) );
		$headers = self::v2_headers( $body, array( 'topic' => ResendController::TOPIC ) );
		$this->assertSame( 'queued', $this->post( $body, $headers )->get_data()['results'][0]['status'] );
		$this->truncate_outbox();
		$replay = $this->post( $body, $headers );
		$this->assertSame( 200, $replay->get_status() );
		$this->assertSame( 'skipped', $replay->get_data()['status'] );
		$this->assertSame( array(), $this->outbox_rows() );
	}

	/**
	 * Each case: the body for a real product id, the headers for that body, the expected answer.
	 *
	 * @return array<string, array{0: callable, 1: callable, 2: int, 3: string}>
	 */
	public function refusals(): array {
		$ids    = static function ( int $id ) { return array( 'ids' => array( $id ) ); };
		$signed = static function ( array $options = array() ) {
			return static function ( string $body ) use ( $options ) { return self::v2_headers( $body, $options + array( 'topic' => ResendController::TOPIC ) ); };
		};
		$fixed  = static function ( $payload ) { return static function () use ( $payload ) { return $payload; }; };
		return array(
			'no signature'                => array( $ids, static function () { return array(); }, 401, 'synchub_missing_signature' ),
			'signed for stock writes'     => array( $ids, $signed( array( 'topic' => 'stock.update' ) ), 400, 'synchub_invalid_topic' ),
			'the other direction'         => array( $ids, $signed( array( 'purpose' => 'plugin-to-worker' ) ), 401, 'synchub_invalid_signature' ),
			'another secret'              => array( $ids, $signed( array( 'secret' => self::SECRET . '-not' ) ), 401, 'synchub_invalid_signature' ),
			'an hour old'                 => array( $ids, $signed( array( 'timestamp' => time() - HOUR_IN_SECONDS ) ), 401, 'synchub_signature_expired' ),
			'not JSON (WordPress refuses)' => array( $fixed( 'ids=1' ), $signed(), 400, 'rest_invalid_json' ),
			'a bare list'                 => array( static function ( int $id ) { return array( $id ); }, $signed(), 400, 'synchub_invalid_ids' ),
			'no ids'                      => array( $fixed( array( 'ids' => array() ) ), $signed(), 400, 'synchub_invalid_ids' ),
			'ids as an object'            => array( static function ( int $id ) { return array( 'ids' => array( 'a' => $id ) ); }, $signed(), 400, 'synchub_invalid_ids' ),
			'one id a string'             => array( static function ( int $id ) { return array( 'ids' => array( $id, (string) $id ) ); }, $signed(), 400, 'synchub_invalid_ids' ),
			'one id negative'             => array( static function ( int $id ) { return array( 'ids' => array( $id, -2 ) ); }, $signed(), 400, 'synchub_invalid_ids' ),
			'one id fractional'           => array( static function ( int $id ) { return array( 'ids' => array( $id, 1.5 ) ); }, $signed(), 400, 'synchub_invalid_ids' ),
			'more ids than one request'   => array( static function ( int $id ) { return array( 'ids' => array_merge( array( $id ), range( 1, ResendController::MAX_IDS ) ) ); }, $signed(), 413, 'synchub_too_many_ids' ),
		);
	}

	/**
	 * @dataProvider refusals
	 *
	 * @param callable $payload Body for the product id.
	 * @param callable $headers Headers for the encoded body.
	 * @param int      $status  Expected status.
	 * @param string   $code    Expected error code.
	 */
	public function test_refused_and_nothing_recorded( callable $payload, callable $headers, int $status, string $code ): void {
		$mug  = $this->product();
		$data = $payload( $mug->get_id() );
		$body = is_string( $data ) ? $data : (string) wp_json_encode( $data );
		$response = $this->post( $body, $headers( $body ) );
		$this->assertSame( $status, $response->get_status() );
		$this->assertSame( $code, $response->get_data()['code'] );
		$this->assertSame( array(), $this->outbox_rows(), 'nothing was recorded' );
	}
}
