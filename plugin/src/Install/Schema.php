<?php
/**
 * Table names and the dbDelta schema of the plugin's own tables.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Install;

defined( 'ABSPATH' ) || exit;

/**
 * The definitions of the plugin's tables: the outbox and the replay guard.
 */
final class Schema {

	/**
	 * Bump when the CREATE TABLE below or the stored options change; `plugins_loaded` re-runs
	 * the installer then. 2: the replay guard table. 3: secret options no longer autoloaded,
	 * products signing key.
	 */
	public const VERSION = '3';

	public const VERSION_OPTION = 'synchub_schema_version';

	/**
	 * `{prefix}synchub_outbox`.
	 */
	public static function outbox_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'synchub_outbox';
	}

	/**
	 * `{prefix}synchub_seen_requests`: event ids of signed requests already acted on (ReplayGuard).
	 */
	public static function seen_requests_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'synchub_seen_requests';
	}

	/**
	 * Every table the plugin owns (for uninstall).
	 *
	 * @return string[]
	 */
	public static function tables(): array {
		return array( self::outbox_table(), self::seen_requests_table() );
	}

	/**
	 * CREATE TABLE statements in dbDelta's format (two spaces after PRIMARY KEY, one key per line).
	 *
	 * `pending_key` equals `resource_key` while the row is pending and is NULL afterwards; its
	 * UNIQUE index lets `Outbox::record()` coalesce pending rows with INSERT … ON DUPLICATE KEY
	 * UPDATE (NULLs never collide, so delivered and failed rows pile up freely).
	 * All datetimes are UTC.
	 *
	 * @return string[]
	 */
	public static function statements(): array {
		global $wpdb;
		$charset_collate = $wpdb->get_charset_collate();
		$table           = self::outbox_table();
		$seen            = self::seen_requests_table();

		return array(
			"CREATE TABLE {$table} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  event_id char(36) NOT NULL,
  topic varchar(100) NOT NULL,
  resource_key varchar(191) NOT NULL,
  pending_key varchar(191) DEFAULT NULL,
  payload longtext NOT NULL,
  destination varchar(255) NOT NULL,
  status varchar(20) NOT NULL DEFAULT 'pending',
  attempts int(10) unsigned NOT NULL DEFAULT 0,
  next_attempt_at datetime NOT NULL,
  deadline_at datetime NOT NULL,
  claim_token char(32) DEFAULT NULL,
  claimed_until datetime DEFAULT NULL,
  last_error text DEFAULT NULL,
  created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  delivered_at datetime DEFAULT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY event_id (event_id),
  UNIQUE KEY pending_key (pending_key),
  KEY status_next_attempt (status,next_attempt_at),
  KEY resource_key (resource_key),
  KEY claim_token (claim_token)
) {$charset_collate};",
			"CREATE TABLE {$seen} (
  event_id varchar(191) NOT NULL,
  seen_at datetime NOT NULL,
  PRIMARY KEY  (event_id),
  KEY seen_at (seen_at)
) {$charset_collate};",
		);
	}
}
