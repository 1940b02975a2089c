<?php
/**
 * Activation, schema upgrades and deactivation.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Install;

defined( 'ABSPATH' ) || exit;

use SyncHub\Outbox\Cron;
use SyncHub\Settings\Settings;

/**
 * Creates and upgrades the plugin's tables and options.
 */
final class Installer {

	/**
	 * Activation: tables, settings (with a fresh webhook secret) and the dispatch schedule.
	 *
	 * @param bool $network_wide Whether the plugin is network-activated.
	 */
	public static function activate( $network_wide = false ): void {
		if ( $network_wide && is_multisite() ) {
			foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $site_id ) {
				switch_to_blog( (int) $site_id );
				self::install();
				restore_current_blog();
			}
			return;
		}
		self::install();
	}

	/**
	 * Deactivation: stop the schedule, keep the data.
	 */
	public static function deactivate(): void {
		Cron::unschedule();
	}

	/**
	 * Create or upgrade the tables, make sure the settings exist, schedule dispatching.
	 */
	public static function install(): void {
		global $wpdb;

		require_once ABSPATH . 'wp-admin/includes/upgrade.php';

		$suppress = $wpdb->suppress_errors( true );
		dbDelta( Schema::statements() );
		$wpdb->suppress_errors( $suppress );

		Settings::ensure_defaults();
		update_option( Schema::VERSION_OPTION, Schema::VERSION, true );
		Cron::ensure_scheduled();
	}

	/**
	 * On `plugins_loaded`: re-run the installer when the stored schema version differs.
	 *
	 * The version option is autoloaded, so the common case costs no query.
	 */
	public static function maybe_upgrade(): void {
		if ( Schema::VERSION !== get_option( Schema::VERSION_OPTION ) ) {
			self::install();
		}
	}
}
