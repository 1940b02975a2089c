<?php
/**
 * Relays the worker's Server-Sent Events of stock changes to the admin page.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Stock;

defined( 'ABSPATH' ) || exit;

use SyncHub\Http\Outbound;
use WP_Error;

/**
 * The browser cannot hold the worker's admin token, so the page opens an EventSource on the
 * plugin (capability + REST nonce) and the plugin streams the worker's
 * `GET /api/v1/stock/stream` through, for at most a few seconds per connection; EventSource then
 * reconnects by itself with Last-Event-ID and misses nothing (the worker replays from that id).
 * WordPress' HTTP API buffers whole responses, so this uses cURL directly to stream.
 */
final class StockStream {

	public const WORKER_PATH = '/api/v1/stock/stream';

	/**
	 * Seconds one relayed connection stays open (a PHP worker is held meanwhile).
	 */
	public const MAX_SECONDS = 25;

	/**
	 * Stream the worker's events to $emit until the worker closes or $max_seconds pass.
	 *
	 * @param string   $url           Worker stream URL.
	 * @param string   $token         Worker admin token.
	 * @param string   $last_event_id Id of the last event the browser has ('' for none).
	 * @param callable $emit          Receives each chunk of the event stream.
	 * @param int      $max_seconds   Connection lifetime.
	 * @return true|WP_Error
	 */
	public static function relay( string $url, string $token, string $last_event_id, callable $emit, int $max_seconds = self::MAX_SECONDS ) {
		if ( ! function_exists( 'curl_init' ) ) {
			return new WP_Error( 'synchub_no_curl', __( 'The live feed needs the PHP cURL extension; the page falls back to polling.', 'sync-hub' ), array( 'status' => 501 ) );
		}
		if ( ! Outbound::is_allowed( $url ) ) {
			// cURL bypasses WordPress' safe requests, so the same rule is checked here first.
			return new WP_Error( 'synchub_stream_refused', __( 'The live feed is only read from the configured worker.', 'sync-hub' ), array( 'status' => 502 ) );
		}
		$headers = array( 'Accept: text/event-stream', 'Authorization: Bearer ' . $token );
		if ( '' !== $last_event_id && ctype_digit( $last_event_id ) ) {
			$headers[] = 'Last-Event-ID: ' . $last_event_id;
		}
		$status = 0;
		$handle = curl_init( $url ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.FoundWithAlternative -- the relay streams; the HTTP API cannot.
		curl_setopt_array( // phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_setopt_array
			$handle,
			array(
				CURLOPT_HTTPHEADER     => $headers,
				CURLOPT_CONNECTTIMEOUT => 5,
				CURLOPT_TIMEOUT        => max( 1, $max_seconds ),
				CURLOPT_FOLLOWLOCATION => false,
				CURLOPT_HEADERFUNCTION => static function ( $curl, string $line ) use ( &$status ): int {
					if ( preg_match( '#^HTTP/\S+\s+(\d{3})#', $line, $match ) ) {
						$status = (int) $match[1];
					}
					return strlen( $line );
				},
				CURLOPT_WRITEFUNCTION  => static function ( $curl, string $chunk ) use ( $emit, &$status ): int {
					if ( 200 === $status ) {
						$emit( $chunk );
					}
					return strlen( $chunk );
				},
			)
		);
		curl_exec( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_exec
		$errno = curl_errno( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_errno
		curl_close( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_close
		if ( 200 !== $status ) {
			return new WP_Error(
				'synchub_stream_unavailable',
				/* translators: %d: HTTP status of the worker, 0 when it did not answer. */
				sprintf( __( 'The worker did not open the live feed (HTTP %d).', 'sync-hub' ), $status ),
				array( 'status' => 502 )
			);
		}
		// Timing out is how a relayed connection normally ends.
		return 0 === $errno || CURLE_OPERATION_TIMEDOUT === $errno ? true : new WP_Error( 'synchub_stream_broken', __( 'The live feed from the worker broke off.', 'sync-hub' ), array( 'status' => 502 ) );
	}
}
