<?php
/**
 * What the plugin may use of WooCommerce, detected at run time.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub;

defined( 'ABSPATH' ) || exit;

/**
 * Guards around WooCommerce's public API so the plugin never fatals without it.
 */
final class WooCommerce {

	/**
	 * Whether WooCommerce itself is loaded (not just a class that looks like an order).
	 */
	public static function is_active(): bool {
		return class_exists( 'WooCommerce', false ) && function_exists( 'WC' );
	}

	/**
	 * Whether orders can be loaded through WooCommerce's CRUD API.
	 */
	public static function can_load_orders(): bool {
		return function_exists( 'wc_get_order' ) && class_exists( 'WC_Order' );
	}

	/**
	 * Declare compatibility with High-Performance Order Storage.
	 *
	 * The plugin reads orders only through WC_Order, so both storages work.
	 */
	public static function declare_compatibility(): void {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', Plugin::file(), true );
		}
	}
}
