<?php
/**
 * Activation, schema upgrades and deactivation.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Install;

defined( 'ABSPATH' ) || exit;

use SyncHub\Outbox\Background;
use SyncHub\Outbox\Cron;
use SyncHub\Products\ProductSettings;
use SyncHub\Settings\Settings;

/**
 * Creates and upgrades the plugin's tables and options.
 */
final class Installer {

	/**
	 * Options holding secrets: never autoloaded, so they are not read on every page load nor
	 * kept in the `alloptions` cache.
	 */
	public const SECRET_OPTIONS = array( Settings::OPTION, ProductSettings::OPTION );

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
		Background::unschedule();
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
		ProductSettings::ensure_defaults();
		self::stop_autoloading_secrets();
		update_option( Schema::VERSION_OPTION, Schema::VERSION, true );
		Cron::ensure_scheduled();
	}

	/**
	 * Turn autoloading off for secret options saved by older versions (autoloaded then).
	 *
	 * WordPress 6.4+ does it in place; before that, update_option() cannot change autoload
	 * without changing the value, so the option is deleted and added again with the same value.
	 */
	public static function stop_autoloading_secrets(): void {
		// Before 6.4, update_option() with a new autoload value leaves the option in the cached
		// `alloptions`; read them again so a delete + add is not answered from that stale copy.
		wp_cache_delete( 'alloptions', 'options' );
		$autoloaded = wp_load_alloptions();
		foreach ( self::SECRET_OPTIONS as $option ) {
			if ( ! array_key_exists( $option, $autoloaded ) ) {
				continue;
			}
			if ( function_exists( 'wp_set_option_autoload' ) ) {
				wp_set_option_autoload( $option, false );
				continue;
			}
			$value = get_option( $option );
			delete_option( $option );
			add_option( $option, $value, '', 'no' );
		}
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
