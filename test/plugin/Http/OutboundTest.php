<?php
/**
 * Outbound calls over real loopback HTTP: the configured worker is reachable on its own port,
 * nothing else on loopback is, and the exception never outlives the plugin's own call.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Http;

use SyncHub\Http\Outbound;
use SyncHub\Outbox\Delivery;
use SyncHub\Outbox\Dispatcher;
use SyncHub\Outbox\Outbox;
use SyncHub\Products\ProductSettings;
use SyncHub\Settings\Settings;
use SyncHub\Tests\StandInServer;
use SyncHub\Tests\TestCase;
use SyncHub\Worker\Client;

final class OutboundTest extends TestCase {

	/**
	 * The configured worker.
	 *
	 * @var StandInServer
	 */
	private $worker;

	/**
	 * Another service on the same loopback address, which must never be called.
	 *
	 * @var StandInServer
	 */
	private $internal;

	protected function setUp(): void {
		parent::setUp();
		$this->worker   = StandInServer::start();
		$this->internal = StandInServer::start();
		update_option( Settings::OPTION, array_merge( Settings::all(), array( 'worker_url' => $this->worker->url() ) ) );
		delete_option( ProductSettings::OPTION );
	}

	protected function tearDown(): void {
		$this->worker->stop();
		$this->internal->stop();
		delete_option( ProductSettings::OPTION );
		parent::tearDown();
	}

	public function test_the_configured_worker_is_reached_on_its_loopback_port(): void {
		$result = ( new Client() )->request( 'GET', 'health' );

		$this->assertIsArray( $result, is_wp_error( $result ) ? $result->get_error_message() : '' );
		$this->assertSame( 200, $result['status'] );
		$this->assertSame( array( array( 'method' => 'GET', 'uri' => '/health', 'authorization' => 'Bearer ' . self::ADMIN_TOKEN ) ), $this->worker->requests() );
	}

	public function test_the_same_host_on_another_port_is_refused(): void {
		$this->assertTrue( Outbound::is_allowed( $this->worker->url() . '/health' ) );
		$this->assertFalse( Outbound::is_allowed( $this->internal->url() . '/health' ) );
		$this->assertFalse( Outbound::is_allowed( 'https://127.0.0.1:' . $this->worker->port . '/health' ), 'another scheme is another origin' );
		$this->assertFalse( Outbound::is_allowed( 'http://10.1.2.3:' . $this->worker->port . '/' ) );

		$result = Outbound::request( $this->internal->url() . '/health', array( 'method' => 'GET' ) );
		$this->assertTrue( is_wp_error( $result ) );
		$this->assertSame( array(), $this->internal->requests() );
	}

	public function test_the_exception_for_the_worker_ends_with_the_plugins_own_call(): void {
		$before = array( self::callbacks( 'http_request_host_is_external' ), self::callbacks( 'http_allowed_safe_ports' ) );
		Outbound::request( $this->worker->url() . '/health', array( 'method' => 'GET' ) );

		$this->assertSame( $before, array( self::callbacks( 'http_request_host_is_external' ), self::callbacks( 'http_allowed_safe_ports' ) ) );
		// Another plugin's safe request to the worker is refused as WordPress would.
		$this->assertTrue( is_wp_error( wp_safe_remote_get( $this->worker->url() . '/health' ) ) );
		$this->assertCount( 1, $this->worker->requests() );
	}

	public function test_an_outbox_row_aimed_at_another_local_service_is_never_sent(): void {
		$event_id = Outbox::record( 'order.paid', 'order:77', array( 'id' => 77 ), $this->internal->url() . '/steal' );
		$this->assertIsString( $event_id );

		$stats = ( new Dispatcher( new Delivery() ) )->run( 10 );

		$this->assertSame( 1, $stats['retrying'] );
		$this->assertSame( array(), $this->internal->requests() );
		$this->assertStringContainsString( 'valid URL', (string) $this->outbox_rows()[0]['last_error'] );
	}

	public function test_the_products_token_never_goes_to_an_internal_endpoint(): void {
		$endpoint = $this->internal->url() . ProductSettings::INGEST_PATH;
		update_option(
			ProductSettings::OPTION,
			array(
				'endpoint_url'   => $endpoint,
				'token'          => 'wc_sk_live_internal-0123456789abcdef',
				'token_endpoint' => $endpoint,
				'signing_key'    => str_repeat( 'k', 40 ),
			)
		);
		Outbox::record( 'product.updated', 'product:5', array( 'event_id' => 'e', 'product' => array( 'id' => 5 ) ), ProductSettings::INGEST_PATH );

		( new Dispatcher( new Delivery() ) )->run( 10 );
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$test = $this->rest( 'POST', '/sync-hub/v1/products/settings/test' )->get_data();

		$this->assertFalse( $test['ok'] );
		$this->assertSame( array(), $this->internal->requests(), 'neither the delivery nor the connection test reached it' );
		$this->assertSame( 'pending', $this->outbox_rows()[0]['status'] );
		$this->assertSame( 1, (int) $this->outbox_rows()[0]['attempts'] );
	}

	public function test_a_worker_named_by_host_name_is_admitted_by_that_name(): void {
		update_option( Settings::OPTION, array_merge( Settings::all(), array( 'worker_url' => 'http://localhost:' . $this->worker->port ) ) );

		$result = ( new Client() )->request( 'GET', 'health' );

		$this->assertIsArray( $result, is_wp_error( $result ) ? $result->get_error_message() : '' );
		$this->assertFalse( Outbound::is_allowed( $this->worker->url() . '/health' ), '127.0.0.1 is not the configured name' );
		$this->assertCount( 1, $this->worker->requests() );
	}

	/**
	 * How many callbacks a hook has.
	 *
	 * @param string $hook Hook name.
	 */
	private static function callbacks( string $hook ): int {
		global $wp_filter;
		if ( ! isset( $wp_filter[ $hook ] ) ) {
			return 0;
		}
		return array_sum( array_map( 'count', $wp_filter[ $hook ]->callbacks ) );
	}
}
