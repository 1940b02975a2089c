<?php
/**
 * The order.paid payload carries YITH booking data per line item and the applied discount.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Bookings;

use SyncHub\Bookings\VolumeDiscount;
use SyncHub\Tests\Orders\OrderEventsTest;
use SyncHub\Tests\TestCase;

final class BookingPayloadTest extends TestCase {

	/**
	 * A paid booking order in the WooCommerce double: one booking line, one plain line.
	 *
	 * @param string               $status Status.
	 * @param array<string, mixed> $meta   Extra order meta.
	 */
	public static function booking_order( string $status = 'processing', array $meta = array() ): \WC_Order {
		$data                  = OrderEventsTest::order_data( $status );
		$data['line_items'][0]['meta_data'][] = array( 'id' => 9002, 'key' => '_booking_id', 'value' => '777' );
		$data['line_items'][]  = array( 'id' => 502, 'name' => 'Water bottle', 'product_id' => 43, 'quantity' => 1, 'subtotal' => '5000', 'total' => '5000', 'meta_data' => array() );
		foreach ( $meta as $key => $value ) {
			$data['meta_data'][] = array( 'id' => 50 + count( $data['meta_data'] ), 'key' => $key, 'value' => $value );
		}
		return \WC_Order::create_for_test( $data );
	}

	/**
	 * The JSON payload of the only outbox row.
	 *
	 * @return array<string, mixed>
	 */
	private function sent_payload(): array {
		$rows = $this->outbox_rows();
		$this->assertCount( 1, $rows );
		$payload = json_decode( (string) $rows[0]['payload'], true );
		$this->assertIsArray( $payload );
		return $payload;
	}

	/**
	 * @param array<int, array<string, mixed>> $meta Meta entries.
	 * @return mixed
	 */
	private static function meta_value( array $meta, string $key ) {
		foreach ( $meta as $entry ) {
			if ( $entry['key'] === $key ) {
				return $entry['value'];
			}
		}
		return null;
	}

	public function test_booking_lines_carry_start_end_persons_and_booking_id(): void {
		$order = self::booking_order();
		do_action( 'woocommerce_order_status_processing', $order->get_id(), $order, array() );
		do_action( 'woocommerce_payment_complete', $order->get_id(), 'txn' );

		$payload = $this->sent_payload();
		$this->assertSame(
			array(
				'booking_id'   => 777,
				'start'        => '2025-03-01 15:00',
				'end'          => '2025-03-01 16:00',
				'persons'      => 2,
				'person_types' => array(),
			),
			self::meta_value( $payload['line_items'][0]['meta_data'], 'synchub_booking' )
		);
		$this->assertNull( self::meta_value( $payload['line_items'][1]['meta_data'], 'synchub_booking' ) );
		$this->assertNull( self::meta_value( $payload['meta_data'], 'synchub_volume_discount' ) );
	}

	public function test_the_applied_volume_discount_travels_as_order_meta(): void {
		$order = self::booking_order( 'processing', array( VolumeDiscount::ORDER_META => array( 'percent' => 5.0, 'threshold' => 4 ) ) );
		do_action( 'woocommerce_payment_complete', $order->get_id(), 'txn' );
		$this->assertSame( array( 'percent' => 5, 'threshold' => 4 ), self::meta_value( $this->sent_payload()['meta_data'], 'synchub_volume_discount' ) );
	}

	public function test_the_filter_is_idempotent(): void {
		$order   = self::booking_order();
		$payload = array( 'line_items' => array( array( 'id' => 501, 'meta_data' => array() ) ) );
		$once    = apply_filters( 'synchub_order_payload', $payload, $order );
		$twice   = apply_filters( 'synchub_order_payload', $once, $order );
		$this->assertSame( $once, $twice );
		$this->assertCount( 1, $twice['line_items'][0]['meta_data'] );
	}
}
