<?php
/**
 * Removes everything the plugin created.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Install;

defined( 'ABSPATH' ) || exit;

use SyncHub\Outbox\Cron;
use SyncHub\Settings\Settings;

/**
 * Drops the plugin's tables and deletes its options and schedules.
 *
 * The `_synchub_paid_event` order meta flag is left in place: orders belong to WooCommerce and
 * the plugin never touches WooCommerce's tables directly.
 */
final class Uninstaller {

	/**
	 * Every option the plugin writes.
	 *
	 * @return string[]
	 */
	public static function options(): array {
		return array( Settings::OPTION, Schema::VERSION_OPTION );
	}

	/**
	 * Uninstall on every site of a network, or on this site.
	 */
	public static function uninstall(): void {
		if ( is_multisite() ) {
			foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $site_id ) {
				switch_to_blog( (int) $site_id );
				self::uninstall_site();
				restore_current_blog();
			}
			return;
		}
		self::uninstall_site();
	}

	/**
	 * Uninstall on the current site.
	 */
	public static function uninstall_site(): void {
		global $wpdb;

		Cron::unschedule();
		foreach ( Schema::tables() as $table ) {
			$wpdb->query( "DROP TABLE IF EXISTS `{$table}`" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
		}
		foreach ( self::options() as $option ) {
			delete_option( $option );
		}
	}
}
