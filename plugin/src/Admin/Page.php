<?php
/**
 * The "Sync Hub" admin page: menu entry, script and style loading, page bootstrap data.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Admin;

defined( 'ABSPATH' ) || exit;

use SyncHub\Plugin;
use SyncHub\Rest\Controller;
use SyncHub\WooCommerce;

/**
 * Registers the page under WooCommerce (or Tools without it) and loads the React bundle.
 */
final class Page {

	public const SLUG = 'sync-hub';

	public const SCRIPT_HANDLE = 'sync-hub-admin';

	public const JSX_RUNTIME_HANDLE = 'react-jsx-runtime';

	/**
	 * Hook suffix returned by add_submenu_page().
	 *
	 * @var string
	 */
	private static $hook_suffix = '';

	/**
	 * On `admin_menu`.
	 */
	public static function on_admin_menu(): void {
		$parent = WooCommerce::is_active() ? 'woocommerce' : 'tools.php';
		$suffix = add_submenu_page(
			$parent,
			__( 'Sync Hub', 'sync-hub' ),
			__( 'Sync Hub', 'sync-hub' ),
			Controller::CAPABILITY,
			self::SLUG,
			array( self::class, 'render' )
		);
		self::$hook_suffix = is_string( $suffix ) ? $suffix : '';
	}

	/**
	 * The mount point of the React page.
	 */
	public static function render(): void {
		if ( ! current_user_can( Controller::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage Sync Hub.', 'sync-hub' ), 403 );
		}
		echo '<div class="wrap">';
		if ( ! is_readable( self::asset_file() ) ) {
			echo '<div class="notice notice-error"><p>' . esc_html__( 'The Sync Hub admin page has not been built. Run "npm run build" and reload this page.', 'sync-hub' ) . '</p></div>';
		}
		echo '<div id="synchub-admin-root"></div></div>';
	}

	/**
	 * On `admin_enqueue_scripts`: load the bundle on our page only.
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public static function on_admin_enqueue_scripts( $hook_suffix ): void {
		if ( '' === self::$hook_suffix || $hook_suffix !== self::$hook_suffix ) {
			return;
		}
		$asset = self::asset();
		if ( null === $asset ) {
			return;
		}

		self::register_jsx_runtime_fallback();

		$build = Plugin::url() . 'build/';
		wp_enqueue_script( self::SCRIPT_HANDLE, $build . 'index.js', $asset['dependencies'], $asset['version'], true );
		wp_add_inline_script( self::SCRIPT_HANDLE, 'window.syncHubAdmin = ' . wp_json_encode( self::bootstrap_data() ) . ';', 'before' );
		wp_set_script_translations( self::SCRIPT_HANDLE, 'sync-hub', Plugin::dir() . 'languages' );

		if ( is_readable( Plugin::dir() . 'build/index.css' ) ) {
			wp_enqueue_style( self::SCRIPT_HANDLE, $build . 'index.css', array( 'wp-components' ), $asset['version'] );
			if ( is_readable( Plugin::dir() . 'build/index-rtl.css' ) ) {
				wp_style_add_data( self::SCRIPT_HANDLE, 'rtl', 'replace' );
			}
		}
	}

	/**
	 * What the page reads from `window.syncHubAdmin`.
	 *
	 * @return array<string, mixed>
	 */
	public static function bootstrap_data(): array {
		return array(
			'namespace' => Controller::ROUTE_NAMESPACE,
			'locale'    => get_user_locale(),
			'isRtl'     => is_rtl(),
			'version'   => Plugin::VERSION,
			'pluginUrl' => Plugin::url(),
		);
	}

	/**
	 * WordPress < 6.6 has no `react-jsx-runtime` script; the bundle built by current
	 * @wordpress/scripts depends on it, so ship a small shim built on `window.React`.
	 */
	public static function register_jsx_runtime_fallback(): void {
		if ( wp_script_is( self::JSX_RUNTIME_HANDLE, 'registered' ) ) {
			return;
		}
		wp_register_script( self::JSX_RUNTIME_HANDLE, Plugin::url() . 'assets/react-jsx-runtime.js', array( 'react' ), Plugin::VERSION, true );
	}

	/**
	 * `build/index.asset.php` (dependencies and version written by @wordpress/scripts), or null.
	 *
	 * @return array{dependencies: string[], version: string}|null
	 */
	private static function asset(): ?array {
		$file = self::asset_file();
		if ( ! is_readable( $file ) ) {
			return null;
		}
		$asset = include $file;
		if ( ! is_array( $asset ) ) {
			return null;
		}
		return array(
			'dependencies' => isset( $asset['dependencies'] ) && is_array( $asset['dependencies'] ) ? array_values( $asset['dependencies'] ) : array(),
			'version'      => isset( $asset['version'] ) ? (string) $asset['version'] : Plugin::VERSION,
		);
	}

	/**
	 * Path of the generated asset file.
	 */
	private static function asset_file(): string {
		return Plugin::dir() . 'build/index.asset.php';
	}
}
