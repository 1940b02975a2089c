<?php
/**
 * Adds booking data to the `order.paid` payload.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Bookings;

defined( 'ABSPATH' ) || exit;

/**
 * On `synchub_order_payload`: each booking line item gets a `synchub_booking` entry in its
 * `meta_data` (start, end, persons, person types, booking id); the order gets
 * `synchub_volume_discount` when the cart applied the volume discount.
 */
final class BookingPayload {

	public const ORDER_DISCOUNT_KEY = 'synchub_volume_discount';

	/**
	 * Filter callback.
	 *
	 * @param mixed  $payload The order in REST v3 shape.
	 * @param object $order   WC_Order.
	 * @return mixed
	 */
	public static function on_synchub_order_payload( $payload, $order ) {
		if ( ! is_array( $payload ) || ! is_object( $order ) || ! method_exists( $order, 'get_items' ) ) {
			return $payload;
		}
		$items = $order->get_items( 'line_item' );
		if ( isset( $payload['line_items'] ) && is_array( $payload['line_items'] ) ) {
			foreach ( $payload['line_items'] as $index => $line ) {
				$item_id = is_array( $line ) && isset( $line['id'] ) ? (int) $line['id'] : 0;
				$booking = isset( $items[ $item_id ] ) ? BookingData::from_item( $items[ $item_id ] ) : null;
				if ( null === $booking ) {
					continue;
				}
				$meta   = isset( $line['meta_data'] ) && is_array( $line['meta_data'] ) ? $line['meta_data'] : array();
				$meta   = self::without_key( $meta, BookingData::META_KEY );
				$meta[] = array(
					'id'    => 0,
					'key'   => BookingData::META_KEY,
					'value' => $booking,
				);
				$payload['line_items'][ $index ]['meta_data'] = $meta;
			}
		}
		$discount = method_exists( $order, 'get_meta' ) ? $order->get_meta( VolumeDiscount::ORDER_META, true ) : '';
		if ( is_array( $discount ) && isset( $discount['percent'] ) ) {
			$meta   = isset( $payload['meta_data'] ) && is_array( $payload['meta_data'] ) ? $payload['meta_data'] : array();
			$meta   = self::without_key( $meta, self::ORDER_DISCOUNT_KEY );
			$meta[] = array(
				'id'    => 0,
				'key'   => self::ORDER_DISCOUNT_KEY,
				'value' => array(
					'percent'   => (float) $discount['percent'],
					'threshold' => isset( $discount['threshold'] ) ? (int) $discount['threshold'] : 0,
				),
			);
			$payload['meta_data'] = $meta;
		}
		return $payload;
	}

	/**
	 * Meta entries without `$key` (the filter may run twice on one payload).
	 *
	 * @param array<int, mixed> $meta Meta entries.
	 * @param string            $key  Key to drop.
	 * @return array<int, mixed>
	 */
	private static function without_key( array $meta, string $key ): array {
		return array_values(
			array_filter(
				$meta,
				static function ( $entry ) use ( $key ) {
					return ! ( is_array( $entry ) && isset( $entry['key'] ) && $key === $entry['key'] );
				}
			)
		);
	}
}
