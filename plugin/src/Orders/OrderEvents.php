<?php
/**
 * The order-paid entry point: WooCommerce's paid hooks → one `order.paid` outbox event.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Orders;

defined( 'ABSPATH' ) || exit;

use SyncHub\Outbox\Outbox;
use SyncHub\WooCommerce;
use WP_Error;

/**
 * Records one `order.paid` event per order, whichever of the paid hooks fires first.
 *
 * `woocommerce_payment_complete` misses offline gateways and manual status changes, so the
 * `processing` and `completed` status hooks are listened to as well. Callbacks run at priority 20,
 * after WooCommerce's stock reduction and booking plugins such as YITH (priority 10).
 * Deduplication: an in-request set, plus the `_synchub_paid_event` order meta (the event id),
 * written through the order CRUD API so it works with HPOS and legacy storage alike.
 */
final class OrderEvents {

	public const TOPIC = 'order.paid';

	public const DESTINATION = '/webhook/order';

	public const META_FLAG = '_synchub_paid_event';

	public const PRIORITY = 20;

	/**
	 * Order ids handled in this request.
	 *
	 * @var array<int, true>
	 */
	private static $seen = array();

	/**
	 * On `woocommerce_payment_complete`.
	 *
	 * @param int|string $order_id Order id.
	 */
	public static function on_payment_complete( $order_id ): void {
		self::handle( $order_id );
	}

	/**
	 * On `woocommerce_order_status_processing`.
	 *
	 * @param int|string     $order_id Order id.
	 * @param \WC_Order|null $order    The order being saved.
	 */
	public static function on_order_status_processing( $order_id, $order = null ): void {
		self::handle( is_object( $order ) ? $order : $order_id );
	}

	/**
	 * On `woocommerce_order_status_completed`.
	 *
	 * @param int|string     $order_id Order id.
	 * @param \WC_Order|null $order    The order being saved.
	 */
	public static function on_order_status_completed( $order_id, $order = null ): void {
		self::handle( is_object( $order ) ? $order : $order_id );
	}

	/**
	 * Record the `order.paid` event of an order unless it was recorded before.
	 *
	 * @param int|string|\WC_Order $order Order or order id.
	 * @return string|WP_Error|null The new event id; null when skipped (no WooCommerce, not an
	 *                              order, not paid, already recorded); WP_Error when writing failed.
	 */
	public static function record_paid( $order ) {
		if ( ! WooCommerce::can_load_orders() ) {
			return null;
		}
		if ( ! is_object( $order ) ) {
			$order = wc_get_order( absint( $order ) );
		}
		if ( ! $order instanceof \WC_Order ) {
			return null;
		}

		$order_id = (int) $order->get_id();
		if ( $order_id <= 0 || isset( self::$seen[ $order_id ] ) ) {
			return null;
		}
		if ( '' !== (string) $order->get_meta( self::META_FLAG, true ) ) {
			self::$seen[ $order_id ] = true;
			return null;
		}
		if ( method_exists( $order, 'is_paid' ) && ! $order->is_paid() ) {
			return null;
		}
		self::$seen[ $order_id ] = true;

		try {
			$payload = OrderPayload::build( $order );
			$payload = apply_filters( 'synchub_order_payload', $payload, $order );
		} catch ( \Throwable $e ) {
			unset( self::$seen[ $order_id ] );
			return new WP_Error(
				'synchub_order_payload_failed',
				/* translators: 1: order id, 2: error message. */
				sprintf( __( 'The payload of order %1$d could not be built: %2$s', 'sync-hub' ), $order_id, $e->getMessage() )
			);
		}

		$event_id = Outbox::record( self::TOPIC, 'order:' . $order_id, $payload, self::DESTINATION );
		if ( is_wp_error( $event_id ) ) {
			unset( self::$seen[ $order_id ] );
			return $event_id;
		}

		$order->update_meta_data( self::META_FLAG, $event_id );
		$order->save_meta_data();
		return $event_id;
	}

	/**
	 * Forget the in-request set (tests, long-running CLI imports).
	 */
	public static function reset_request_state(): void {
		self::$seen = array();
	}

	/**
	 * A hook callback must never break the checkout: errors go to the PHP error log.
	 *
	 * @param int|string|\WC_Order $order Order or order id.
	 */
	private static function handle( $order ): void {
		try {
			$result = self::record_paid( $order );
		} catch ( \Throwable $e ) {
			$result = new WP_Error( 'synchub_order_event_failed', $e->getMessage() );
		}
		if ( is_wp_error( $result ) ) {
			error_log( 'Sync Hub: ' . $result->get_error_message() ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- a failed hook must not break checkout; the host's error log is where it is read.
		}
	}
}
