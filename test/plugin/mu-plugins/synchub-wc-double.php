<?php
/**
 * Plugin Name: Sync Hub test double of WooCommerce orders (test only)
 * Description: When WooCommerce is not active, defines minimal WC_Order-like classes and
 *              wc_get_order() so the order-paid entry point can be exercised. Never shipped.
 *
 * Set SYNCHUB_NO_WC_DOUBLE=1 in the environment to load WordPress without it.
 *
 * @package SyncHub\Tests
 */

if ( getenv( 'SYNCHUB_NO_WC_DOUBLE' ) ) {
	return;
}

// Regular plugins (WooCommerce among them) load after mu-plugins: decide once they are loaded.
add_action(
	'plugins_loaded',
	static function () {
		if ( class_exists( 'WooCommerce', false ) || class_exists( 'WC_Order', false ) ) {
			return;
		}
		require_once dirname( __DIR__ ) . '/support/wc-double.php';
	},
	-1000
);
