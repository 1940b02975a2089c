<?php
/**
 * "Send test order": one paid booking order sent to the worker again, on demand.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Bookings;

defined( 'ABSPATH' ) || exit;

use SyncHub\Orders\OrderEvents;
use SyncHub\Orders\OrderPayload;
use SyncHub\Outbox\Outbox;
use SyncHub\WooCommerce;
use WP_Error;

/**
 * Replaces the old `?test_sync=1` query trick with an explicit admin action: the order goes
 * through the outbox exactly like a live `order.paid` event (new event id, signed delivery); the
 * worker's link table keeps it from creating a second sale order.
 */
final class TestOrder {

	/**
	 * Record an `order.paid` event for `$order_id`, or for the latest paid order with bookings.
	 *
	 * @param int $order_id Order id, 0 for the latest paid booking order.
	 * @return array{event_id: string, order_id: int, bookings: int}|WP_Error
	 */
	public static function send( int $order_id ) {
		if ( ! WooCommerce::can_load_orders() ) {
			return new WP_Error( 'synchub_no_woocommerce', __( 'WooCommerce is not active, so there is no order to send.', 'sync-hub' ), array( 'status' => 409 ) );
		}
		$order = $order_id > 0 ? wc_get_order( $order_id ) : self::latest_booking_order();
		if ( ! $order instanceof \WC_Order ) {
			return new WP_Error(
				'synchub_test_order_not_found',
				$order_id > 0
					/* translators: %d: order id. */
					? sprintf( __( 'Order %d does not exist.', 'sync-hub' ), $order_id )
					: __( 'No paid order with a booking was found. Enter an order number.', 'sync-hub' ),
				array( 'status' => 404 )
			);
		}
		if ( method_exists( $order, 'is_paid' ) && ! $order->is_paid() ) {
			/* translators: %d: order id. */
			return new WP_Error( 'synchub_test_order_unpaid', sprintf( __( 'Order %d is not paid yet; only paid orders are sent.', 'sync-hub' ), (int) $order->get_id() ), array( 'status' => 409 ) );
		}
		$bookings = self::count_bookings( $order );
		if ( 0 === $bookings ) {
			/* translators: %d: order id. */
			return new WP_Error( 'synchub_test_order_no_bookings', sprintf( __( 'Order %d has no booking items.', 'sync-hub' ), (int) $order->get_id() ), array( 'status' => 409 ) );
		}
		$payload  = apply_filters( 'synchub_order_payload', OrderPayload::build( $order ), $order );
		$event_id = Outbox::record( OrderEvents::TOPIC, 'order:' . $order->get_id(), $payload, OrderEvents::DESTINATION );
		if ( is_wp_error( $event_id ) ) {
			return $event_id;
		}
		return array(
			'event_id' => $event_id,
			'order_id' => (int) $order->get_id(),
			'bookings' => $bookings,
		);
	}

	/**
	 * Booking line items of an order.
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function count_bookings( $order ): int {
		$count = 0;
		foreach ( $order->get_items( 'line_item' ) as $item ) {
			if ( null !== BookingData::from_item( $item ) ) {
				++$count;
			}
		}
		return $count;
	}

	/**
	 * The most recent paid order holding a booking item (the last 20 paid orders are looked at).
	 *
	 * @return \WC_Order|null
	 */
	private static function latest_booking_order() {
		if ( ! function_exists( 'wc_get_orders' ) ) {
			return null;
		}
		$orders = wc_get_orders(
			array(
				'status'  => array( 'processing', 'completed' ),
				'limit'   => 20,
				'orderby' => 'date',
				'order'   => 'DESC',
			)
		);
		foreach ( (array) $orders as $order ) {
			if ( $order instanceof \WC_Order && self::count_bookings( $order ) > 0 ) {
				return $order;
			}
		}
		return null;
	}
}
