<?php
/**
 * Products feed: hooks → debounced outbox rows, delivery with the integration token, REST routes.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Products;

use SyncHub\Outbox\Delivery;
use SyncHub\Outbox\Dispatcher;
use SyncHub\Products\Backfill;
use SyncHub\Products\ProductEvents;
use SyncHub\Products\ProductSettings;
use SyncHub\Install\Installer;
use SyncHub\Settings\Settings;
use SyncHub\Tests\TestCase;

final class ProductsTest extends TestCase {

	private const TOKEN = 'wc_sk_live_abcdefghijklmnopqrstuvwxyz0123456789ABCD';

	private const SIGNING_KEY = 'products-signing-key-0123456789abcdefghijklmnop';

	private const KB_URL = 'https://kb.example/api/integrations/woocommerce/webhook/';

	/** @var int[] */
	private $posts = array();

	protected function setUp(): void {
		parent::setUp();
		$this->assertTrue( method_exists( \WC_Product::class, 'create_for_test' ), 'the WooCommerce product double is loaded' );
		update_option( ProductSettings::OPTION, array( 'token' => self::TOKEN, 'token_endpoint' => self::WORKER_URL . ProductSettings::INGEST_PATH, 'signing_key' => self::SIGNING_KEY, 'debounce' => 30 ) );
		delete_option( Backfill::OPTION );
		delete_option( ProductSettings::VERIFIED_OPTION );
		ProductEvents::reset_request_state();
	}

	protected function tearDown(): void {
		foreach ( $this->posts as $id ) {
			wp_delete_post( $id, true );
		}
		global $wpdb;
		$wpdb->query( 'TRUNCATE TABLE ' . \SyncHub\Install\Schema::outbox_table() ); // phpcs:ignore
		parent::tearDown();
	}

	/**
	 * @param array<string, mixed> $data Fields.
	 */
	private function product( array $data = array() ): \WC_Product {
		$product       = \WC_Product::create_for_test(
			array_merge(
				array(
					'name'              => 'Blue Mug',
					'short_description' => 'A mug.',
					'description'       => '<p>Holds coffee.</p>',
					'sku'               => 'MUG-1',
					'price'             => '10.00',
					'regular_price'     => '12.00',
					'sale_price'        => '10.00',
					'stock_quantity'    => 4,
					'categories'        => array( 'Kitchen' ),
					'tags'              => array( 'blue' ),
				),
				$data
			)
		);
		$this->posts[] = $product->get_id();
		return $product;
	}

	/**
	 * @return array<string, mixed> The payload of the only row for a product.
	 */
	private function payload_of( int $product_id ): array {
		$rows = array_values( array_filter( $this->outbox_rows(), static function ( $row ) use ( $product_id ) { return 'product:' . $product_id === $row['resource_key']; } ) );
		$this->assertCount( 1, $rows, 'one outbox row per product' );
		return json_decode( (string) $rows[0]['payload'], true );
	}

	public function test_a_new_product_records_one_debounced_event_in_the_ingestion_shape(): void {
		$before  = time();
		$product = $this->product();
		$rows    = $this->outbox_rows();
		$this->assertCount( 1, $rows );
		$this->assertSame( 'product.created', $rows[0]['topic'] );
		$this->assertSame( ProductSettings::INGEST_PATH, $rows[0]['destination'] );
		$this->assertGreaterThanOrEqual( $before + 30, strtotime( $rows[0]['next_attempt_at'] . ' UTC' ), 'sent after the debounce' );

		$payload = json_decode( (string) $rows[0]['payload'], true );
		$this->assertSame( 'product.created', $payload['event_type'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f-]{36}$/', $payload['event_id'] );
		$this->assertIsInt( $payload['sequence'] );
		$this->assertSame(
			array(
				'id'                => $product->get_id(),
				'sku'               => 'MUG-1',
				'name'              => 'Blue Mug',
				'short_description' => 'A mug.',
				'description'       => '<p>Holds coffee.</p>',
				'price'             => '10.00',
				'regular_price'     => '12.00',
				'sale_price'        => '10.00',
				'currency'          => 'EUR',
				'stock_quantity'    => 4,
				'stock_status'      => 'instock',
				'categories'        => array( 'Kitchen' ),
				'tags'              => array( 'blue' ),
				'image'             => null,
				'on_sale'           => true,
				'gallery'           => array(),
			),
			array_intersect_key( $payload['product'], array_flip( array( 'id', 'sku', 'name', 'short_description', 'description', 'price', 'regular_price', 'sale_price', 'currency', 'stock_quantity', 'stock_status', 'categories', 'tags', 'image', 'on_sale', 'gallery' ) ) )
		);
		$this->assertSame( array(), $payload['product']['variations'] );
	}

	public function test_many_saves_coalesce_into_one_row_with_the_latest_state_and_a_new_event_id(): void {
		$product = $this->product();
		$first   = $this->payload_of( $product->get_id() );
		$product->set_for_test( array( 'price' => '11.00' ) );
		$product->set_for_test( array( 'price' => '13.00', 'name' => 'Blue Mug XL' ) );
		$last = $this->payload_of( $product->get_id() );
		$this->assertSame( 'product.updated', $last['event_type'] );
		$this->assertSame( '13.00', $last['product']['price'] );
		$this->assertSame( 'Blue Mug XL', $last['product']['name'] );
		$this->assertNotSame( $first['event_id'], $last['event_id'] );
		$this->assertGreaterThan( $first['sequence'], $last['sequence'] );
	}

	public function test_a_save_is_captured_at_the_end_of_the_request_after_later_changes(): void {
		$product = $this->product();
		// Nothing is written while the request still runs: WooCommerce may change the product
		// again before it ends (its deferred sync sets a variable parent's price at shutdown).
		global $wpdb;
		$this->assertSame( 0, (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . \SyncHub\Install\Schema::outbox_table() ) ); // phpcs:ignore
		$product->set_for_test( array( 'price' => '7.00' ), false ); // Changed without a hook, as WooCommerce's price sync does.
		ProductEvents::on_shutdown();
		$payload = $this->payload_of( $product->get_id() );
		$this->assertSame( 'product.created', $payload['event_type'] );
		$this->assertSame( '7.00', $payload['product']['price'] );
		// After the capture ran, a later save in the same request is captured at once.
		$product->set_for_test( array( 'name' => 'Late Mug' ) );
		$this->assertSame( 'Late Mug', $this->payload_of( $product->get_id() )['product']['name'] );
		ProductEvents::reset_request_state();
	}

	public function test_variations_roll_up_to_their_parent(): void {
		$parent    = $this->product( array( 'type' => 'variable', 'price' => '' ) );
		$variation = \WC_Product::create_for_test( array( 'parent' => $parent->get_id(), 'name' => 'Red', 'sku' => 'MUG-RED', 'price' => '9.00', 'stock_quantity' => 2, 'attributes' => array( 'pa_color' => 'red' ) ) );
		$this->posts[] = $variation->get_id();
		$variation->set_for_test( array( 'price' => '8.50' ) );

		$keys = array_unique( array_column( $this->outbox_rows(), 'resource_key' ) );
		$this->assertSame( array( 'product:' . $parent->get_id() ), array_values( $keys ) );
		$payload = $this->payload_of( $parent->get_id() );
		$this->assertSame(
			array(
				array(
					'id'             => $variation->get_id(),
					'sku'            => 'MUG-RED',
					'attributes'     => array( 'pa_color' => 'red' ),
					'price'          => '8.50',
					'regular_price'  => '',
					'sale_price'     => '',
					'stock_quantity' => 2,
					'stock_status'   => 'instock',
				),
			),
			$payload['product']['variations']
		);

		// Deleting the variation sends the parent without it.
		wp_delete_post( $variation->get_id(), true );
		$this->assertSame( array(), $this->payload_of( $parent->get_id() )['product']['variations'] );
	}

	public function test_wp_admin_trash_untrash_and_permanent_delete(): void {
		$product = $this->product();
		$id      = $product->get_id();

		wp_trash_post( $id );
		$this->assertSame( 'product.deleted', $this->payload_of( $id )['event_type'] );
		$this->assertSame( array( 'id' => $id ), $this->payload_of( $id )['product'] );

		// Restored to its previous status (WordPress's own callback; without it untrash gives a draft).
		ProductEvents::reset_request_state();
		add_filter( 'wp_untrash_post_status', 'wp_untrash_post_set_previous_status', 10, 3 );
		wp_untrash_post( $id );
		remove_filter( 'wp_untrash_post_status', 'wp_untrash_post_set_previous_status', 10 );
		$this->assertSame( 'publish', get_post_status( $id ) );
		$this->assertSame( 'product.created', $this->payload_of( $id )['event_type'] );
		$this->assertSame( 'Blue Mug', $this->payload_of( $id )['product']['name'] );

		ProductEvents::reset_request_state();
		wp_delete_post( $id, true );
		$this->assertSame( 'product.deleted', $this->payload_of( $id )['event_type'] );
		$this->posts = array();
	}

	public function test_the_workers_own_stock_writes_are_not_echoed(): void {
		$product = $this->product();
		ProductEvents::capture_pending(); // The request that created it ends.
		global $wpdb;
		$wpdb->query( 'TRUNCATE TABLE ' . \SyncHub\Install\Schema::outbox_table() ); // phpcs:ignore
		$flag = static function () { return true; };
		add_filter( 'synchub_is_stock_write', $flag );
		$product->set_for_test( array( 'stock_quantity' => 1 ) );
		remove_filter( 'synchub_is_stock_write', $flag );
		$this->assertSame( array(), $this->outbox_rows() );
		$product->set_for_test( array( 'stock_quantity' => 2 ) );
		$this->assertCount( 1, $this->outbox_rows() );
	}

	public function test_drafts_are_not_sent_and_unpublishing_deletes(): void {
		$draft = $this->product( array( 'status' => 'draft' ) );
		$this->assertSame( 'product.deleted', $this->payload_of( $draft->get_id() )['event_type'] );
		$auto = $this->product( array( 'status' => 'auto-draft' ) );
		$this->assertSame( array(), array_values( array_filter( $this->outbox_rows(), static function ( $row ) use ( $auto ) { return 'product:' . $auto->get_id() === $row['resource_key']; } ) ) );
	}

	public function test_delivery_sends_to_the_endpoint_with_the_integration_token(): void {
		$product = $this->product();
		$this->update_row( (int) $this->outbox_rows()[0]['id'], array( 'next_attempt_at' => self::utc( time() - 1 ) ) );
		$this->capture_http( static function () { return array( 'status' => 202, 'body' => '{"status":"accepted"}' ); } );
		$stats = ( new Dispatcher( new Delivery() ) )->run( 10 );
		$this->assertSame( 1, $stats['delivered'] );
		$this->assertSame( self::WORKER_URL . ProductSettings::INGEST_PATH, $this->http[0]['url'] );
		$this->assertSame( 'Bearer ' . self::TOKEN, $this->http[0]['args']['headers']['Authorization'] );
		$this->assertSame( $product->get_id(), json_decode( $this->http[0]['args']['body'], true )['product']['id'] );

		// A custom endpoint applies to rows still pending; no token = a failed attempt, not a send.
		update_option( ProductSettings::OPTION, array( 'endpoint_url' => self::KB_URL, 'token' => '', 'signing_key' => self::SIGNING_KEY ) );
		$product->set_for_test( array( 'price' => '1.00' ) );
		$pending = array_values( array_filter( $this->outbox_rows(), static function ( $row ) { return 'pending' === $row['status']; } ) );
		$this->update_row( (int) $pending[0]['id'], array( 'next_attempt_at' => self::utc( time() - 1 ) ) );
		$stats = ( new Dispatcher( new Delivery() ) )->run( 10 );
		$this->assertSame( 1, $stats['retrying'] );
		$this->assertCount( 1, $this->http );
		$this->assertStringContainsString( 'integration token', (string) $this->outbox_rows()[1]['last_error'] );

		update_option( ProductSettings::OPTION, array( 'endpoint_url' => self::KB_URL, 'token' => self::TOKEN, 'token_endpoint' => self::KB_URL, 'signing_key' => self::SIGNING_KEY ) );
		$this->update_row( (int) $pending[0]['id'], array( 'next_attempt_at' => self::utc( time() - 1 ) ) );
		( new Dispatcher( new Delivery() ) )->run( 10 );
		$this->assertSame( 'https://kb.example/api/integrations/woocommerce/webhook/', $this->http[1]['url'] );
	}

	public function test_settings_routes_need_the_capability_and_validate_everything_before_saving(): void {
		$this->assertSame( 401, $this->rest( 'GET', '/sync-hub/v1/products/settings' )->get_status() );
		wp_set_current_user( $this->make_user( 'subscriber' ) );
		$this->assertSame( 403, $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'token' => self::TOKEN ) )->get_status() );

		wp_set_current_user( $this->make_user( 'administrator' ) );
		$view = $this->rest( 'GET', '/sync-hub/v1/products/settings' )->get_data();
		$this->assertSame( true, $view['has_token'] );
		$this->assertArrayNotHasKey( 'token', $view );
		$this->assertSame( self::WORKER_URL . ProductSettings::INGEST_PATH, $view['effective_url'] );

		foreach ( array(
			array( 'endpoint_url' => 'javascript:alert(1)' ),
			array( 'endpoint_url' => 'ftp://x.example/' ),
			array( 'token' => 'short' ),
			array( 'token' => 'has spaces in it 0123456789' ),
			array( 'debounce' => 99999 ),
			array( 'endpoint_url' => 'https://ok.example/api/', 'debounce' => -1 ),
		) as $bad ) {
			$before   = get_option( ProductSettings::OPTION );
			$response = $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), $bad );
			$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $bad ) );
			$this->assertSame( $before, get_option( ProductSettings::OPTION ), 'nothing saved' );
		}

		$saved = $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'debounce' => 5 ) );
		$this->assertSame( 200, $saved->get_status() );
		$this->assertSame( 5, ProductSettings::debounce() );
		$this->assertSame( self::TOKEN, ProductSettings::token(), 'an omitted token is kept' );

		$saved = $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'endpoint_url' => self::KB_URL, 'token' => self::TOKEN ) );
		$this->assertSame( 200, $saved->get_status() );
		$this->assertSame( 'https://kb.example/api/integrations/woocommerce/health/', ProductSettings::health_url() );
	}

	public function test_connection_calls_the_health_route_with_the_token(): void {
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$this->capture_http( static function () { return array( 'status' => 200, 'body' => '{"status":"ok","token":{"name":"shop"}}' ); } );
		$ok = $this->rest( 'POST', '/sync-hub/v1/products/settings/test' )->get_data();
		$this->assertTrue( $ok['ok'] );
		$this->assertSame( self::WORKER_URL . ProductSettings::HEALTH_PATH, $this->http[0]['url'] );
		$this->assertSame( 'Bearer ' . self::TOKEN, $this->http[0]['args']['headers']['Authorization'] );

		$this->capture_http( static function () { return array( 'status' => 401, 'body' => '{"error":{"code":"token_inactive","message":"The integration token has been revoked."}}' ); } );
		$refused = $this->rest( 'POST', '/sync-hub/v1/products/settings/test' )->get_data();
		$this->assertFalse( $refused['ok'] );
		$this->assertStringContainsString( 'revoked', $refused['error'] );
	}

	public function test_the_feed_counts_as_working_after_a_passed_test_or_an_accepted_delivery_for_the_endpoint_in_force(): void {
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$verified = function (): ?string { return $this->rest( 'GET', '/sync-hub/v1/products/settings' )->get_data()['verified_at']; };
		$this->assertNull( $verified(), 'never proved' );

		$this->capture_http( static function () { return array( 'status' => 401, 'body' => '{"error":{"code":"token_inactive","message":"revoked"}}' ); } );
		$this->rest( 'POST', '/sync-hub/v1/products/settings/test' );
		$this->assertNull( $verified(), 'a failed test proves nothing' );

		$this->capture_http( static function () { return array( 'status' => 200, 'body' => '{"status":"ok"}' ); } );
		$this->rest( 'POST', '/sync-hub/v1/products/settings/test' );
		$this->assertNotNull( $verified() );
		$this->assertEqualsWithDelta( time(), strtotime( (string) $verified() ), 5 );

		// Another endpoint (its token entered again) is not proved by the old one's test.
		$this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'endpoint_url' => self::KB_URL, 'token' => self::TOKEN ) );
		$this->assertNull( $verified() );

		// An accepted delivery to it proves it; a failed one does not.
		$product = $this->product();
		$row     = (int) $this->outbox_rows()[0]['id'];
		$this->update_row( $row, array( 'next_attempt_at' => self::utc( time() - 1 ) ) );
		$this->capture_http( static function () { return array( 'status' => 503, 'body' => '{}' ); } );
		( new Dispatcher( new Delivery() ) )->run( 10 );
		$this->assertNull( $verified() );
		$this->update_row( $row, array( 'next_attempt_at' => self::utc( time() - 1 ) ) );
		$this->capture_http( static function () { return array( 'status' => 202, 'body' => '{"status":"accepted"}' ); } );
		$this->assertSame( 1, ( new Dispatcher( new Delivery() ) )->run( 10 )['delivered'] );
		$this->assertNotNull( $verified() );
		$this->assertSame( self::KB_URL, get_option( ProductSettings::VERIFIED_OPTION )['endpoint'] );
		unset( $product );
	}

	public function test_backfill_sends_every_published_product_in_pages_and_resumes(): void {
		wp_set_current_user( $this->make_user( 'administrator' ) );
		for ( $i = 0; $i < 105; $i++ ) {
			$this->product( array( 'name' => 'Bulk ' . $i ) );
		}
		$this->product( array( 'status' => 'draft' ) );
		ProductEvents::capture_pending(); // The requests that created them end.
		global $wpdb;
		$wpdb->query( 'TRUNCATE TABLE ' . \SyncHub\Install\Schema::outbox_table() ); // phpcs:ignore

		$first = $this->rest( 'POST', '/sync-hub/v1/products/backfill', array(), array( 'restart' => true ) )->get_data();
		$this->assertSame( array( 'running', 100, 105 ), array( $first['status'], $first['processed'], $first['total'] ) );
		$this->assertCount( 100, $this->outbox_rows() );

		// Another request (a reloaded page) resumes from the saved cursor.
		$state = $this->rest( 'GET', '/sync-hub/v1/products/backfill' )->get_data();
		$this->assertSame( 2, $state['page'] );
		$second = $this->rest( 'POST', '/sync-hub/v1/products/backfill' )->get_data();
		$this->assertSame( array( 'done', 105, 105 ), array( $second['status'], $second['processed'], $second['total'] ) );
		$this->assertCount( 105, $this->outbox_rows() );
		$this->assertCount( 105, array_unique( array_column( $this->outbox_rows(), 'resource_key' ) ) );
	}

	/**
	 * Make the only outbox row due now.
	 */
	private function make_due(): void {
		foreach ( $this->outbox_rows() as $row ) {
			if ( 'pending' === $row['status'] ) {
				$this->update_row( (int) $row['id'], array( 'next_attempt_at' => self::utc( time() - 1 ) ) );
			}
		}
	}

	public function test_a_new_endpoint_needs_the_token_again(): void {
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$before = get_option( ProductSettings::OPTION );

		$response = $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'endpoint_url' => 'https://attacker.example/api/integrations/woocommerce/webhook/' ) );

		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'synchub_secret_required', $response->as_error()->get_error_code() );
		$this->assertSame( array( 'token' ), array_keys( $response->as_error()->get_error_data()['fields'] ) );
		$this->assertSame( $before, get_option( ProductSettings::OPTION ), 'nothing saved' );

		$this->capture_http( static function () { return array( 'status' => 200, 'body' => '{"status":"ok"}' ); } );
		$this->rest( 'POST', '/sync-hub/v1/products/settings/test' );
		$this->assertSame( self::WORKER_URL . ProductSettings::HEALTH_PATH, $this->http[0]['url'] );
	}

	public function test_the_token_is_not_sent_after_the_worker_url_changed_until_it_is_entered_again(): void {
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$product = $this->product();
		$moved   = 'http://10.0.0.5:8787';
		$this->assertSame(
			200,
			$this->rest( 'POST', '/sync-hub/v1/settings', array(), array( 'worker_url' => $moved, 'admin_token' => 'moved-admin-token-0123456789', 'webhook_secret' => 'moved-webhook-secret-0123456789abcdef' ) )->get_status()
		);
		$this->make_due();
		$this->capture_http( static function () { return array( 'status' => 202, 'body' => '{"status":"accepted"}' ); } );

		$stats = ( new Dispatcher( new Delivery() ) )->run( 10 );
		$view  = $this->rest( 'GET', '/sync-hub/v1/products/settings' )->get_data();
		$test  = $this->rest( 'POST', '/sync-hub/v1/products/settings/test' )->get_data();

		$this->assertSame( 1, $stats['retrying'] );
		$this->assertSame( array(), $this->http, 'the token did not follow the worker URL' );
		$this->assertStringContainsString( 'Enter the token again', (string) $this->outbox_rows()[0]['last_error'] );
		$this->assertTrue( $view['token_needs_reentry'] );
		$this->assertFalse( $test['ok'] );

		$this->assertSame( 200, $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'token' => self::TOKEN ) )->get_status() );
		$this->make_due();
		( new Dispatcher( new Delivery() ) )->run( 10 );
		$this->assertSame( $moved . ProductSettings::INGEST_PATH, $this->http[0]['url'] );
		$this->assertSame( $product->get_id(), json_decode( $this->http[0]['args']['body'], true )['product']['id'] );
		$this->assertFalse( $this->rest( 'GET', '/sync-hub/v1/products/settings' )->get_data()['token_needs_reentry'] );
	}

	public function test_shop_managers_may_tune_the_feed_but_not_point_it_elsewhere(): void {
		wp_set_current_user( $this->make_user( 'synchub_test_shop_manager', array( 'read' => true, 'manage_woocommerce' => true ) ) );
		$before = get_option( ProductSettings::OPTION );

		foreach ( array(
			array( 'endpoint_url' => 'https://attacker.example/hook/', 'token' => self::TOKEN ),
			array( 'endpoint_url' => '' ),
			array( 'token' => 'wc_sk_live_attacker-0123456789' ),
			array( 'signing_key' => str_repeat( 'a', 40 ) ),
			array( 'regenerate_signing_key' => true ),
			array( 'debounce' => 5, 'token' => 'wc_sk_live_attacker-0123456789' ),
		) as $body ) {
			$this->assertSame( 403, $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), $body )->get_status(), (string) wp_json_encode( $body ) );
		}
		$this->assertSame( $before, get_option( ProductSettings::OPTION ), 'nothing saved' );

		$view = $this->rest( 'GET', '/sync-hub/v1/products/settings' )->get_data();
		$this->assertFalse( $view['can_edit_connection'] );
		$this->assertArrayNotHasKey( 'signing_key', $view );
		$this->assertTrue( $view['has_signing_key'] );

		$this->assertSame( 200, $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'debounce' => 5 ) )->get_status() );
		$this->assertSame( 5, ProductSettings::debounce() );
	}

	public function test_product_deliveries_are_signed_with_the_feeds_own_key(): void {
		$this->product();
		$order_event = \SyncHub\Outbox\Outbox::record( 'order.paid', 'order:9', array( 'id' => 9 ), '/webhook/order' );
		$this->assertIsString( $order_event );
		$this->make_due();
		$this->capture_http( static function () { return array( 'status' => 202, 'body' => '{"status":"accepted"}' ); } );

		( new Dispatcher( new Delivery() ) )->run( 10 );

		$this->assertCount( 2, $this->http );
		foreach ( $this->http as $sent ) {
			$headers  = $sent['args']['headers'];
			$to_feed  = false !== strpos( $sent['url'], ProductSettings::INGEST_PATH );
			$expected = self::v2_headers(
				(string) $sent['args']['body'],
				array(
					'purpose'   => 'plugin-to-worker',
					'topic'     => $headers['X-SyncHub-Topic'],
					'event_id'  => $headers['X-SyncHub-Event-Id'],
					'timestamp' => (int) $headers['X-SyncHub-Timestamp'],
					'secret'    => $to_feed ? self::SIGNING_KEY : self::SECRET,
				)
			);
			$this->assertSame( $expected['X-SyncHub-Signature'], $headers['X-SyncHub-Signature'], $to_feed ? 'the feed signs with its own key' : 'events for the worker keep the webhook secret' );
		}
	}

	public function test_nothing_a_product_delivery_carries_depends_on_the_webhook_secret(): void {
		// Whatever signing scheme the outbox uses, a third party must not receive anything
		// derived from the secret the worker and the plugin's /stock route trust.
		$this->product();
		$row   = $this->outbox_rows()[0];
		$now   = time();
		$first = ( new Delivery( self::WORKER_URL, 'webhook-secret-A-0123456789abcdefghij' ) )->build_request( $row, $now );
		$other = ( new Delivery( self::WORKER_URL, 'webhook-secret-B-0123456789abcdefghij' ) )->build_request( $row, $now );

		$this->assertIsArray( $first );
		$this->assertArrayHasKey( 'X-SyncHub-Signature', $first['args']['headers'], 'product deliveries are signed' );
		$this->assertSame( $first, $other );
	}

	public function test_the_signing_key_is_generated_on_install_shown_to_admins_and_can_be_replaced(): void {
		delete_option( ProductSettings::OPTION );
		Installer::install();
		$generated = ProductSettings::signing_key();
		$this->assertSame( 64, strlen( $generated ) );
		$this->assertNotSame( Settings::get( 'webhook_secret' ), $generated );
		Installer::install();
		$this->assertSame( $generated, ProductSettings::signing_key(), 'kept on the next install' );

		wp_set_current_user( $this->make_user( 'administrator' ) );
		$view = $this->rest( 'GET', '/sync-hub/v1/products/settings' )->get_data();
		$this->assertTrue( $view['can_edit_connection'] );
		$this->assertSame( $generated, $view['signing_key'] );

		$own = 'my-own-products-signing-key-0123456789';
		$this->assertSame( $own, $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'signing_key' => $own ) )->get_data()['signing_key'] );
		$this->assertSame( 400, $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'signing_key' => 'short' ) )->get_status() );
		$this->assertSame( $own, ProductSettings::signing_key() );

		$renewed = $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'regenerate_signing_key' => true ) )->get_data()['signing_key'];
		$this->assertSame( 64, strlen( $renewed ) );
		$this->assertNotSame( $own, $renewed );
	}

	public function test_a_token_saved_before_the_upgrade_is_bound_to_the_endpoint_in_force(): void {
		update_option( ProductSettings::OPTION, array( 'token' => self::TOKEN, 'debounce' => 30 ) );
		Installer::install();
		$this->assertSame( self::TOKEN, ProductSettings::usable_token() );
		$this->assertNotSame( '', ProductSettings::signing_key() );
	}
}
