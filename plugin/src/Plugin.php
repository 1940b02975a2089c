<?php
/**
 * Plugin-wide facts: version, main file, paths.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub;

defined( 'ABSPATH' ) || exit;

/**
 * Where the plugin lives and which version it is.
 */
final class Plugin {

	public const VERSION = '0.1.0';

	public const TEXT_DOMAIN = 'sync-hub';

	/**
	 * Absolute path of sync-hub.php.
	 *
	 * @var string
	 */
	private static $file = '';

	/**
	 * Remember the main plugin file (called once by the bootstrap).
	 *
	 * @param string $file Absolute path of sync-hub.php.
	 */
	public static function set_file( string $file ): void {
		self::$file = $file;
	}

	/**
	 * Absolute path of sync-hub.php.
	 */
	public static function file(): string {
		return '' !== self::$file ? self::$file : dirname( __DIR__ ) . '/sync-hub.php';
	}

	/**
	 * Absolute directory of the plugin, with a trailing slash.
	 */
	public static function dir(): string {
		return plugin_dir_path( self::file() );
	}

	/**
	 * Public URL of the plugin directory, with a trailing slash.
	 */
	public static function url(): string {
		return plugin_dir_url( self::file() );
	}

	/**
	 * Basename such as `sync-hub/sync-hub.php`.
	 */
	public static function basename(): string {
		return plugin_basename( self::file() );
	}
}
