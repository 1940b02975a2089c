<?php
/**
 * The signed stock endpoint the worker calls, and the Stock screen's settings route.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Stock;

use SyncHub\Products\ProductEvents;
use SyncHub\Products\ProductSettings;
use SyncHub\Stock\StockSettings;
use SyncHub\Stock\StockWriter;
use SyncHub\Tests\TestCase;
use WP_REST_Request;
use WP_REST_Response;

final class StockControllerTest extends TestCase {

	/** @var int[] */
	private $posts = array();

	protected function setUp(): void {
		parent::setUp();
		$this->assertTrue( function_exists( 'wc_update_product_stock' ), 'the WooCommerce stock double is loaded' );
		delete_option( StockSettings::OPTION );
		// The products feed is on, so an echo of our writes would show up in the outbox.
		update_option( ProductSettings::OPTION, array( 'token' => 'wc_sk_live_abcdefghijklmnopqrstuvwxyz0123456789ABCD', 'debounce' => 0 ) );
		ProductEvents::reset_request_state();
		$GLOBALS['synchub_test_stock_writes'] = array();
	}

	protected function tearDown(): void {
		foreach ( $this->posts as $id ) {
			wp_delete_post( $id, true );
		}
		delete_option( StockSettings::OPTION );
		delete_option( ProductSettings::OPTION );
		global $wpdb;
		$wpdb->query( 'TRUNCATE TABLE ' . \SyncHub\Install\Schema::outbox_table() ); // phpcs:ignore
		parent::tearDown();
	}

	/**
	 * @param string $sku    SKU.
	 * @param bool   $manage Manages stock.
	 * @param int    $stock  Stock.
	 */
	private function product( string $sku, bool $manage = true, int $stock = 5 ): int {
		$product       = \WC_Product::create_for_test( array( 'name' => 'Product ' . $sku, 'sku' => $sku, 'manage_stock' => $manage, 'stock_quantity' => $stock ) );
		$this->posts[] = $product->get_id();
		return $product->get_id();
	}

	/**
	 * A stock write signed as the worker signs it (signatures themselves: Security/StockSignatureTest).
	 *
	 * @param string $body Raw body.
	 */
	private function post_stock( string $body ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', '/sync-hub/v1/stock' );
		$request->set_header( 'Content-Type', 'application/json' );
		foreach ( self::v2_headers( $body ) as $name => $value ) {
			$request->set_header( $name, $value );
		}
		$request->set_body( $body );
		return rest_get_server()->dispatch( $request );
	}

	/**
	 * @param array<int, array<string, mixed>> $items Items.
	 */
	private static function body( array $items ): string {
		return (string) wp_json_encode( array( 'items' => $items ) );
	}

	private function stock_of( int $id ): ?int {
		$product = wc_get_product( $id );
		return $product ? $product->get_stock_quantity() : null;
	}

	private function product_rows(): int {
		return count( array_filter( $this->outbox_rows(), static function ( $row ) { return 0 === strpos( (string) $row['resource_key'], 'product:' ); } ) );
	}

	public function test_sets_stock_per_sku_and_answers_per_item(): void {
		$managed   = $this->product( 'SIIGO-1', true, 5 );
		$unmanaged = $this->product( 'SIIGO-2', false, 0 );
		$response  = $this->post_stock( self::body( array( array( 'sku' => 'SIIGO-1', 'stock_quantity' => 12 ), array( 'sku' => 'NOPE', 'stock_quantity' => 3 ), array( 'sku' => 'SIIGO-2', 'stock_quantity' => 4 ) ) ) );
		$this->assertSame( 200, $response->get_status() );
		$results = $response->get_data()['results'];
		$this->assertSame( array( 'updated', 'unknown_sku', 'not_managed' ), array_column( $results, 'status' ) );
		$this->assertSame( $managed, $results[0]['product_id'] );
		$this->assertEquals( 5, $results[0]['previous_quantity'] );
		$this->assertEquals( 12, $results[0]['stock_quantity'] );
		$this->assertNull( $results[1]['product_id'] );
		$this->assertSame( 12, $this->stock_of( $managed ) );
		$this->assertSame( 0, $this->stock_of( $unmanaged ) );
		$this->assertCount( 1, $GLOBALS['synchub_test_stock_writes'] );
	}

	public function test_turns_stock_management_on_when_the_setting_says_so(): void {
		$unmanaged = $this->product( 'SIIGO-3', false, 0 );
		StockSettings::update( array( 'manage_unmanaged' => true ) );
		$response = $this->post_stock( self::body( array( array( 'sku' => 'SIIGO-3', 'stock_quantity' => 7 ) ) ) );
		$this->assertSame( 'updated', $response->get_data()['results'][0]['status'] );
		$product = wc_get_product( $unmanaged );
		$this->assertTrue( $product->managing_stock() );
		$this->assertSame( 7, $product->get_stock_quantity() );
	}

	public function test_our_writes_do_not_echo_into_the_products_feed(): void {
		$id = $this->product( 'SIIGO-4', true, 1 );
		global $wpdb;
		$wpdb->query( 'TRUNCATE TABLE ' . \SyncHub\Install\Schema::outbox_table() ); // phpcs:ignore
		ProductEvents::reset_request_state();

		$this->post_stock( self::body( array( array( 'sku' => 'SIIGO-4', 'stock_quantity' => 9 ) ) ) );
		$this->assertSame( 9, $this->stock_of( $id ) );
		$this->assertSame( 0, $this->product_rows(), 'a stock write of ours is not a product change' );
		$this->assertFalse( StockWriter::is_writing() );

		// Control: the same change made by a person in wp-admin does reach the feed.
		wc_update_product_stock( $id, 10 );
		$this->assertSame( 1, $this->product_rows() );
	}

	/**
	 * @return array<string, array{0: string, 1: int, 2: string}>
	 */
	public function bad_bodies(): array {
		$too_many = array();
		for ( $i = 0; $i < 101; $i++ ) {
			$too_many[] = array( 'sku' => 'SIIGO-6', 'stock_quantity' => $i );
		}
		return array(
			'not JSON'             => array( '{"items": [', 400, 'rest_invalid_json' ),
			'JSON but no object'   => array( '42', 400, 'synchub_invalid_json' ),
			'no items'             => array( '{"items": []}', 400, 'synchub_invalid_items' ),
			'items not a list'     => array( '{"items": {"a": 1}}', 400, 'synchub_invalid_items' ),
			'101 items'            => array( self::body( $too_many ), 413, 'synchub_too_many_items' ),
			'one bad quantity'     => array( self::body( array( array( 'sku' => 'SIIGO-6', 'stock_quantity' => 8 ), array( 'sku' => 'X', 'stock_quantity' => 'many' ) ) ), 400, 'synchub_invalid_items' ),
			'fractional quantity'  => array( self::body( array( array( 'sku' => 'SIIGO-6', 'stock_quantity' => 1.5 ) ) ), 400, 'synchub_invalid_items' ),
			'empty SKU'            => array( self::body( array( array( 'sku' => 'SIIGO-6', 'stock_quantity' => 8 ), array( 'sku' => '', 'stock_quantity' => 1 ) ) ), 400, 'synchub_invalid_items' ),
		);
	}

	/**
	 * @dataProvider bad_bodies
	 *
	 * @param string $body   Raw body.
	 * @param int    $status Expected status.
	 * @param string $code   Expected error code.
	 */
	public function test_bad_bodies_get_a_clear_error_and_no_partial_write( string $body, int $status, string $code ): void {
		$id       = $this->product( 'SIIGO-6', true, 5 );
		$response = $this->post_stock( $body );
		$this->assertSame( $status, $response->get_status() );
		$this->assertSame( $code, $response->get_data()['code'] );
		$this->assertNotEmpty( $response->get_data()['message'] );
		$this->assertSame( 5, $this->stock_of( $id ) );
		$this->assertSame( array(), $GLOBALS['synchub_test_stock_writes'] );
	}

	public function test_one_hundred_items_are_accepted(): void {
		$items = array();
		for ( $i = 0; $i < 100; $i++ ) {
			$items[] = array( 'sku' => 'MISSING-' . $i, 'stock_quantity' => $i );
		}
		$response = $this->post_stock( self::body( $items ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertCount( 100, $response->get_data()['results'] );
	}

	public function test_settings_route_needs_manage_woocommerce(): void {
		wp_set_current_user( $this->make_user( 'subscriber' ) );
		$this->assertContains( $this->rest( 'GET', '/sync-hub/v1/stock/settings' )->get_status(), array( 401, 403 ) );
		$this->assertContains( $this->rest( 'POST', '/sync-hub/v1/stock/settings', array(), array( 'manage_unmanaged' => true ) )->get_status(), array( 401, 403 ) );
		$this->assertFalse( StockSettings::manage_unmanaged() );

		wp_set_current_user( $this->make_user( 'synchub_stock_manager', array( 'read' => true, 'manage_woocommerce' => true ) ) );
		$this->assertSame( array( 'manage_unmanaged' => false ), $this->rest( 'GET', '/sync-hub/v1/stock/settings' )->get_data() );
		$bad = $this->rest( 'POST', '/sync-hub/v1/stock/settings', array(), array( 'manage_unmanaged' => 'sometimes' ) );
		$this->assertSame( 400, $bad->get_status() );
		$this->assertFalse( StockSettings::manage_unmanaged() );
		$saved = $this->rest( 'POST', '/sync-hub/v1/stock/settings', array(), array( 'manage_unmanaged' => true ) );
		$this->assertSame( 200, $saved->get_status() );
		$this->assertTrue( StockSettings::manage_unmanaged() );
	}
}
