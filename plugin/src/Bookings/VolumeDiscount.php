<?php
/**
 * The cart volume discount: ≥ N persons or classes → P % off the booked classes.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Bookings;

defined( 'ABSPATH' ) || exit;

/**
 * Applied as a negative, taxable cart fee through `woocommerce_cart_calculate_fees`, so
 * WooCommerce itself splits its tax across the cart's tax rates and shows it on the order as a
 * fee line. The applied rule is kept on the order (`_synchub_volume_discount`) for the worker.
 */
final class VolumeDiscount {

	public const ORDER_META = '_synchub_volume_discount';

	public const FEE_ID = 'synchub-volume-discount';

	/**
	 * The discount decided for the booking cart of this request (percent 0 = none), if any.
	 *
	 * @var array{percent: float, threshold: int}|null
	 */
	private static $applied = null;

	/**
	 * Pure: the percent for these counts under the rule (0 when it does not apply).
	 *
	 * @param int                                              $persons Persons booked.
	 * @param int                                              $classes Classes (booking items × quantity).
	 * @param array{enabled: bool, threshold: int, percent: float} $rule Rule.
	 */
	public static function percent_for( int $persons, int $classes, array $rule ): float {
		if ( empty( $rule['enabled'] ) || $rule['percent'] <= 0 ) {
			return 0.0;
		}
		return ( $persons >= $rule['threshold'] || $classes >= $rule['threshold'] ) ? (float) $rule['percent'] : 0.0;
	}

	/**
	 * Pure: persons, classes and the net subtotal of the booking items of a cart.
	 *
	 * @param array<string, mixed> $contents `WC_Cart::get_cart()`.
	 * @return array{persons: int, classes: int, subtotal: float}
	 */
	public static function cart_counts( array $contents ): array {
		$counts = array(
			'persons'  => 0,
			'classes'  => 0,
			'subtotal' => 0.0,
		);
		foreach ( $contents as $item ) {
			if ( ! is_array( $item ) || ! isset( $item['yith_booking_data'] ) || ! is_array( $item['yith_booking_data'] ) ) {
				continue;
			}
			$quantity = isset( $item['quantity'] ) ? max( 1, (int) $item['quantity'] ) : 1;
			$data     = $item['yith_booking_data'];
			$persons  = isset( $data['persons'] ) && is_numeric( $data['persons'] ) ? (int) $data['persons'] : 0;
			if ( $persons <= 0 ) {
				$persons = max( 1, (int) array_sum( array_column( BookingData::person_types( isset( $data['person_types'] ) ? $data['person_types'] : array() ), 'number' ) ) );
			}
			$counts['persons']  += $persons * $quantity;
			$counts['classes']  += $quantity;
			$counts['subtotal'] += isset( $item['line_subtotal'] ) ? (float) $item['line_subtotal'] : 0.0;
		}
		return $counts;
	}

	/**
	 * On `woocommerce_cart_calculate_fees`.
	 *
	 * @param object $cart WC_Cart.
	 */
	public static function on_woocommerce_cart_calculate_fees( $cart ): void {
		self::$applied = null;
		if ( ! is_object( $cart ) || ! method_exists( $cart, 'get_cart' ) || ! method_exists( $cart, 'add_fee' ) ) {
			return;
		}
		$rule    = DiscountSettings::get();
		$counts  = self::cart_counts( (array) $cart->get_cart() );
		$percent = self::percent_for( $counts['persons'], $counts['classes'], $rule );
		if ( 0 === $counts['classes'] ) {
			return;
		}
		if ( $counts['subtotal'] <= 0 ) {
			$percent = 0.0;
		}
		// The decision is kept even when it is "no discount", so the worker never guesses.
		self::$applied = array(
			'percent'   => $percent,
			'threshold' => $rule['threshold'],
		);
		if ( $percent <= 0 ) {
			return;
		}
		$decimals = function_exists( 'wc_get_price_decimals' ) ? wc_get_price_decimals() : 2;
		$amount   = round( $counts['subtotal'] * $percent / 100, $decimals );
		$cart->add_fee( self::label( $percent ), -$amount, true, '' );
	}

	/**
	 * On `woocommerce_checkout_create_order`: remember on the order what the cart applied.
	 *
	 * @param object $order WC_Order being created.
	 */
	public static function on_woocommerce_checkout_create_order( $order ): void {
		if ( null !== self::$applied && is_object( $order ) && method_exists( $order, 'update_meta_data' ) ) {
			$order->update_meta_data( self::ORDER_META, self::$applied );
		}
	}

	/**
	 * The fee line's label, such as "Volume discount (5%)".
	 *
	 * @param float $percent Percent applied.
	 */
	public static function label( float $percent ): string {
		$shown = function_exists( 'number_format_i18n' ) ? number_format_i18n( $percent, floor( $percent ) === $percent ? 0 : 2 ) : (string) $percent;
		/* translators: %s: the discount percent, such as 5. */
		return sprintf( __( 'Volume discount (%s%%)', 'sync-hub' ), $shown );
	}

	/**
	 * Forget the per-request state (tests).
	 */
	public static function reset_request_state(): void {
		self::$applied = null;
	}
}
