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
 * Drops the plugin's tables and deletes its options, transients and schedules.
 *
 * Everything named with the plugin's prefix goes (`{prefix}synchub_*` tables, `synchub_*`
 * options and transients), so a domain that adds its own option or table is covered without
 * registering it here. The `_synchub_paid_event` order meta is left in place: orders belong to
 * WooCommerce and the plugin never touches WooCommerce's tables directly.
 */
final class Uninstaller {

	/**
	 * Every option the plugin writes on this site: the core ones plus any `synchub_*` option.
	 *
	 * @return string[]
	 */
	public static function options(): array {
		global $wpdb;
		$found = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( 'synchub_' ) . '%' ) );
		return array_values( array_unique( array_merge( array( Settings::OPTION, Schema::VERSION_OPTION ), (array) $found ) ) );
	}

	/**
	 * Every table of the plugin on this site: the outbox plus any `{prefix}synchub_*` table.
	 *
	 * @return string[]
	 */
	public static function tables(): array {
		global $wpdb;
		$found = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'synchub_' ) . '%' ) );
		return array_values( array_unique( array_merge( Schema::tables(), (array) $found ) ) );
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
		foreach ( self::tables() as $table ) {
			$wpdb->query( "DROP TABLE IF EXISTS `{$table}`" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- names from $wpdb->prefix / SHOW TABLES.
		}
		foreach ( self::options() as $option ) {
			delete_option( $option );
		}
		$transients = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( '_transient_synchub_' ) . '%' ) );
		foreach ( (array) $transients as $name ) {
			delete_transient( substr( (string) $name, strlen( '_transient_' ) ) );
		}
	}
}
