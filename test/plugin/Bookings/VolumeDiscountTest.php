<?php
/**
 * The cart volume discount: rule, counting, the negative taxable fee and the order meta.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Bookings;

use SyncHub\Bookings\DiscountSettings;
use SyncHub\Bookings\VolumeDiscount;
use SyncHub\Tests\TestCase;

final class VolumeDiscountTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		delete_option( DiscountSettings::OPTION );
		VolumeDiscount::reset_request_state();
	}

	/**
	 * @return array<string, array{0: int, 1: int, 2: array<string, mixed>, 3: float}>
	 */
	public function rule_provider(): array {
		$rule = array( 'enabled' => true, 'threshold' => 4, 'percent' => 5.0 );
		return array(
			'3 persons, 1 class'  => array( 3, 1, $rule, 0.0 ),
			'4 persons, 1 class'  => array( 4, 1, $rule, 5.0 ),
			'4 classes'           => array( 4, 4, $rule, 5.0 ),
			'rule off'            => array( 9, 9, array( 'enabled' => false ) + $rule, 0.0 ),
			'threshold 10'        => array( 9, 9, array( 'threshold' => 10 ) + $rule, 0.0 ),
			'12.5 %'              => array( 6, 1, array( 'percent' => 12.5 ) + $rule, 12.5 ),
		);
	}

	/**
	 * @dataProvider rule_provider
	 *
	 * @param int                  $persons  Persons.
	 * @param int                  $classes  Classes.
	 * @param array<string, mixed> $rule     Rule.
	 * @param float                $expected Percent.
	 */
	public function test_percent_for( int $persons, int $classes, array $rule, float $expected ): void {
		$this->assertSame( $expected, VolumeDiscount::percent_for( $persons, $classes, $rule ) );
	}

	public function test_cart_counts_only_booking_items(): void {
		$counts = VolumeDiscount::cart_counts(
			array(
				'a' => array( 'quantity' => 1, 'line_subtotal' => 30.0, 'yith_booking_data' => array( 'from' => 1, 'persons' => 3 ) ),
				'b' => array( 'quantity' => 2, 'line_subtotal' => 20.0, 'yith_booking_data' => array( 'from' => 1, 'person_types' => array( 900001 => 1 ) ) ),
				'c' => array( 'quantity' => 5, 'line_subtotal' => 99.0 ),
			)
		);
		$this->assertSame( array( 'persons' => 5, 'classes' => 3, 'subtotal' => 50.0 ), $counts );
	}

	/**
	 * A cart as far as the fee hook needs one (get_cart, add_fee).
	 *
	 * @param array<string, mixed> $contents Cart contents.
	 */
	private function cart( array $contents ): object {
		return new class( $contents ) {
			/** @var array<string, mixed> */
			public $contents;
			/** @var array<int, array<int, mixed>> */
			public $fees = array();
			/** @param array<string, mixed> $contents Cart contents. */
			public function __construct( array $contents ) {
				$this->contents = $contents;
			}
			/** @return array<string, mixed> */
			public function get_cart() {
				return $this->contents;
			}
			/**
			 * @param string $name      Fee name.
			 * @param float  $amount    Amount.
			 * @param bool   $taxable   Taxable.
			 * @param string $tax_class Tax class.
			 */
			public function add_fee( $name, $amount, $taxable = false, $tax_class = '' ): void {
				$this->fees[] = array( $name, $amount, $taxable, $tax_class );
			}
		};
	}

	public function test_the_fee_is_a_negative_taxable_line_with_a_translatable_label(): void {
		$cart = $this->cart( array( 'a' => array( 'quantity' => 1, 'line_subtotal' => 80.0, 'yith_booking_data' => array( 'from' => 1, 'persons' => 4 ) ) ) );
		do_action( 'woocommerce_cart_calculate_fees', $cart );
		$this->assertSame( array( array( 'Volume discount (5%)', -4.0, true, '' ) ), $cart->fees );

		$order = \WC_Order::create_for_test( array( 'status' => 'pending' ) );
		do_action( 'woocommerce_checkout_create_order', $order, array() );
		$this->assertSame( array( 'percent' => 5.0, 'threshold' => 4 ), $order->get_meta( VolumeDiscount::ORDER_META ) );
	}

	public function test_no_fee_below_the_threshold_or_when_off(): void {
		$cart = $this->cart( array( 'a' => array( 'quantity' => 1, 'line_subtotal' => 80.0, 'yith_booking_data' => array( 'from' => 1, 'persons' => 3 ) ) ) );
		do_action( 'woocommerce_cart_calculate_fees', $cart );
		$this->assertSame( array(), $cart->fees );
		$order = \WC_Order::create_for_test( array( 'status' => 'pending' ) );
		do_action( 'woocommerce_checkout_create_order', $order, array() );
		// "No discount" is recorded too, so the worker applies none.
		$this->assertSame( array( 'percent' => 0.0, 'threshold' => 4 ), $order->get_meta( VolumeDiscount::ORDER_META ) );

		VolumeDiscount::reset_request_state();
		$merch = $this->cart( array( 'a' => array( 'quantity' => 9, 'line_subtotal' => 80.0 ) ) );
		do_action( 'woocommerce_cart_calculate_fees', $merch );
		$plain = \WC_Order::create_for_test( array( 'status' => 'pending' ) );
		do_action( 'woocommerce_checkout_create_order', $plain, array() );
		$this->assertSame( '', $plain->get_meta( VolumeDiscount::ORDER_META ) );

		DiscountSettings::save( array( 'enabled' => false ) );
		$big = $this->cart( array( 'a' => array( 'quantity' => 1, 'line_subtotal' => 80.0, 'yith_booking_data' => array( 'from' => 1, 'persons' => 9 ) ) ) );
		do_action( 'woocommerce_cart_calculate_fees', $big );
		$this->assertSame( array(), $big->fees );
	}

	public function test_the_saved_rule_drives_the_fee(): void {
		$this->assertIsArray( DiscountSettings::save( array( 'threshold' => 2, 'percent' => 10 ) ) );
		$cart = $this->cart( array( 'a' => array( 'quantity' => 1, 'line_subtotal' => 45.0, 'yith_booking_data' => array( 'from' => 1, 'persons' => 2 ) ) ) );
		do_action( 'woocommerce_cart_calculate_fees', $cart );
		$this->assertSame( array( array( 'Volume discount (10%)', -4.5, true, '' ) ), $cart->fees );
	}
}
