<?php
/**
 * Plugin Name: Sync Hub test double of WooCommerce products (test only)
 * Description: When WooCommerce is not active, defines a minimal WC_Product over real WordPress
 *              posts (so wp_trash_post and friends behave as in a store). Never shipped.
 *
 * @package SyncHub\Tests
 */

if ( getenv( 'SYNCHUB_NO_WC_DOUBLE' ) ) {
	return;
}

add_action(
	'plugins_loaded',
	static function () {
		if ( class_exists( 'WooCommerce', false ) || class_exists( 'WC_Product', false ) ) {
			return;
		}
		require_once dirname( __DIR__ ) . '/support/wc-product-double.php';
	},
	-999
);
