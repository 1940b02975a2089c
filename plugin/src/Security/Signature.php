<?php
/**
 * Sync Hub's v2 request signature, shared with the worker (worker/src/core/signing.ts).
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Security;

defined( 'ABSPATH' ) || exit;

use WP_Error;

/**
 * Signs and verifies calls between the plugin and the worker. The signed bytes are
 *
 *     synchub-v2:<purpose>\n<timestamp>\n<event id>\n<topic>\n<raw body>
 *
 * with base64(HMAC-SHA256(…, webhook secret)) sent as `X-SyncHub-Signature: v2=<…>` next to
 * `X-SyncHub-Timestamp`, `X-SyncHub-Event-Id` and `X-SyncHub-Topic`. The timestamp bounds a replay
 * to WINDOW seconds either way (the event id dedupes inside it); the purpose keeps a signature of
 * one direction from being valid in the other although both share one secret. Header values
 * cannot hold a line feed, so the fields split one way only.
 */
final class Signature {

	public const VERSION = 'v2';

	/**
	 * Seconds a signature's timestamp may be from this clock, in either direction.
	 */
	public const WINDOW = 300;

	public const PLUGIN_TO_WORKER = 'plugin-to-worker';

	public const WORKER_TO_PLUGIN = 'worker-to-plugin';

	public const HEADER_TIMESTAMP = 'X-SyncHub-Timestamp';

	public const HEADER_EVENT_ID = 'X-SyncHub-Event-Id';

	public const HEADER_TOPIC = 'X-SyncHub-Topic';

	public const HEADER_SIGNATURE = 'X-SyncHub-Signature';

	private const EVENT_ID_PATTERN = '/^[A-Za-z0-9][A-Za-z0-9._:-]{0,190}$/';

	private const TOPIC_PATTERN = '/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/';

	/**
	 * `v2=` + base64 of the raw HMAC-SHA256 of the signing input.
	 *
	 * @param string $secret    Shared webhook secret.
	 * @param string $purpose   self::PLUGIN_TO_WORKER or self::WORKER_TO_PLUGIN.
	 * @param int    $timestamp Unix seconds.
	 * @param string $event_id  Event id.
	 * @param string $topic     Topic such as order.paid.
	 * @param string $body      Exact body bytes.
	 */
	public static function sign( string $secret, string $purpose, int $timestamp, string $event_id, string $topic, string $body ): string {
		$input = 'synchub-' . self::VERSION . ':' . $purpose . "\n" . $timestamp . "\n" . $event_id . "\n" . $topic . "\n" . $body;
		return self::VERSION . '=' . base64_encode( hash_hmac( 'sha256', $input, $secret, true ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the wire format.
	}

	/**
	 * The four headers of a signed request.
	 *
	 * @param string $secret   Shared webhook secret.
	 * @param string $purpose  Direction.
	 * @param string $event_id Event id.
	 * @param string $topic    Topic.
	 * @param string $body     Exact body bytes.
	 * @param int    $now      Unix time of signing.
	 * @return array<string, string>
	 */
	public static function headers( string $secret, string $purpose, string $event_id, string $topic, string $body, int $now ): array {
		return array(
			self::HEADER_TIMESTAMP => (string) $now,
			self::HEADER_EVENT_ID  => $event_id,
			self::HEADER_TOPIC     => $topic,
			self::HEADER_SIGNATURE => self::sign( $secret, $purpose, $now, $event_id, $topic, $body ),
		);
	}

	/**
	 * Check a signed request: every header present and well formed, the HMAC (constant time), then
	 * the timestamp within WINDOW of $now. Only a correctly signed request learns that its time was
	 * the problem.
	 *
	 * @param callable $header  Reads one header by name (null or '' when absent).
	 * @param string   $body    Exact body bytes.
	 * @param string   $secret  Shared webhook secret.
	 * @param string   $purpose Direction this endpoint accepts.
	 * @param int      $now     Unix time.
	 * @return array{timestamp: int, event_id: string, topic: string}|WP_Error 401 errors.
	 */
	public static function verify( callable $header, string $body, string $secret, string $purpose, int $now ) {
		$given = trim( (string) $header( self::HEADER_SIGNATURE ) );
		if ( '' === $given ) {
			/* translators: %s: an HTTP header name. */
			return self::refuse( 'synchub_missing_signature', sprintf( __( 'The %s header is missing.', 'sync-hub' ), self::HEADER_SIGNATURE ) );
		}
		if ( 0 !== strpos( $given, self::VERSION . '=' ) || strlen( $given ) === strlen( self::VERSION ) + 1 ) {
			/* translators: %s: an HTTP header name. */
			return self::refuse( 'synchub_invalid_signature', sprintf( __( 'The %s header must be "v2=" followed by the base64 HMAC-SHA256.', 'sync-hub' ), self::HEADER_SIGNATURE ) );
		}
		$timestamp = trim( (string) $header( self::HEADER_TIMESTAMP ) );
		$event_id  = trim( (string) $header( self::HEADER_EVENT_ID ) );
		$topic     = trim( (string) $header( self::HEADER_TOPIC ) );
		if ( 1 !== preg_match( '/^\d{1,12}$/', $timestamp ) ) {
			/* translators: %s: an HTTP header name. */
			return self::refuse( 'synchub_incomplete_signature', sprintf( __( 'The %s header must be the Unix time in seconds.', 'sync-hub' ), self::HEADER_TIMESTAMP ) );
		}
		if ( 1 !== preg_match( self::EVENT_ID_PATTERN, $event_id ) ) {
			/* translators: %s: an HTTP header name. */
			return self::refuse( 'synchub_incomplete_signature', sprintf( __( 'The %s header is missing or not an event id.', 'sync-hub' ), self::HEADER_EVENT_ID ) );
		}
		if ( 1 !== preg_match( self::TOPIC_PATTERN, $topic ) || strlen( $topic ) > 100 ) {
			/* translators: %s: an HTTP header name. */
			return self::refuse( 'synchub_incomplete_signature', sprintf( __( 'The %s header is missing or not a topic.', 'sync-hub' ), self::HEADER_TOPIC ) );
		}
		if ( ! hash_equals( self::sign( $secret, $purpose, (int) $timestamp, $event_id, $topic, $body ), $given ) ) {
			return self::refuse( 'synchub_invalid_signature', __( 'The request signature does not match.', 'sync-hub' ) );
		}
		if ( abs( (int) $timestamp - $now ) > self::WINDOW ) {
			return self::refuse(
				'synchub_signature_expired',
				/* translators: %d: the number of seconds a signature stays valid. */
				sprintf( __( 'The signature is more than %d seconds away from this server\'s clock; sign the request again or check the clocks.', 'sync-hub' ), self::WINDOW )
			);
		}
		return array(
			'timestamp' => (int) $timestamp,
			'event_id'  => $event_id,
			'topic'     => $topic,
		);
	}

	/**
	 * A 401 WP_Error.
	 *
	 * @param string $code    Error code.
	 * @param string $message Translated message.
	 */
	private static function refuse( string $code, string $message ): WP_Error {
		return new WP_Error( $code, $message, array( 'status' => 401 ) );
	}
}
