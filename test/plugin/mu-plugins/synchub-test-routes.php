<?php
/**
 * Plugin Name: Sync Hub test routes (test only)
 * Description: `POST /wp-json/synchub-test/v1/orders` stores a WooCommerce-shaped order in the
 *              WooCommerce test double and marks it paid by firing WooCommerce's own paid hooks,
 *              which reach the plugin's order-paid entry point. Loopback clients only. Never shipped.
 *
 * @package SyncHub\Tests
 */

add_action(
	'rest_api_init',
	static function () {
		register_rest_route(
			'synchub-test/v1',
			'/orders',
			array(
				'methods'             => 'POST',
				'permission_callback' => static function () {
					$remote = isset( $_SERVER['REMOTE_ADDR'] ) ? (string) $_SERVER['REMOTE_ADDR'] : '';
					return in_array( $remote, array( '127.0.0.1', '::1' ), true );
				},
				'callback'            => 'synchub_test_route_paid_order',
			)
		);
	}
);

/**
 * Create an order from the JSON body and fire the hooks WooCommerce fires when it gets paid.
 *
 * Body: the order in WooCommerce REST shape (billing, line_items, …), optional `hooks`: the
 * paid hooks to fire, in order (default: status_processing then payment_complete, as
 * WC_Order::payment_complete() does).
 *
 * @param WP_REST_Request $request Request.
 * @return WP_REST_Response|WP_Error
 */
function synchub_test_route_paid_order( WP_REST_Request $request ) {
	if ( ! class_exists( 'WC_Order' ) || ! method_exists( 'WC_Order', 'create_for_test' ) ) {
		return new WP_Error( 'synchub_test_no_double', 'The WooCommerce test double is not loaded.', array( 'status' => 500 ) );
	}
	$data = $request->get_json_params();
	if ( ! is_array( $data ) ) {
		return new WP_Error( 'synchub_test_bad_body', 'JSON object expected.', array( 'status' => 400 ) );
	}
	$hooks = isset( $data['hooks'] ) ? (array) $data['hooks'] : array( 'status_processing', 'payment_complete' );
	unset( $data['hooks'] );

	$data['status']        = 'pending';
	$data['date_paid_gmt'] = gmdate( 'Y-m-d H:i:s' );
	$order                 = WC_Order::create_for_test( $data );
	$order->set_status( 'processing' );
	$order->save();

	foreach ( $hooks as $hook ) {
		if ( 'status_processing' === $hook ) {
			do_action( 'woocommerce_order_status_processing', $order->get_id(), $order, array() );
		} elseif ( 'status_completed' === $hook ) {
			do_action( 'woocommerce_order_status_completed', $order->get_id(), $order, array() );
		} elseif ( 'payment_complete' === $hook ) {
			do_action( 'woocommerce_payment_complete', $order->get_id(), 'txn_test' );
		}
	}

	$stored = wc_get_order( $order->get_id() );
	return new WP_REST_Response(
		array(
			'order_id' => $order->get_id(),
			'event_id' => $stored ? $stored->get_meta( '_synchub_paid_event' ) : '',
		),
		201
	);
}
