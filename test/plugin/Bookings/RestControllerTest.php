<?php
/**
 * Bookings REST routes: discount rule (validated, nothing saved on bad input), Send test order,
 * capability checks.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Bookings;

use SyncHub\Bookings\DiscountSettings;
use SyncHub\Tests\TestCase;

final class RestControllerTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		delete_option( DiscountSettings::OPTION );
		wp_set_current_user( $this->make_user( 'administrator' ) );
	}

	public function test_discount_rule_defaults_and_saves(): void {
		$this->assertSame( array( 'enabled' => true, 'threshold' => 4, 'percent' => 5.0 ), $this->rest( 'GET', '/sync-hub/v1/bookings/discount' )->get_data() );
		$saved = $this->rest( 'POST', '/sync-hub/v1/bookings/discount', array(), array( 'enabled' => false, 'threshold' => 6, 'percent' => 7.5 ) );
		$this->assertSame( 200, $saved->get_status() );
		$this->assertSame( array( 'enabled' => false, 'threshold' => 6, 'percent' => 7.5 ), get_option( DiscountSettings::OPTION ) );
		$partial = $this->rest( 'POST', '/sync-hub/v1/bookings/discount', array(), array( 'percent' => 3 ) );
		$this->assertSame( array( 'enabled' => false, 'threshold' => 6, 'percent' => 3.0 ), $partial->get_data() );
	}

	/**
	 * @return array<string, array{0: array<string, mixed>}>
	 */
	public function bad_rule_provider(): array {
		return array(
			'threshold 0'      => array( array( 'threshold' => 0 ) ),
			'threshold text'   => array( array( 'threshold' => 'four' ) ),
			'percent 0'        => array( array( 'percent' => 0 ) ),
			'percent over 100' => array( array( 'percent' => 101 ) ),
			'enabled maybe'    => array( array( 'enabled' => 'maybe' ) ),
			'one bad of two'   => array( array( 'threshold' => 8, 'percent' => -1 ) ),
		);
	}

	/**
	 * @dataProvider bad_rule_provider
	 *
	 * @param array<string, mixed> $body Request body.
	 */
	public function test_bad_rule_is_a_400_and_changes_nothing( array $body ): void {
		update_option( DiscountSettings::OPTION, array( 'enabled' => true, 'threshold' => 4, 'percent' => 5.0 ) );
		$response = $this->rest( 'POST', '/sync-hub/v1/bookings/discount', array(), $body );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( array( 'enabled' => true, 'threshold' => 4, 'percent' => 5.0 ), get_option( DiscountSettings::OPTION ) );
	}

	public function test_send_test_order_records_an_order_paid_event_with_bookings(): void {
		$order    = BookingPayloadTest::booking_order();
		$response = $this->rest( 'POST', '/sync-hub/v1/bookings/test-order', array(), array( 'order_id' => $order->get_id() ) );
		$this->assertSame( 202, $response->get_status() );
		$this->assertSame( $order->get_id(), $response->get_data()['order_id'] );
		$this->assertSame( 1, $response->get_data()['bookings'] );
		$rows = $this->outbox_rows();
		$this->assertCount( 1, $rows );
		$this->assertSame( 'order.paid', $rows[0]['topic'] );
		$this->assertSame( $response->get_data()['event_id'], $rows[0]['event_id'] );
		$this->assertStringContainsString( '"synchub_booking"', (string) $rows[0]['payload'] );
	}

	public function test_send_test_order_explains_what_is_wrong(): void {
		$unpaid = BookingPayloadTest::booking_order( 'pending' );
		$this->assertSame( 409, $this->rest( 'POST', '/sync-hub/v1/bookings/test-order', array(), array( 'order_id' => $unpaid->get_id() ) )->get_status() );
		$plain = \WC_Order::create_for_test( array( 'status' => 'processing', 'line_items' => array( array( 'id' => 1, 'name' => 'Mug', 'meta_data' => array() ) ) ) );
		$none  = $this->rest( 'POST', '/sync-hub/v1/bookings/test-order', array(), array( 'order_id' => $plain->get_id() ) );
		$this->assertSame( 409, $none->get_status() );
		$this->assertStringContainsString( 'has no booking items', $none->get_data()['message'] );
		$this->assertSame( 404, $this->rest( 'POST', '/sync-hub/v1/bookings/test-order', array(), array( 'order_id' => 99999 ) )->get_status() );
		$this->assertSame( 400, $this->rest( 'POST', '/sync-hub/v1/bookings/test-order', array(), array( 'order_id' => 'abc' ) )->get_status() );
		if ( ! function_exists( 'wc_get_orders' ) ) {
			$latest = $this->rest( 'POST', '/sync-hub/v1/bookings/test-order', array(), array() );
			$this->assertSame( 404, $latest->get_status() );
			$this->assertStringContainsString( 'Enter an order number', $latest->get_data()['message'] );
		}
		$this->assertSame( array(), $this->outbox_rows() );
	}

	public function test_only_store_managers_may_use_the_routes(): void {
		wp_set_current_user( $this->make_user( 'subscriber' ) );
		$this->assertSame( 403, $this->rest( 'GET', '/sync-hub/v1/bookings/discount' )->get_status() );
		$this->assertSame( 403, $this->rest( 'POST', '/sync-hub/v1/bookings/discount', array(), array( 'percent' => 50 ) )->get_status() );
		$this->assertSame( 403, $this->rest( 'POST', '/sync-hub/v1/bookings/test-order', array(), array() )->get_status() );
		$this->assertFalse( get_option( DiscountSettings::OPTION ) );
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->rest( 'GET', '/sync-hub/v1/bookings/discount' )->get_status() );
	}
}
