<?php
/**
 * Hostile input against every route of `sync-hub/v1`, listed from the REST server: each case
 * asserts the status and that no option, outbox row or outgoing request came of it.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Hostile;

use SyncHub\Rest\Controller;
use SyncHub\Rest\RequestLimits;
use SyncHub\Tests\RouteCatalog;
use SyncHub\Tests\TestCase;
use WP_REST_Request;
use WP_REST_Response;

final class RoutesTest extends TestCase {

	private const METHODS = array( 'GET', 'POST', 'PUT', 'PATCH', 'DELETE' );

	/**
	 * State before the request.
	 *
	 * @var string
	 */
	private $before = '';

	protected function setUp(): void {
		parent::setUp();
		// A row in the outbox, so that "nothing changed" also covers updates and deletes.
		\SyncHub\Outbox\Outbox::record( 'order.paid', 'order:1', array( 'id' => 1 ), '/webhook/order' );
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '{"status":"healthy"}' );
			}
		);
		$this->before = self::state();
	}

	/**
	 * Every plugin option, transient and outbox row, as one string.
	 */
	public static function state(): string {
		global $wpdb;
		$options = $wpdb->get_results( "SELECT option_name, option_value, autoload FROM {$wpdb->options} WHERE option_name LIKE 'synchub\\_%' OR option_name LIKE '\\_transient\\_synchub\\_%' OR option_name LIKE '\\_transient\\_timeout\\_synchub\\_%' ORDER BY option_name", ARRAY_A ); // phpcs:ignore
		$outbox  = $wpdb->get_results( 'SELECT * FROM ' . \SyncHub\Install\Schema::outbox_table() . ' ORDER BY id', ARRAY_A ); // phpcs:ignore
		return (string) wp_json_encode( array( $options, $outbox ) );
	}

	/**
	 * Dispatch like WordPress does: the request limits (rest_pre_dispatch), then the route.
	 *
	 * @param string               $method Method.
	 * @param string               $path   Path.
	 * @param array<string, mixed> $params Parameters (query for GET, JSON body otherwise).
	 * @param string|null          $body   Raw JSON body instead of $params.
	 */
	private function send( string $method, string $path, array $params = array(), ?string $body = null ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $path );
		if ( 'GET' === $method && null === $body ) {
			$request->set_query_params( $params );
		} else {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( null !== $body ? $body : (string) wp_json_encode( array() === $params ? new \stdClass() : $params ) );
		}
		return rest_get_server()->dispatch( $request );
	}

	/**
	 * The status is $expected and nothing was written or sent.
	 *
	 * @param int|int[]        $expected Status, or the statuses accepted.
	 * @param WP_REST_Response $response Response.
	 * @param string           $case     What was sent.
	 */
	private function assertRefused( $expected, WP_REST_Response $response, string $case ): void {
		$status = $response->get_status();
		if ( is_array( $expected ) ) {
			$this->assertContains( $status, $expected, $case );
		} else {
			$this->assertSame( $expected, $status, $case . ': ' . wp_json_encode( $response->get_data() ) );
		}
		$data = $response->get_data();
		$this->assertIsArray( $data, $case );
		$this->assertArrayHasKey( 'code', $data, $case . ': an error body' );
		$this->assertSame( $this->before, self::state(), $case . ': nothing written' );
		$this->assertSame( array(), $this->http, $case . ': nothing sent' );
	}

	/**
	 * @return array<string, array{0: array<string, mixed>}>
	 */
	public function endpoints(): array {
		$cases = array();
		foreach ( RouteCatalog::endpoints() as $name => $endpoint ) {
			$cases[ $name ] = array( $endpoint );
		}
		return $cases;
	}

	/**
	 * @return array<string, array{0: array<string, mixed>}>
	 */
	public function capability_endpoints(): array {
		return array_filter(
			$this->endpoints(),
			static function ( array $case ): bool {
				return 'signature' !== $case[0]['auth'];
			}
		);
	}

	/**
	 * One case per argument of each endpoint (the worker's signed routes aside).
	 *
	 * @return array<string, array{0: array<string, mixed>, 1: string}>
	 */
	public function endpoint_args(): array {
		$cases = array();
		foreach ( $this->capability_endpoints() as $name => $case ) {
			foreach ( array_keys( $case[0]['args'] ) as $arg ) {
				$cases[ $name . ' ' . $arg ] = array( $case[0], (string) $arg );
			}
		}
		return $cases;
	}

	public function test_the_inventory_knows_every_route_and_how_it_is_protected(): void {
		$endpoints = RouteCatalog::endpoints();
		foreach ( array( 'GET /sync-hub/v1/settings', 'POST /sync-hub/v1/settings', 'POST /sync-hub/v1/stock', 'POST /sync-hub/v1/products/resend', 'DELETE /sync-hub/v1/worker/(?P<path>.+)', 'POST /sync-hub/v1/products/settings' ) as $known ) {
			$this->assertArrayHasKey( $known, $endpoints );
		}
		foreach ( $endpoints as $name => $endpoint ) {
			$this->assertContains( $endpoint['auth'], array( Controller::CAPABILITY, Controller::CONNECTION_CAPABILITY, 'signature' ), "$name has a known protection" );
			if ( 'signature' === $endpoint['auth'] ) {
				$this->assertContains( $endpoint['route'], array( '/sync-hub/v1/stock', '/sync-hub/v1/products/resend' ), 'only the stock and product-resend routes are for the worker' );
			}
			foreach ( $endpoint['args'] as $arg_name => $arg ) {
				if ( in_array( $arg_name, RouteCatalog::CONNECTION_ARGS, true ) ) {
					$needs = $arg[ Controller::CAPABILITY_KEY ] ?? $endpoint['auth'];
					$this->assertSame( Controller::CONNECTION_CAPABILITY, $needs, "$name: $arg_name is a connection setting" );
				}
			}
		}
	}

	/**
	 * @dataProvider endpoints
	 *
	 * @param array<string, mixed> $endpoint Endpoint.
	 */
	public function test_visitors_are_refused( array $endpoint ): void {
		$response = $this->send( $endpoint['method'], $endpoint['path'], RouteCatalog::required_sample( $endpoint['args'], $endpoint['route'] ) );
		$this->assertRefused( 401, $response, 'visitor' );
	}

	/**
	 * @dataProvider endpoints
	 *
	 * @param array<string, mixed> $endpoint Endpoint.
	 */
	public function test_subscribers_are_refused( array $endpoint ): void {
		wp_set_current_user( $this->make_user( 'subscriber' ) );
		$response = $this->send( $endpoint['method'], $endpoint['path'], RouteCatalog::required_sample( $endpoint['args'], $endpoint['route'] ) );
		$this->assertRefused( 'signature' === $endpoint['auth'] ? 401 : 403, $response, 'subscriber' );
	}

	/**
	 * @dataProvider endpoints
	 *
	 * @param array<string, mixed> $endpoint Endpoint.
	 */
	public function test_shop_managers_cannot_change_the_connection( array $endpoint ): void {
		wp_set_current_user( $this->make_user( 'synchub_test_shop_manager', array( 'read' => true, 'manage_woocommerce' => true ) ) );
		$sample = RouteCatalog::required_sample( $endpoint['args'], $endpoint['route'] );
		$cases  = array();
		if ( Controller::CONNECTION_CAPABILITY === $endpoint['auth'] ) {
			$cases['the endpoint'] = $sample;
		}
		foreach ( $endpoint['args'] as $name => $arg ) {
			if ( Controller::CONNECTION_CAPABILITY === ( $arg[ Controller::CAPABILITY_KEY ] ?? '' ) ) {
				$cases[ (string) $name ] = $sample + array( $name => RouteCatalog::valid_value( $arg ) );
			}
		}
		if ( 'signature' === $endpoint['auth'] ) {
			$cases['no signature'] = $sample;
		}
		if ( array() === $cases ) {
			$this->assertSame( Controller::CAPABILITY, $endpoint['auth'], 'a day-to-day endpoint: shop managers may use it' );
			return;
		}
		foreach ( $cases as $case => $params ) {
			$this->assertRefused( 'signature' === $endpoint['auth'] ? 401 : 403, $this->send( $endpoint['method'], $endpoint['path'], $params ), "shop manager, $case" );
		}
	}

	/**
	 * @dataProvider endpoints
	 *
	 * @param array<string, mixed> $endpoint Endpoint.
	 */
	public function test_an_administrator_without_a_signature_cannot_write_stock_and_wrong_methods_find_no_route( array $endpoint ): void {
		wp_set_current_user( $this->make_user( 'administrator' ) );
		if ( 'signature' === $endpoint['auth'] ) {
			$this->assertRefused( 401, $this->send( $endpoint['method'], $endpoint['path'], array( 'items' => array( array( 'sku' => 'MUG-1', 'stock_quantity' => 0 ) ) ) ), 'no signature' );
		}
		$offered = array();
		foreach ( RouteCatalog::endpoints() as $other ) {
			if ( $other['route'] === $endpoint['route'] ) {
				$offered[] = $other['method'];
			}
		}
		foreach ( array_merge( array_diff( self::METHODS, $offered ), array( 'TRACE' ) ) as $method ) {
			$response = $this->send( $method, $endpoint['path'], RouteCatalog::required_sample( $endpoint['args'], $endpoint['route'] ) );
			$this->assertRefused( 404, $response, "$method instead of {$endpoint['method']}" );
		}
	}

	/**
	 * @dataProvider endpoint_args
	 *
	 * @param array<string, mixed> $endpoint Endpoint.
	 * @param string               $arg      Argument.
	 */
	public function test_a_wrong_type_or_an_oversized_value_is_a_400( array $endpoint, string $arg ): void {
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$schema  = $endpoint['args'][ $arg ];
		$in_url  = in_array( $arg, RouteCatalog::url_args( $endpoint['route'] ), true );
		$sample  = RouteCatalog::required_sample( $endpoint['args'], $endpoint['route'] );
		$values  = array(
			'wrong type' => $in_url ? null : RouteCatalog::wrong_type_value( $schema ),
			'oversized'  => RouteCatalog::oversized_value( $schema ),
			'nested'     => $in_url ? null : RouteCatalog::nested( 8 ),
		);
		$checked = 0;
		foreach ( $values as $case => $value ) {
			if ( null === $value || ( 'nested' === $case && in_array( $schema['type'] ?? '', array( 'array', 'object' ), true ) ) ) {
				continue;
			}
			$path     = $in_url ? RouteCatalog::path( $endpoint['route'], $endpoint['args'], array( $arg => (string) $value ) ) : $endpoint['path'];
			$params   = $in_url ? $sample : array_merge( $sample, array( $arg => $value ) );
			$response = $this->send( $endpoint['method'], $path, $params );
			$this->assertRefused( 400, $response, "$arg $case" );
			++$checked;
		}
		$this->assertGreaterThan( 0, $checked, "$arg has a type with bounds" );
	}

	/**
	 * @dataProvider endpoints
	 *
	 * @param array<string, mixed> $endpoint Endpoint.
	 */
	public function test_deep_nesting_and_oversized_bodies_are_refused_before_the_route( array $endpoint ): void {
		wp_set_current_user( $this->make_user( 'administrator' ) );
		// The worker's signed routes may also refuse for the missing signature first.
		$or_401 = static function ( int $status ) use ( $endpoint ) {
			return 'signature' === $endpoint['auth'] ? array( $status, 401 ) : $status;
		};
		$sample = RouteCatalog::required_sample( $endpoint['args'], $endpoint['route'] );

		$deep = $sample + array( 'deep' => RouteCatalog::nested( RequestLimits::MAX_DEPTH + 8 ) );
		$this->assertRefused( $or_401( 400 ), $this->send( $endpoint['method'], $endpoint['path'], $deep ), 'nested data' );
		$this->assertRefused( $or_401( 400 ), $this->send( $endpoint['method'], $endpoint['path'], array(), str_repeat( '[', 600 ) . str_repeat( ']', 600 ) ), 'nested beyond the JSON parser' );
		$this->assertRefused( $or_401( 400 ), $this->send( $endpoint['method'], $endpoint['path'], array(), '{"items": [' ), 'broken JSON' );
		$huge = (string) wp_json_encode( $sample + array( 'padding' => str_repeat( 'x', RequestLimits::MAX_BODY_BYTES ) ) );
		$this->assertRefused( $or_401( 413 ), $this->send( $endpoint['method'], $endpoint['path'], array(), $huge ), 'a body over 1 MB' );
	}
}
