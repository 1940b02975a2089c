<?php
/**
 * Base class of the plugin tests: a clean outbox and known settings per test, HTTP capture,
 * REST dispatch as a given user.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests;

use SyncHub\Install\Schema;
use SyncHub\Orders\OrderEvents;
use SyncHub\Outbox\Outbox;
use SyncHub\Settings\Settings;
use WP_REST_Request;
use WP_REST_Response;

/**
 * Shared fixtures. Tests run against the real database of the harness site; the plugin's own
 * table is truncated before each test, users created by a test are deleted after it.
 */
abstract class TestCase extends \PHPUnit\Framework\TestCase {

	// The worker requires at least 32 characters (WEBHOOK_SECRET), and so do the settings.
	public const SECRET = 'test-webhook-secret-0123456789abcdef';

	public const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

	public const WORKER_URL = 'http://127.0.0.1:9';

	/**
	 * Requests captured by capture_http().
	 *
	 * @var array<int, array{url: string, args: array<string, mixed>}>
	 */
	protected $http = array();

	/**
	 * The pre_http_request callback in place, if any.
	 *
	 * @var callable|null
	 */
	private $http_filter;

	/**
	 * Users created by this test.
	 *
	 * @var int[]
	 */
	private $users = array();

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$wpdb->query( 'TRUNCATE TABLE ' . Schema::outbox_table() ); // phpcs:ignore
		$wpdb->query( 'TRUNCATE TABLE ' . Schema::seen_requests_table() ); // phpcs:ignore
		update_option(
			Settings::OPTION,
			array(
				'worker_url'     => self::WORKER_URL,
				'admin_token'    => self::ADMIN_TOKEN,
				'webhook_secret' => self::SECRET,
			)
		);
		delete_option( 'synchub_test_orders' );
		Outbox::reset_request_state();
		OrderEvents::reset_request_state();
		wp_set_current_user( 0 );
		$this->http = array();
	}

	protected function tearDown(): void {
		if ( null !== $this->http_filter ) {
			remove_filter( 'pre_http_request', $this->http_filter, 1 );
			$this->http_filter = null;
		}
		wp_set_current_user( 0 );
		foreach ( $this->users as $user_id ) {
			wp_delete_user( $user_id );
		}
		$this->users = array();
		Outbox::reset_request_state();
		parent::tearDown();
	}

	/**
	 * Answer every outgoing HTTP request with $responder( $url, $args ) and record it in $this->http.
	 *
	 * @param callable $responder Returns an array (status, body) or a WP_Error.
	 */
	protected function capture_http( callable $responder ): void {
		if ( null !== $this->http_filter ) {
			remove_filter( 'pre_http_request', $this->http_filter, 1 );
		}
		$this->http_filter = function ( $pre, $args, $url ) use ( $responder ) {
			$this->http[] = array(
				'url'  => $url,
				'args' => $args,
			);
			$answer = $responder( $url, $args );
			if ( is_wp_error( $answer ) ) {
				return $answer;
			}
			return array(
				'headers'  => array( 'content-type' => 'application/json' ),
				'body'     => isset( $answer['body'] ) ? $answer['body'] : '',
				'response' => array(
					'code'    => isset( $answer['status'] ) ? $answer['status'] : 200,
					'message' => '',
				),
				'cookies'  => array(),
				'filename' => null,
			);
		};
		add_filter( 'pre_http_request', $this->http_filter, 1, 3 );
	}

	/**
	 * A user with the given role (or a custom role created on the fly with $caps).
	 *
	 * @param string               $role Role name.
	 * @param array<string, bool>  $caps Capabilities of a custom role that does not exist yet.
	 */
	protected function make_user( string $role, array $caps = array() ): int {
		if ( null === get_role( $role ) ) {
			add_role( $role, $role, $caps );
		}
		$user_id = wp_insert_user(
			array(
				'user_login' => $role . '_' . wp_generate_password( 6, false ),
				'user_pass'  => wp_generate_password(),
				'role'       => $role,
			)
		);
		$this->assertIsInt( $user_id );
		$this->users[] = $user_id;
		return $user_id;
	}

	/**
	 * Dispatch a REST request in-process.
	 *
	 * @param string                    $method HTTP method.
	 * @param string                    $route  Route such as /sync-hub/v1/settings.
	 * @param array<string, mixed>      $query  Query parameters.
	 * @param array<mixed>|string|null  $json   JSON body (array) or raw body (string).
	 */
	protected function rest( string $method, string $route, array $query = array(), $json = null ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		$request->set_query_params( $query );
		if ( null !== $json ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( is_string( $json ) ? $json : (string) wp_json_encode( $json ) );
		}
		return rest_get_server()->dispatch( $request );
	}

	/**
	 * Headers of a v2-signed request, built here from the documented format (docs/architecture.md)
	 * rather than with the plugin's Signature class, so the two are checked against each other.
	 * Defaults: a stock write as the worker sends it, signed now with a fresh event id.
	 *
	 * @param string               $body    Exact body bytes.
	 * @param array<string, mixed> $options purpose, topic, event_id, timestamp, secret.
	 * @return array<string, string>
	 */
	protected static function v2_headers( string $body, array $options = array() ): array {
		$options = array_merge(
			array(
				'purpose'   => 'worker-to-plugin',
				'topic'     => 'stock.update',
				'event_id'  => wp_generate_uuid4(),
				'timestamp' => time(),
				'secret'    => self::SECRET,
			),
			$options
		);
		$input = 'synchub-v2:' . $options['purpose'] . "\n" . $options['timestamp'] . "\n" . $options['event_id'] . "\n" . $options['topic'] . "\n" . $body;
		return array(
			'X-SyncHub-Timestamp' => (string) $options['timestamp'],
			'X-SyncHub-Event-Id'  => (string) $options['event_id'],
			'X-SyncHub-Topic'     => (string) $options['topic'],
			'X-SyncHub-Signature' => 'v2=' . base64_encode( hash_hmac( 'sha256', $input, (string) $options['secret'], true ) ),
		);
	}

	/**
	 * Every outbox row, oldest first.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	protected function outbox_rows(): array {
		global $wpdb;
		// Product saves are captured at the end of the request (after WooCommerce's own sync): end it here.
		\SyncHub\Products\ProductEvents::capture_pending();
		return $wpdb->get_results( 'SELECT * FROM ' . Schema::outbox_table() . ' ORDER BY id', ARRAY_A ); // phpcs:ignore
	}

	/**
	 * Change columns of one row directly (to place it in time).
	 *
	 * @param int                  $id     Row id.
	 * @param array<string, mixed> $fields Column => value.
	 */
	protected function update_row( int $id, array $fields ): void {
		global $wpdb;
		$this->assertNotFalse( $wpdb->update( Schema::outbox_table(), $fields, array( 'id' => $id ) ) );
	}

	/**
	 * UTC `Y-m-d H:i:s`.
	 *
	 * @param int $timestamp Unix time.
	 */
	protected static function utc( int $timestamp ): string {
		return gmdate( 'Y-m-d H:i:s', $timestamp );
	}
}
