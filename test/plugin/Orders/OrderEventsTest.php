<?php
/**
 * Order-paid entry point, with the WooCommerce order double (WooCommerce is not installable here).
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Orders;

use SyncHub\Install\Schema;
use SyncHub\Orders\OrderEvents;
use SyncHub\Tests\TestCase;

final class OrderEventsTest extends TestCase {

	/**
	 * A stored order in the double, in WooCommerce REST shape.
	 *
	 * @param string $status Order status.
	 */
	private function order( string $status = 'processing' ): \WC_Order {
		$this->assertTrue( method_exists( \WC_Order::class, 'create_for_test' ), 'the WooCommerce double is loaded' );
		return \WC_Order::create_for_test( self::order_data( $status ) );
	}

	/**
	 * @param string $status Order status.
	 * @return array<string, mixed>
	 */
	public static function order_data( string $status ): array {
		return array(
			'status'            => $status,
			'currency'          => 'COP',
			'total'             => '150000.00',
			'number'            => 'A-77',
			'date_created_gmt'  => '2025-03-01 15:00:00',
			'date_paid_gmt'     => '2025-03-01 15:05:00',
			'billing'           => array(
				'first_name' => 'Ana',
				'last_name'  => 'Pérez',
				'email'      => 'ana@example.test',
				'phone'      => '+57 300 000 0000',
				'country'    => 'CO',
			),
			'line_items'        => array(
				array(
					'id'         => 501,
					'name'       => 'Yoga class',
					'product_id' => 42,
					'quantity'   => 2,
					'subtotal'   => '150000',
					'total'      => '150000',
					'sku'        => 'YOGA-1',
					'meta_data'  => array(
						array(
							'id'    => 9001,
							'key'   => 'yith_booking_data',
							'value' => array( 'from' => 1740841200, 'to' => 1740844800, 'persons' => 2 ),
						),
					),
				),
			),
			'meta_data'         => array(
				array(
					'id'    => 1,
					'key'   => '_billing_nit',
					'value' => '900123456',
				),
			),
		);
	}

	public function test_hooks_run_late_so_stock_and_booking_plugins_ran_first(): void {
		$this->assertSame( 20, has_action( 'woocommerce_payment_complete', array( OrderEvents::class, 'on_payment_complete' ) ) );
		$this->assertSame( 20, has_action( 'woocommerce_order_status_processing', array( OrderEvents::class, 'on_order_status_processing' ) ) );
		$this->assertSame( 20, has_action( 'woocommerce_order_status_completed', array( OrderEvents::class, 'on_order_status_completed' ) ) );
	}

	public function test_every_paid_hook_together_yields_one_order_paid_event(): void {
		$order = $this->order();
		do_action( 'woocommerce_order_status_processing', $order->get_id(), $order, array() );
		do_action( 'woocommerce_payment_complete', $order->get_id(), 'txn_1' );
		do_action( 'woocommerce_order_status_completed', $order->get_id(), $order, array() );

		$rows = $this->outbox_rows();
		$this->assertCount( 1, $rows );
		$this->assertSame( 'order.paid', $rows[0]['topic'] );
		$this->assertSame( 'order:' . $order->get_id(), $rows[0]['resource_key'] );
		$this->assertSame( '/webhook/order', $rows[0]['destination'] );
		$this->assertSame( $rows[0]['event_id'], wc_get_order( $order->get_id() )->get_meta( '_synchub_paid_event' ) );
	}

	public function test_a_later_request_sees_the_order_meta_flag_and_records_nothing(): void {
		$order = $this->order();
		do_action( 'woocommerce_payment_complete', $order->get_id(), 'txn_1' );
		OrderEvents::reset_request_state(); // A new request: only the stored meta remembers.

		do_action( 'woocommerce_order_status_completed', $order->get_id(), wc_get_order( $order->get_id() ), array() );
		$this->assertNull( OrderEvents::record_paid( $order->get_id() ) );
		$this->assertCount( 1, $this->outbox_rows() );
	}

	public function test_unpaid_or_unknown_orders_record_nothing(): void {
		$pending = $this->order( 'pending' );
		$this->assertNull( OrderEvents::record_paid( $pending ) );
		$this->assertNull( OrderEvents::record_paid( 987654 ) );
		$this->assertNull( OrderEvents::record_paid( 'not an id' ) );
		$this->assertSame( array(), $this->outbox_rows() );
		$this->assertSame( '', wc_get_order( $pending->get_id() )->get_meta( '_synchub_paid_event' ) );
	}

	public function test_a_failed_write_leaves_the_order_unmarked_so_a_later_hook_retries(): void {
		global $wpdb;
		$order = $this->order();
		$table = Schema::outbox_table();
		$wpdb->query( "RENAME TABLE {$table} TO {$table}_away" ); // phpcs:ignore
		$suppress = $wpdb->suppress_errors( true );
		try {
			$result = OrderEvents::record_paid( $order->get_id() );
		} finally {
			$wpdb->suppress_errors( $suppress );
			$wpdb->query( "RENAME TABLE {$table}_away TO {$table}" ); // phpcs:ignore
		}

		$this->assertInstanceOf( \WP_Error::class, $result );
		$this->assertSame( '', wc_get_order( $order->get_id() )->get_meta( '_synchub_paid_event' ) );
		$this->assertIsString( OrderEvents::record_paid( $order->get_id() ) );
		$this->assertCount( 1, $this->outbox_rows() );
	}

	public function test_payload_is_the_woocommerce_rest_v3_order_shape(): void {
		update_option( 'timezone_string', 'America/Bogota' );
		try {
			$order = $this->order();
			OrderEvents::record_paid( $order );
		} finally {
			update_option( 'timezone_string', '' );
		}
		$payload = json_decode( $this->outbox_rows()[0]['payload'], true );

		$this->assertSame( $order->get_id(), $payload['id'] );
		$this->assertSame( 'A-77', $payload['number'] );
		$this->assertSame( 'processing', $payload['status'] );
		$this->assertSame( 'COP', $payload['currency'] );
		$this->assertSame( '150000.00', $payload['total'] );
		$this->assertSame( '2025-03-01T15:00:00', $payload['date_created_gmt'] );
		$this->assertSame( '2025-03-01T10:00:00', $payload['date_created'], 'site time (UTC-5)' );
		$this->assertSame( '2025-03-01T15:05:00', $payload['date_paid_gmt'] );
		$this->assertSame( '2025-03-01T10:05:00', $payload['date_paid'] );
		$this->assertNull( $payload['date_completed'] );
		$this->assertSame( 'Pérez', $payload['billing']['last_name'] );
		$this->assertSame( 'ana@example.test', $payload['billing']['email'] );
		$this->assertSame(
			array( 'first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'email', 'phone' ),
			array_keys( $payload['billing'] )
		);
		$this->assertArrayNotHasKey( 'email', $payload['shipping'] );
		$this->assertSame( array( array( 'id' => 1, 'key' => '_billing_nit', 'value' => '900123456' ) ), $payload['meta_data'] );

		$this->assertCount( 1, $payload['line_items'] );
		$item = $payload['line_items'][0];
		$this->assertSame( 501, $item['id'] );
		$this->assertSame( 42, $item['product_id'] );
		$this->assertSame( 0, $item['variation_id'] );
		$this->assertSame( 'Yoga class', $item['name'] );
		$this->assertSame( 2, $item['quantity'] );
		$this->assertSame( '150000.00', $item['subtotal'] );
		$this->assertSame( '150000.00', $item['total'] );
		$this->assertSame( 'YOGA-1', $item['sku'] );
		$this->assertEquals( 75000, $item['price'] );
		$this->assertSame( 9001, $item['meta_data'][0]['id'] );
		$this->assertSame( 'yith_booking_data', $item['meta_data'][0]['key'] );
		$this->assertSame( array( 'from' => 1740841200, 'to' => 1740844800, 'persons' => 2 ), $item['meta_data'][0]['value'] );
		foreach ( array( 'tax_lines', 'shipping_lines', 'fee_lines', 'coupon_lines', 'refunds' ) as $list ) {
			$this->assertSame( array(), $payload[ $list ] );
		}
	}
}
