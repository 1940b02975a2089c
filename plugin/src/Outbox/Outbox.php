<?php
/**
 * The durable outbox: what a WooCommerce hook writes instead of calling the network.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Outbox;

defined( 'ABSPATH' ) || exit;

use SyncHub\Install\Schema;
use WP_Error;

/**
 * Records events for later, signed delivery by the Dispatcher.
 */
final class Outbox {

	public const STATUS_PENDING = 'pending';

	public const STATUS_DELIVERED = 'delivered';

	public const STATUS_FAILED = 'failed';

	public const STATUSES = array( self::STATUS_PENDING, self::STATUS_DELIVERED, self::STATUS_FAILED );

	/**
	 * A row that keeps failing becomes `failed` this long after it was created.
	 */
	public const GIVE_UP_AFTER = 48 * HOUR_IN_SECONDS;

	/**
	 * The longest a stream of changes to one resource can keep postponing its delivery,
	 * counted from the first change (at least this, or five debounce windows).
	 */
	public const MAX_COALESCE_WAIT = 5 * MINUTE_IN_SECONDS;

	public const MAX_DEBOUNCE = HOUR_IN_SECONDS;

	/**
	 * How many rows this request recorded (the shutdown dispatcher runs only when > 0).
	 *
	 * @var int
	 */
	private static $recorded = 0;

	/**
	 * Record one event with a single query.
	 *
	 * A new row is inserted, unless a row for the same resource is still pending: then that row
	 * takes the new topic, payload and a new event id (trailing debounce — the latest state is what
	 * gets sent), and its send time moves to now + $debounce (never beyond MAX_COALESCE_WAIT after
	 * its first change, and never earlier than a retry back-off already set).
	 *
	 * @param string                                   $topic        Such as `order.paid`.
	 * @param string                                   $resource_key Such as `order:123`; one pending row per key.
	 * @param array<string, mixed>|\JsonSerializable   $payload      Body to send, encoded as JSON.
	 * @param string                                   $destination  Worker path (`/webhook/order`) or a full http(s) URL.
	 * @param int                                      $debounce     Seconds to wait for further changes before sending.
	 * @return string|WP_Error The event id (UUID v4), or why nothing was written.
	 */
	public static function record( string $topic, string $resource_key, $payload, string $destination, int $debounce = 0 ) {
		$invalid = self::validate( $topic, $resource_key, $destination, $debounce );
		if ( is_wp_error( $invalid ) ) {
			return $invalid;
		}

		// Default flags escape non-ASCII as \uXXXX: the query stays ASCII, so wpdb skips its
		// per-table charset checks (extra queries) and the signed body is plain ASCII JSON.
		$body = ( is_array( $payload ) || $payload instanceof \JsonSerializable ) ? wp_json_encode( $payload ) : false;
		if ( ! is_string( $body ) ) {
			return new WP_Error(
				'synchub_outbox_invalid_payload',
				__( 'The outbox payload must be an array that can be encoded as JSON.', 'sync-hub' ),
				array( 'status' => 400 )
			);
		}

		global $wpdb;
		$table    = Schema::outbox_table();
		$event_id = wp_generate_uuid4();
		$now      = time();
		$max_wait = max( self::MAX_COALESCE_WAIT, 5 * $debounce );

		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
		$sql = $wpdb->prepare(
			"INSERT INTO {$table}
				(event_id, topic, resource_key, pending_key, payload, destination, status, attempts, next_attempt_at, deadline_at, created_at, updated_at)
			VALUES (%s, %s, %s, %s, %s, %s, 'pending', 0, %s, %s, %s, %s)
			ON DUPLICATE KEY UPDATE
				next_attempt_at = IF(attempts = 0, LEAST(GREATEST(next_attempt_at, VALUES(next_attempt_at)), DATE_ADD(created_at, INTERVAL %d SECOND)), next_attempt_at),
				event_id = VALUES(event_id),
				topic = VALUES(topic),
				payload = VALUES(payload),
				destination = VALUES(destination),
				updated_at = VALUES(updated_at)",
			$event_id,
			$topic,
			$resource_key,
			$resource_key,
			$body,
			$destination,
			self::datetime( $now + $debounce ),
			self::datetime( $now + self::GIVE_UP_AFTER ),
			self::datetime( $now ),
			self::datetime( $now ),
			$max_wait
		);
		// phpcs:enable

		$result = $wpdb->query( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared above.
		if ( false === $result ) {
			return new WP_Error(
				'synchub_outbox_write_failed',
				__( 'The event could not be written to the Sync Hub outbox.', 'sync-hub' ),
				array(
					'status'   => 500,
					'db_error' => $wpdb->last_error,
				)
			);
		}

		++self::$recorded;
		return $event_id;
	}

	/**
	 * Whether this request recorded anything.
	 */
	public static function recorded_in_request(): bool {
		return self::$recorded > 0;
	}

	/**
	 * Ask for a dispatch at the end of this request (e.g. after a manual retry).
	 */
	public static function mark_recorded(): void {
		++self::$recorded;
	}

	/**
	 * Forget what this request recorded (after dispatching, and between tests).
	 */
	public static function reset_request_state(): void {
		self::$recorded = 0;
	}

	/**
	 * UTC `Y-m-d H:i:s` for a Unix time.
	 *
	 * @param int $timestamp Unix time.
	 */
	public static function datetime( int $timestamp ): string {
		return gmdate( 'Y-m-d H:i:s', $timestamp );
	}

	/**
	 * Check the arguments before anything is written.
	 *
	 * @param string $topic        Topic.
	 * @param string $resource_key Resource key.
	 * @param string $destination  Destination path or URL.
	 * @param int    $debounce     Debounce seconds.
	 * @return true|WP_Error
	 */
	private static function validate( string $topic, string $resource_key, string $destination, int $debounce ) {
		if ( 1 !== preg_match( '/^[a-z0-9_]+(\.[a-z0-9_]+)+$/', $topic ) || strlen( $topic ) > 100 ) {
			return new WP_Error(
				'synchub_outbox_invalid_topic',
				/* translators: %s: the rejected topic. */
				sprintf( __( 'Invalid outbox topic "%s": use lower-case words joined by dots, such as order.paid.', 'sync-hub' ), $topic ),
				array( 'status' => 400 )
			);
		}
		if ( 1 !== preg_match( '/^[\x21-\x7E]{1,191}$/', $resource_key ) ) {
			return new WP_Error(
				'synchub_outbox_invalid_resource_key',
				__( 'The outbox resource key must be 1 to 191 printable characters without spaces, such as order:123.', 'sync-hub' ),
				array( 'status' => 400 )
			);
		}
		if ( ! self::is_valid_destination( $destination ) ) {
			return new WP_Error(
				'synchub_outbox_invalid_destination',
				__( 'The outbox destination must be a worker path such as /webhook/order or an http(s) URL.', 'sync-hub' ),
				array( 'status' => 400 )
			);
		}
		if ( $debounce < 0 || $debounce > self::MAX_DEBOUNCE ) {
			return new WP_Error(
				'synchub_outbox_invalid_debounce',
				__( 'The outbox debounce must be between 0 seconds and one hour.', 'sync-hub' ),
				array( 'status' => 400 )
			);
		}
		return true;
	}

	/**
	 * A path on the worker, or an absolute http(s) URL.
	 *
	 * @param string $destination Destination.
	 */
	public static function is_valid_destination( string $destination ): bool {
		if ( strlen( $destination ) > 255 ) {
			return false;
		}
		if ( 1 === preg_match( '#^/[A-Za-z0-9/_.~%-]*$#', $destination ) ) {
			return false === strpos( $destination, '..' ) && false === strpos( $destination, '//' );
		}
		$scheme = wp_parse_url( $destination, PHP_URL_SCHEME );
		return in_array( $scheme, array( 'http', 'https' ), true )
			&& (bool) wp_parse_url( $destination, PHP_URL_HOST )
			&& esc_url_raw( $destination, array( 'http', 'https' ) ) === $destination;
	}
}
