<?php
/**
 * Every hook the plugin uses, wired in one place.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub;

defined( 'ABSPATH' ) || exit;

use SyncHub\Admin\Capabilities;
use SyncHub\Admin\Notices;
use SyncHub\Admin\Page;
use SyncHub\Bookings\BookingPayload;
use SyncHub\Bookings\RestController as BookingsController;
use SyncHub\Bookings\VolumeDiscount;
use SyncHub\Http\WebhookPorts;
use SyncHub\Install\Installer;
use SyncHub\Orders\OrderEvents;
use SyncHub\Products\ProductDelivery;
use SyncHub\Products\ProductEvents;
use SyncHub\Products\ProductsController;
use SyncHub\Products\ResendController;
use SyncHub\Outbox\Background;
use SyncHub\Outbox\Cron;
use SyncHub\Outbox\Dispatcher;
use SyncHub\Rest\OutboxController;
use SyncHub\Rest\ProductPickerController;
use SyncHub\Rest\RequestLimits;
use SyncHub\Rest\SettingsController;
use SyncHub\Rest\WorkerProxyController;
use SyncHub\Stock\StockController;
use SyncHub\Stock\StockWriter;

/**
 * Attach the plugin to WordPress and WooCommerce.
 *
 * @param string $file Absolute path of sync-hub.php.
 */
function init_hooks( string $file ): void {
	Plugin::set_file( $file );

	register_activation_hook( $file, array( Installer::class, 'activate' ) );
	register_deactivation_hook( $file, array( Installer::class, 'deactivate' ) );

	// Setup.
	add_action( 'plugins_loaded', array( Installer::class, 'maybe_upgrade' ) );
	add_action( 'init', __NAMESPACE__ . '\\action_init' );
	add_action( 'before_woocommerce_init', array( WooCommerce::class, 'declare_compatibility' ) );
	add_filter( 'user_has_cap', array( Capabilities::class, 'on_user_has_cap' ), 10, 2 );

	// Outbox delivery.
	add_filter( 'cron_schedules', array( Cron::class, 'add_schedule' ) );
	add_action( Cron::HOOK, array( Dispatcher::class, 'on_cron' ) );
	add_action( Background::HOOK, array( Dispatcher::class, 'on_cron' ) );
	add_action( 'shutdown', array( Dispatcher::class, 'on_shutdown' ), Dispatcher::SHUTDOWN_PRIORITY );

	// A native WooCommerce webhook pointed at the worker's /webhook/order may use the worker's port.
	add_filter( 'http_allowed_safe_ports', array( WebhookPorts::class, 'on_http_allowed_safe_ports' ), 10, 3 );
	add_filter( 'http_request_host_is_external', array( WebhookPorts::class, 'on_http_request_host_is_external' ), 10, 3 );

	// WooCommerce order events.
	add_action( 'woocommerce_payment_complete', array( OrderEvents::class, 'on_payment_complete' ), OrderEvents::PRIORITY, 1 );
	add_action( 'woocommerce_order_status_processing', array( OrderEvents::class, 'on_order_status_processing' ), OrderEvents::PRIORITY, 2 );
	add_action( 'woocommerce_order_status_completed', array( OrderEvents::class, 'on_order_status_completed' ), OrderEvents::PRIORITY, 2 );

	// Products feed: create/update, variations roll up to the parent, trash/untrash/delete
	// through WordPress core (wp-admin trash bypasses WooCommerce's trash hook).
	add_action( 'woocommerce_new_product', array( ProductEvents::class, 'on_new_product' ), 20, 2 );
	add_action( 'woocommerce_update_product', array( ProductEvents::class, 'on_update_product' ), 20, 2 );
	add_action( 'woocommerce_new_product_variation', array( ProductEvents::class, 'on_variation_saved' ), 20, 2 );
	add_action( 'woocommerce_update_product_variation', array( ProductEvents::class, 'on_variation_saved' ), 20, 2 );
	add_action( 'wp_trash_post', array( ProductEvents::class, 'on_post_removed' ), 10, 1 );
	add_action( 'before_delete_post', array( ProductEvents::class, 'on_post_removed' ), 10, 1 );
	add_action( 'untrashed_post', array( ProductEvents::class, 'on_post_untrashed' ), 10, 1 );
	add_action( 'shutdown', array( ProductEvents::class, 'on_shutdown' ), ProductEvents::SHUTDOWN_PRIORITY );
	add_filter( 'synchub_delivery_request', array( ProductDelivery::class, 'filter_request' ), 10, 2 );
	add_filter( 'synchub_delivery_signing_key', array( ProductDelivery::class, 'filter_signing_key' ), 10, 2 );
	add_action( 'synchub_outbox_delivered', array( ProductDelivery::class, 'on_delivered' ), 10, 1 );

	// Bookings: YITH data in the order.paid payload, the cart volume discount.
	add_filter( 'synchub_order_payload', array( BookingPayload::class, 'on_synchub_order_payload' ), 10, 2 );
	add_action( 'woocommerce_cart_calculate_fees', array( VolumeDiscount::class, 'on_woocommerce_cart_calculate_fees' ) );
	add_action( 'woocommerce_checkout_create_order', array( VolumeDiscount::class, 'on_woocommerce_checkout_create_order' ) );
	// The block checkout (Store API) never fires woocommerce_checkout_create_order.
	add_action( 'woocommerce_store_api_checkout_update_order_meta', array( VolumeDiscount::class, 'on_woocommerce_checkout_create_order' ) );

	// Stock from SIIGO: our own stock writes are not product changes (no echo to the products feed).
	add_filter( 'synchub_is_stock_write', array( StockWriter::class, 'on_synchub_is_stock_write' ), 10, 1 );

	// REST API: size and nesting limits before any route of the namespace runs.
	add_action( 'rest_api_init', __NAMESPACE__ . '\\action_rest_api_init' );
	add_filter( 'rest_pre_dispatch', array( RequestLimits::class, 'on_rest_pre_dispatch' ), 10, 3 );

	// Admin.
	add_action( 'admin_menu', array( Page::class, 'on_admin_menu' ), 60 );
	add_action( 'admin_enqueue_scripts', array( Page::class, 'on_admin_enqueue_scripts' ) );
	add_action( 'admin_notices', array( Notices::class, 'on_admin_notices' ) );
}

/**
 * On `init`: translations for PHP strings, and the dispatch schedule if it went missing.
 */
function action_init(): void {
	load_plugin_textdomain( 'sync-hub', false, dirname( Plugin::basename() ) . '/languages' );
	Cron::ensure_scheduled();
}

/**
 * On `rest_api_init`: the `sync-hub/v1` routes.
 */
function action_rest_api_init(): void {
	$controllers = array(
		new SettingsController(),
		new OutboxController(),
		new WorkerProxyController(),
		new BookingsController(),
		new ProductsController(),
		new ResendController(),
		new StockController(),
		new ProductPickerController(),
	);
	foreach ( $controllers as $controller ) {
		$controller->register_routes();
	}
}
