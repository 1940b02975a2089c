<?php
/**
 * Worker proxy: allow-list, forwarding of method, query and body, status pass-through.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Rest;

use SyncHub\Tests\TestCase;

final class WorkerProxyControllerTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		wp_set_current_user( $this->make_user( 'administrator' ) );
	}

	/**
	 * @return array<string, array{0: string}>
	 */
	public function allowed_paths(): array {
		return array(
			'health'              => array( 'health' ),
			'manual sync'         => array( 'sync/manual' ),
			'dead letters'        => array( 'api/v1/jobs/failed' ),
			'configuration'       => array( 'api/v1/sync-woocommerce/configurations/3/trigger_sync' ),
			'webhook logs'        => array( 'api/webhooks/logs' ),
			'scheduled job replay' => array( 'api/v1/jobs/events/repeat:events-tick:1795440000000/retry' ),
		);
	}

	/**
	 * @dataProvider allowed_paths
	 *
	 * @param string $path Worker path.
	 */
	public function test_allowed_paths_are_forwarded_with_the_admin_token( string $path ): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '{"ok":true}' );
			}
		);
		$response = $this->rest( 'GET', '/sync-hub/v1/worker/' . $path );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( 'ok' => true ), $response->get_data() );
		$this->assertCount( 1, $this->http );
		$this->assertSame( self::WORKER_URL . '/' . $path, $this->http[0]['url'] );
		$this->assertSame( 'Bearer ' . self::ADMIN_TOKEN, $this->http[0]['args']['headers']['Authorization'] );
	}

	/**
	 * @return array<string, array{0: string}>
	 */
	public function refused_paths(): array {
		return array(
			'unknown root'          => array( 'admin/secrets' ),
			'signed intake'         => array( 'webhook/order' ),
			'other api version'     => array( 'api/v2/jobs' ),
			'prefix lookalike'      => array( 'api/v1x/jobs' ),
			'bare prefix'           => array( 'api/webhooks' ),
			'traversal'             => array( 'api/v1/../../webhook/order' ),
			'traversal after health' => array( 'health/../webhook/order' ),
			'double slash'          => array( 'api/v1//jobs' ),
			'encoded characters'    => array( 'api/v1/%2e%2e/x' ),
			'query smuggling'       => array( 'health?x=1' ),
			'backslash'             => array( 'api\\v1\\jobs' ),
			'absolute url'          => array( 'http://evil.test/api/v1/x' ),
		);
	}

	/**
	 * @dataProvider refused_paths
	 *
	 * @param string $path Worker path.
	 */
	public function test_paths_outside_the_allow_list_are_refused_without_calling_the_worker( string $path ): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '{}' );
			}
		);
		$response = $this->rest( 'GET', '/sync-hub/v1/worker/' . $path );

		$this->assertContains( $response->get_status(), array( 400, 404 ), $path );
		$this->assertSame( array(), $this->http );
	}

	/**
	 * @return array<string, array{0: string, 1: string}>
	 */
	public function administrator_writes(): array {
		return array(
			'Odoo settings'      => array( 'PUT', 'api/v1/bookings/settings' ),
			'SIIGO settings'     => array( 'PUT', 'api/v1/stock/settings' ),
			'SIIGO subscription' => array( 'POST', 'api/webhooks/setup' ),
			'token generation'   => array( 'POST', 'api/v1/integrations/tokens/generate/' ),
			'token revocation'   => array( 'DELETE', 'api/v1/integrations/tokens/4/' ),
			'store database'     => array( 'PUT', 'api/v1/sync-woocommerce/store-connection/' ),
			'store database off' => array( 'DELETE', 'api/v1/sync-woocommerce/store-connection/' ),
		);
	}

	/**
	 * @dataProvider administrator_writes
	 *
	 * @param string $method HTTP method.
	 * @param string $path   Worker path.
	 */
	public function test_shop_managers_cannot_change_worker_connections_or_tokens( string $method, string $path ): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '{}' );
			}
		);
		wp_set_current_user( $this->make_user( 'synchub_test_shop_manager', array( 'read' => true, 'manage_woocommerce' => true ) ) );
		$response = $this->rest( $method, '/sync-hub/v1/worker/' . $path, array(), array( 'url' => 'https://odoo.example' ) );

		$this->assertSame( 403, $response->get_status(), $path );
		$this->assertSame( 'synchub_proxy_administrators_only', $response->get_data()['code'] );
		$this->assertSame( array(), $this->http, 'nothing reaches the worker' );

		wp_set_current_user( $this->make_user( 'administrator' ) );
		$this->assertSame( 200, $this->rest( $method, '/sync-hub/v1/worker/' . $path, array(), array( 'url' => 'https://odoo.example' ) )->get_status() );
		$this->assertCount( 1, $this->http );
	}

	public function test_shop_managers_keep_their_day_to_day_actions(): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 202, 'body' => '{}' );
			}
		);
		wp_set_current_user( $this->make_user( 'synchub_test_shop_manager', array( 'read' => true, 'manage_woocommerce' => true ) ) );
		$this->assertSame( 202, $this->rest( 'POST', '/sync-hub/v1/worker/api/v1/stock/sync', array(), array( 'full' => true ) )->get_status() );
		$this->assertSame( 202, $this->rest( 'POST', '/sync-hub/v1/worker/api/v1/sync-woocommerce/configurations/3/trigger_sync' )->get_status() );
		$this->assertSame( 202, $this->rest( 'GET', '/sync-hub/v1/worker/api/v1/integrations/tokens/' )->get_status() );
		$this->assertCount( 3, $this->http );
	}

	public function test_method_query_and_json_body_are_forwarded(): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 201, 'body' => '{"id":9,"name":"Gala"}' );
			}
		);
		$response = $this->rest(
			'PUT',
			'/sync-hub/v1/worker/api/v1/sync-woocommerce/configurations/9',
			array(
				'verbose'  => '1',
				'_locale'  => 'user',
				'_wpnonce' => 'abc',
			),
			array(
				'name' => 'Gala',
				'path' => 'health',
			)
		);

		$this->assertSame( 201, $response->get_status() );
		$this->assertSame( array( 'id' => 9, 'name' => 'Gala' ), $response->get_data() );
		$request = $this->http[0];
		$this->assertSame( 'PUT', $request['args']['method'] );
		$this->assertSame( self::WORKER_URL . '/api/v1/sync-woocommerce/configurations/9?verbose=1', $request['url'], 'WordPress parameters stay behind; the body "path" does not replace the URL path' );
		$this->assertSame( 'application/json', $request['args']['headers']['Content-Type'] );
		$this->assertSame( array( 'name' => 'Gala', 'path' => 'health' ), json_decode( $request['args']['body'], true ) );
	}

	public function test_a_body_field_named_path_cannot_widen_the_allow_list(): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '{}' );
			}
		);
		$response = $this->rest( 'POST', '/sync-hub/v1/worker/webhook/order', array(), array( 'path' => 'health' ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( array(), $this->http );
	}

	public function test_a_body_that_is_not_json_is_a_400(): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '{}' );
			}
		);
		$this->assertSame( 400, $this->rest( 'POST', '/sync-hub/v1/worker/sync/manual', array(), '{not json' )->get_status() );

		$form = new \WP_REST_Request( 'POST', '/sync-hub/v1/worker/sync/manual' );
		$form->set_header( 'Content-Type', 'application/x-www-form-urlencoded' );
		$form->set_body( 'order_id=5' );
		$this->assertSame( 400, rest_get_server()->dispatch( $form )->get_status() );
		$this->assertSame( array(), $this->http );
	}

	public function test_worker_errors_pass_through_with_their_status(): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 404, 'body' => '{"error":{"code":"not_found","message":"No such job"}}' );
			}
		);
		$response = $this->rest( 'POST', '/sync-hub/v1/worker/api/v1/jobs/events/77/retry', array(), array() );
		$this->assertSame( 404, $response->get_status() );
		$this->assertSame( 'not_found', $response->get_data()['error']['code'] );
		$this->assertSame( '{}', $this->http[0]['args']['body'] );
	}

	public function test_an_unreachable_worker_is_a_502_with_a_translated_message(): void {
		$this->capture_http(
			static function () {
				return new \WP_Error( 'http_request_failed', 'cURL error 7: Connection refused' );
			}
		);
		$response = $this->rest( 'GET', '/sync-hub/v1/worker/health' );
		$this->assertSame( 502, $response->get_status() );
		$error = $response->as_error();
		$this->assertSame( 'synchub_worker_unreachable', $error->get_error_code() );
		$this->assertStringContainsString( 'could not be reached', $error->get_error_message() );
	}

	public function test_a_non_json_answer_is_a_502(): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '<html>proxy error</html>' );
			}
		);
		$this->assertSame( 502, $this->rest( 'GET', '/sync-hub/v1/worker/health' )->get_status() );
	}
}
