<?php
/**
 * Remembers the event ids of signed requests the plugin has acted on, for as long as a replay
 * could still pass the signature's time window.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Security;

defined( 'ABSPATH' ) || exit;

use SyncHub\Install\Schema;

/**
 * One row per event id in `{prefix}synchub_seen_requests`; the primary key makes the first claim
 * win across concurrent PHP requests. A signature is valid from WINDOW seconds before to WINDOW
 * seconds after its timestamp, so an id must be kept 2 × WINDOW after it was first seen.
 */
final class ReplayGuard {

	public const KEEP = 2 * Signature::WINDOW;

	private const PRUNE_BATCH = 500;

	/**
	 * Claim an event id. True the first time; false when it was seen within KEEP seconds.
	 *
	 * @param string $event_id Event id from a verified signature.
	 * @param int    $now      Unix time.
	 */
	public static function claim( string $event_id, int $now ): bool {
		global $wpdb;
		$table = Schema::seen_requests_table();
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE seen_at < %s LIMIT %d", gmdate( 'Y-m-d H:i:s', $now - self::KEEP ), self::PRUNE_BATCH ) );
		$inserted = $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$table} (event_id, seen_at) VALUES (%s, %s)", $event_id, gmdate( 'Y-m-d H:i:s', $now ) ) );
		// phpcs:enable
		return 1 === $inserted;
	}
}
