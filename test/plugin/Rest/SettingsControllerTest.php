<?php
/**
 * Settings routes: secrets are write-only, bad input changes nothing, connection test.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Rest;

use SyncHub\Settings\Settings;
use SyncHub\Tests\TestCase;

final class SettingsControllerTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		wp_set_current_user( $this->make_user( 'administrator' ) );
	}

	public function test_get_never_returns_secret_values(): void {
		$response = $this->rest( 'GET', '/sync-hub/v1/settings' );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame(
			array(
				'worker_url'         => self::WORKER_URL,
				'has_admin_token'    => true,
				'has_webhook_secret' => true,
				'can_edit'           => true,
			),
			$response->get_data()
		);
		$json = (string) wp_json_encode( rest_get_server()->response_to_data( $response, false ) );
		$this->assertStringNotContainsString( self::SECRET, $json );
		$this->assertStringNotContainsString( self::ADMIN_TOKEN, $json );
	}

	public function test_post_saves_and_still_returns_no_secrets(): void {
		$response = $this->rest(
			'POST',
			'/sync-hub/v1/settings',
			array(),
			array(
				'worker_url'     => 'https://worker.example.test:8443/',
				'admin_token'    => 'new-admin-token-abcdefghijkl',
				'webhook_secret' => 'new-webhook-secret-abcdefghijklmnopqrstuv',
			)
		);

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'https://worker.example.test:8443', $response->get_data()['worker_url'] );
		$json = (string) wp_json_encode( $response->get_data() );
		$this->assertStringNotContainsString( 'new-admin-token', $json );
		$this->assertStringNotContainsString( 'new-webhook-secret', $json );
		$this->assertSame( 'new-admin-token-abcdefghijkl', Settings::get( 'admin_token' ) );
		$this->assertSame( 'new-webhook-secret-abcdefghijklmnopqrstuv', Settings::get( 'webhook_secret' ) );
	}

	public function test_left_out_or_empty_secrets_keep_their_value_while_the_url_stays(): void {
		$response = $this->rest( 'POST', '/sync-hub/v1/settings', array(), array( 'worker_url' => self::WORKER_URL . '/', 'admin_token' => '' ) );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( self::ADMIN_TOKEN, Settings::get( 'admin_token' ) );
		$this->assertSame( self::SECRET, Settings::get( 'webhook_secret' ) );
		$this->assertSame( self::WORKER_URL, Settings::worker_url() );
	}

	/**
	 * @return array<string, array{0: array<string, mixed>}>
	 */
	public function bad_settings(): array {
		return array(
			'ftp url'               => array( array( 'worker_url' => 'ftp://worker.test' ) ),
			'not a url'             => array( array( 'worker_url' => 'worker' ) ),
			'javascript url'        => array( array( 'worker_url' => 'javascript:alert(1)' ) ),
			'credentials in url'    => array( array( 'worker_url' => 'http://user:pw@worker.test' ) ),
			'query in url'          => array( array( 'worker_url' => 'http://worker.test/?x=1' ) ),
			'short secret'          => array( array( 'webhook_secret' => 'short' ) ),
			'31-character secret'   => array( array( 'webhook_secret' => str_repeat( 'w', 31 ) ) ),
			'secret with space'     => array( array( 'webhook_secret' => 'has a space in it 1234567' ) ),
			'valid url, bad token'  => array(
				array(
					'worker_url'  => 'http://10.9.9.9:8787',
					'admin_token' => "tab\tinside-the-token-123",
				),
			),
			'array as url'          => array( array( 'worker_url' => array( 'http://x.test' ) ) ),
		);
	}

	/**
	 * @dataProvider bad_settings
	 *
	 * @param array<string, mixed> $body Submitted settings.
	 */
	public function test_bad_input_is_a_400_and_changes_nothing( array $body ): void {
		$before   = get_option( Settings::OPTION );
		$response = $this->rest( 'POST', '/sync-hub/v1/settings', array(), $body );

		$this->assertSame( 400, $response->get_status() );
		$this->assertNotEmpty( $response->as_error()->get_error_message() );
		$this->assertSame( $before, get_option( Settings::OPTION ) );
	}

	public function test_connection_test_calls_health_with_the_bearer_token(): void {
		$this->capture_http(
			static function () {
				return array(
					'status' => 200,
					'body'   => '{"status":"healthy","database":true,"redis":true}',
				);
			}
		);
		$response = $this->rest( 'POST', '/sync-hub/v1/settings/test' );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( true, $response->get_data()['ok'] );
		$this->assertSame( 'healthy', $response->get_data()['health']['status'] );
		$this->assertSame( self::WORKER_URL . '/health', $this->http[0]['url'] );
		$this->assertSame( 'GET', $this->http[0]['args']['method'] );
		$this->assertSame( 'Bearer ' . self::ADMIN_TOKEN, $this->http[0]['args']['headers']['Authorization'] );
		$this->assertStringNotContainsString( self::ADMIN_TOKEN, (string) wp_json_encode( $response->get_data() ) );
	}

	public function test_connection_test_reports_an_unreachable_or_refusing_worker(): void {
		$this->capture_http(
			static function () {
				return new \WP_Error( 'http_request_failed', 'Connection refused' );
			}
		);
		$data = $this->rest( 'POST', '/sync-hub/v1/settings/test' )->get_data();
		$this->assertFalse( $data['ok'] );
		$this->assertStringContainsString( 'Connection refused', $data['error'] );

		$this->capture_http(
			static function () {
				return array( 'status' => 401, 'body' => '{"error":{"code":"unauthorized","message":"bad token"}}' );
			}
		);
		$data = $this->rest( 'POST', '/sync-hub/v1/settings/test' )->get_data();
		$this->assertFalse( $data['ok'] );
		$this->assertStringContainsString( '401', $data['error'] );
	}

	/**
	 * @return array<string, array{0: array<string, string>, 1: string[]}>
	 */
	public function url_changes_without_secrets(): array {
		return array(
			'no secret'               => array( array(), array( 'admin_token', 'webhook_secret' ) ),
			'only the admin token'    => array( array( 'admin_token' => 'attacker-admin-token-0123' ), array( 'webhook_secret' ) ),
			'only the webhook secret' => array( array( 'webhook_secret' => 'attacker-webhook-secret-0123456789abcdef' ), array( 'admin_token' ) ),
		);
	}

	/**
	 * @dataProvider url_changes_without_secrets
	 *
	 * @param array<string, string> $secrets Secrets sent with the new URL.
	 * @param string[]              $missing Fields the error must name.
	 */
	public function test_a_new_worker_url_needs_every_saved_secret_again( array $secrets, array $missing ): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '{"status":"healthy"}' );
			}
		);
		$before   = get_option( Settings::OPTION );
		$response = $this->rest( 'POST', '/sync-hub/v1/settings', array(), array( 'worker_url' => 'https://attacker.example' ) + $secrets );

		$this->assertSame( 400, $response->get_status() );
		$error = $response->as_error();
		$this->assertSame( 'synchub_secret_required', $error->get_error_code() );
		$this->assertSame( $missing, array_keys( $error->get_error_data()['fields'] ) );
		foreach ( $missing as $field ) {
			$this->assertStringContainsString( $field, $error->get_error_message() );
		}
		$this->assertSame( $before, get_option( Settings::OPTION ), 'nothing saved' );

		$this->rest( 'POST', '/sync-hub/v1/settings/test' );
		$this->assertSame( self::WORKER_URL . '/health', $this->http[0]['url'], 'the token still goes only to the saved URL' );
	}

	public function test_a_new_worker_url_with_both_secrets_is_saved_and_used(): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '{"status":"healthy"}' );
			}
		);
		$response = $this->rest(
			'POST',
			'/sync-hub/v1/settings',
			array(),
			array(
				'worker_url'     => 'http://10.0.0.5:8787',
				'admin_token'    => 'moved-admin-token-0123456789',
				'webhook_secret' => 'moved-webhook-secret-0123456789abcdef',
			)
		);
		$this->assertSame( 200, $response->get_status() );

		$this->rest( 'POST', '/sync-hub/v1/settings/test' );
		$this->assertSame( 'http://10.0.0.5:8787/health', $this->http[0]['url'] );
		$this->assertSame( 'Bearer moved-admin-token-0123456789', $this->http[0]['args']['headers']['Authorization'] );
		$this->assertTrue( $this->http[0]['args']['reject_unsafe_urls'], 'sent through WordPress\' safe requests' );
	}

	public function test_a_first_worker_url_needs_no_secret_that_was_never_saved(): void {
		update_option( Settings::OPTION, array( 'worker_url' => Settings::DEFAULT_WORKER_URL, 'admin_token' => '', 'webhook_secret' => '' ) );

		$response = $this->rest( 'POST', '/sync-hub/v1/settings', array(), array( 'worker_url' => 'http://10.0.0.5:8787' ) );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'http://10.0.0.5:8787', Settings::worker_url() );
	}

	public function test_shop_managers_see_the_connection_but_cannot_change_it(): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '{"status":"healthy"}' );
			}
		);
		wp_set_current_user( $this->make_user( 'synchub_test_shop_manager', array( 'read' => true, 'manage_woocommerce' => true ) ) );
		$before = get_option( Settings::OPTION );

		$view = $this->rest( 'GET', '/sync-hub/v1/settings' );
		$this->assertSame( 200, $view->get_status() );
		$this->assertFalse( $view->get_data()['can_edit'] );
		$this->assertTrue( $view->get_data()['has_admin_token'] );

		foreach ( array(
			array( 'worker_url' => 'https://attacker.example' ),
			array( 'worker_url' => 'https://attacker.example', 'admin_token' => 'attacker-admin-token-0123', 'webhook_secret' => 'attacker-webhook-secret-0123456789abcdef' ),
			array( 'webhook_secret' => 'attacker-webhook-secret-0123456789abcdef' ),
		) as $body ) {
			$response = $this->rest( 'POST', '/sync-hub/v1/settings', array(), $body );
			$this->assertSame( 403, $response->get_status(), (string) wp_json_encode( $body ) );
		}
		$this->assertSame( $before, get_option( Settings::OPTION ), 'nothing saved' );

		$test = $this->rest( 'POST', '/sync-hub/v1/settings/test' );
		$this->assertSame( 200, $test->get_status(), 'the status check stays theirs' );
		$this->assertSame( array( self::WORKER_URL . '/health' ), array_column( $this->http, 'url' ) );
	}
}
