<?php
/**
 * Plugin Name: Sync Hub test double of WooCommerce stock functions (test only)
 * Description: When WooCommerce is not active, defines wc_get_product_id_by_sku() and
 *              wc_update_product_stock() over the product double. Never shipped.
 *
 * @package SyncHub\Tests
 */

if ( getenv( 'SYNCHUB_NO_WC_DOUBLE' ) ) {
	return;
}

add_action(
	'plugins_loaded',
	static function () {
		if ( class_exists( 'WooCommerce', false ) || function_exists( 'wc_update_product_stock' ) ) {
			return;
		}
		require_once dirname( __DIR__ ) . '/support/wc-stock-double.php';
	},
	-998
);
