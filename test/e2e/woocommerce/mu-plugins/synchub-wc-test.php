<?php
/**
 * Plugin Name: Sync Hub test helpers for the real WooCommerce (test only)
 * Description: Store setup and a few named operations through WooCommerce's own PHP API (CRUD,
 *              wc_create_refund, options), called by the end-to-end suites with runPhp. A YITH
 *              Booking stand-in puts `yith_booking_data` on cart items and order items the way
 *              YITH does, when the shopper's request carries `X-SyncHub-Test-Persons`. Never shipped.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

/**
 * Set the store up as an owner would: USD, a US store address, cash on delivery, no onboarding
 * wizard, the order storage mode, and an application password for REST calls.
 *
 * @param bool $hpos High-Performance Order Storage on (true) or posts storage (false).
 * @return array<string, mixed>
 */
function synchub_test_setup_store( bool $hpos ): array {
	update_option( 'woocommerce_currency', 'USD' );
	update_option( 'woocommerce_default_country', 'US:CA' );
	update_option( 'woocommerce_store_address', '1 Market St' );
	update_option( 'woocommerce_store_city', 'San Francisco' );
	update_option( 'woocommerce_store_postcode', '94103' );
	update_option( 'woocommerce_calc_taxes', 'no' );
	update_option( 'woocommerce_enable_guest_checkout', 'yes' );
	update_option( 'woocommerce_allow_tracking', 'no' );
	update_option( 'woocommerce_show_marketplace_suggestions', 'no' );
	update_option( 'woocommerce_task_list_hidden', 'yes' );
	update_option( 'woocommerce_onboarding_profile', array( 'skipped' => true ) );
	update_option( 'woocommerce_admin_disabled', 'no' );
	update_option( 'woocommerce_manage_stock', 'yes' );
	update_option(
		'woocommerce_cod_settings',
		array(
			'enabled'            => 'yes',
			'title'              => 'Cash on delivery',
			'enable_for_methods' => array(),
			'enable_for_virtual' => 'yes',
		)
	);
	delete_transient( '_wc_activation_redirect' );

	// Order storage: set before the first order, as WooCommerce's README for the peer says.
	update_option( 'woocommerce_custom_orders_table_data_sync_enabled', 'no' );
	update_option( 'woocommerce_custom_orders_table_enabled', $hpos ? 'yes' : 'no' );
	wp_cache_flush();

	$password = WP_Application_Passwords::create_new_application_password( get_current_user_id(), array( 'name' => 'synchub-e2e-' . wp_generate_password( 6, false ) ) );
	if ( is_wp_error( $password ) ) {
		throw new RuntimeException( 'application password: ' . $password->get_error_message() );
	}

	return array(
		'hpos'         => \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled(),
		'app_password' => $password[0],
		'wc_version'   => WC()->version,
	);
}

/**
 * One named operation through WooCommerce's PHP API.
 *
 * @param string               $operation Name.
 * @param array<string, mixed> $args      Arguments.
 * @return mixed JSON-encodable answer.
 */
function synchub_test_crud( string $operation, array $args ) {
	switch ( $operation ) {
		case 'create_simple':
			$product = new WC_Product_Simple();
			$product->set_props(
				array(
					'name'           => (string) $args['name'],
					'sku'            => (string) ( $args['sku'] ?? '' ),
					'regular_price'  => (string) $args['price'],
					'virtual'        => (bool) ( $args['virtual'] ?? true ),
					'manage_stock'   => isset( $args['stock'] ),
					'stock_quantity' => isset( $args['stock'] ) ? (int) $args['stock'] : null,
					'status'         => 'publish',
				)
			);
			return $product->save();

		case 'product':
			$product = wc_get_product( (int) $args['id'] );
			if ( ! $product ) {
				return null;
			}
			return array(
				'id'             => $product->get_id(),
				'type'           => $product->get_type(),
				'status'         => $product->get_status(),
				'price'          => (string) $product->get_price(),
				'stock_quantity' => $product->get_stock_quantity(),
				'children'       => $product->get_children(),
			);

		case 'refund':
			$order = wc_get_order( (int) $args['order_id'] );
			$lines = array();
			foreach ( $order->get_items() as $item_id => $item ) {
				if ( (int) $item->get_product_id() === (int) $args['product_id'] ) {
					$per_unit            = (float) $item->get_total() / max( 1, (int) $item->get_quantity() );
					$lines[ $item_id ] = array(
						'qty'          => (int) $args['qty'],
						'refund_total' => wc_format_decimal( $per_unit * (int) $args['qty'] ),
						'refund_tax'   => array(),
					);
				}
			}
			$amount = array_sum( array_column( $lines, 'refund_total' ) );
			$refund = wc_create_refund(
				array(
					'order_id'   => $order->get_id(),
					'amount'     => wc_format_decimal( $amount ),
					'reason'     => 'Sync Hub e2e',
					'line_items' => $lines,
				)
			);
			if ( is_wp_error( $refund ) ) {
				throw new RuntimeException( $refund->get_error_message() );
			}
			$order = wc_get_order( $order->get_id() );
			return array(
				'refund_id'    => $refund->get_id(),
				'order_status' => $order->get_status(),
			);

		case 'order':
			$order = wc_get_order( (int) $args['id'] );
			if ( ! $order ) {
				return null;
			}
			return array(
				'id'        => $order->get_id(),
				'status'    => $order->get_status(),
				'is_paid'   => $order->is_paid(),
				'total'     => $order->get_total(),
				'meta'      => array(
					'_synchub_paid_event'       => $order->get_meta( '_synchub_paid_event' ),
					'_synchub_volume_discount'  => $order->get_meta( '_synchub_volume_discount' ),
				),
				'fees'      => array_values(
					array_map(
						static function ( $fee ) {
							return array( 'name' => $fee->get_name(), 'total' => $fee->get_total() );
						},
						$order->get_fees()
					)
				),
				'items'     => array_values(
					array_map(
						static function ( $item ) {
							return array( 'id' => $item->get_id(), 'product_id' => $item->get_product_id(), 'quantity' => $item->get_quantity() );
						},
						$order->get_items()
					)
				),
			);
	}
	throw new RuntimeException( "unknown operation $operation" );
}

// YITH Booking stand-in: YITH keeps the booking on the cart item and copies it to the order item.
add_filter(
	'woocommerce_add_cart_item_data',
	static function ( $data ) {
		$persons = isset( $_SERVER['HTTP_X_SYNCHUB_TEST_PERSONS'] ) ? (int) $_SERVER['HTTP_X_SYNCHUB_TEST_PERSONS'] : 0; // phpcs:ignore
		if ( $persons > 0 ) {
			$from                      = strtotime( 'tomorrow 18:30 UTC' ) + 7 * DAY_IN_SECONDS;
			$data['yith_booking_data'] = array(
				'from'    => $from,
				'to'      => $from + HOUR_IN_SECONDS,
				'persons' => $persons,
			);
		}
		return $data;
	}
);
add_action(
	'woocommerce_checkout_create_order_line_item',
	static function ( $item, $cart_item_key, $values ) {
		if ( isset( $values['yith_booking_data'] ) ) {
			$item->add_meta_data( 'yith_booking_data', $values['yith_booking_data'], true );
		}
	},
	10,
	3
);

// No sendmail here: WooCommerce's order emails are accepted and dropped, so no request spawns a
// failing sendmail process (that would add noise to the checkout timings).
add_filter( 'pre_wp_mail', '__return_true' );
