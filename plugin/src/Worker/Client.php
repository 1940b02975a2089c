<?php
/**
 * HTTP client for the worker's admin API.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Worker;

defined( 'ABSPATH' ) || exit;

use SyncHub\Http\Outbound;
use SyncHub\Plugin;
use SyncHub\Settings\Settings;
use WP_Error;

/**
 * Calls the worker with the admin bearer token and decodes its JSON answers.
 */
final class Client {

	public const TIMEOUT = 15;

	/**
	 * Worker base URL without trailing slash.
	 *
	 * @var string
	 */
	private $base_url;

	/**
	 * Admin bearer token.
	 *
	 * @var string
	 */
	private $token;

	/**
	 * Build from explicit values or from the saved settings.
	 *
	 * @param string|null $base_url Worker base URL.
	 * @param string|null $token    Admin token.
	 */
	public function __construct( ?string $base_url = null, ?string $token = null ) {
		$this->base_url = untrailingslashit( null !== $base_url ? $base_url : Settings::worker_url() );
		$this->token    = null !== $token ? $token : Settings::get( 'admin_token' );
	}

	/**
	 * Send one request.
	 *
	 * @param string                    $method HTTP method.
	 * @param string                    $path   Path below the worker root, without leading slash.
	 * @param array<string, mixed>      $query  Query parameters.
	 * @param array<mixed>|null         $body   JSON body (null: none).
	 * @return array{status: int, body: mixed}|WP_Error Status code and decoded JSON, or why there is none.
	 */
	public function request( string $method, string $path, array $query = array(), ?array $body = null ) {
		if ( '' === $this->base_url ) {
			return new WP_Error( 'synchub_no_worker_url', __( 'No worker URL is set in the Sync Hub settings.', 'sync-hub' ), array( 'status' => 502 ) );
		}

		$url = $this->base_url . '/' . ltrim( $path, '/' );
		if ( array() !== $query ) {
			$url .= '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 );
		}

		$headers = array(
			'Accept' => 'application/json',
		);
		if ( '' !== $this->token ) {
			$headers['Authorization'] = 'Bearer ' . $this->token;
		}
		$args = array(
			'method'      => strtoupper( $method ),
			'timeout'     => self::TIMEOUT,
			'redirection' => 0,
			'user-agent'  => sprintf( 'SyncHub/%s (WordPress/%s)', Plugin::VERSION, get_bloginfo( 'version' ) ),
			'headers'     => $headers,
		);
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = wp_json_encode( array() === $body ? new \stdClass() : $body );
		}

		$response = Outbound::request( $url, $args );
		if ( is_wp_error( $response ) ) {
			return new WP_Error(
				'synchub_worker_unreachable',
				/* translators: %s: the transport error message. */
				sprintf( __( 'The Sync Hub worker could not be reached: %s', 'sync-hub' ), $response->get_error_message() ),
				array( 'status' => 502 )
			);
		}

		$status  = (int) wp_remote_retrieve_response_code( $response );
		$raw     = (string) wp_remote_retrieve_body( $response );
		$decoded = '' === $raw ? null : json_decode( $raw, true );
		if ( '' !== $raw && JSON_ERROR_NONE !== json_last_error() ) {
			return new WP_Error(
				'synchub_worker_bad_response',
				/* translators: %d: HTTP status code. */
				sprintf( __( 'The Sync Hub worker answered HTTP %d with a body that is not JSON.', 'sync-hub' ), $status ),
				array( 'status' => 502 )
			);
		}

		return array(
			'status' => $status,
			'body'   => $decoded,
		);
	}
}
