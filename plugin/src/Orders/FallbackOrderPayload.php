<?php
/**
 * WooCommerce REST v3 order shape built from WC_Order getters only.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Orders;

defined( 'ABSPATH' ) || exit;

/**
 * Mirrors `WC_REST_Orders_Controller` (v3) closely enough for the worker: same keys, monetary
 * values as decimal strings, `price` as a number, dates as `Y-m-d\TH:i:s` in site time and in
 * UTC (`*_gmt`), meta as `{id, key, value}`. Only public getters are used, each guarded with
 * method_exists() so older WooCommerce versions (and test doubles) work.
 * Not reproduced: `_links`, `payment_url`, `is_editable`, line item `image`, refund details.
 */
final class FallbackOrderPayload {

	private const ADDRESS_FIELDS = array( 'first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country' );

	/**
	 * The v3 order object.
	 *
	 * @param \WC_Order $order Order.
	 * @return array<string, mixed>
	 */
	public static function build( $order ): array {
		$data = array(
			'id'                   => (int) self::get( $order, 'id', 0 ),
			'parent_id'            => (int) self::get( $order, 'parent_id', 0 ),
			'number'               => (string) self::get( $order, 'order_number', (string) self::get( $order, 'id', '' ) ),
			'order_key'            => (string) self::get( $order, 'order_key', '' ),
			'created_via'          => (string) self::get( $order, 'created_via', '' ),
			'version'              => (string) self::get( $order, 'version', '' ),
			'status'               => (string) self::get( $order, 'status', '' ),
			'currency'             => (string) self::get( $order, 'currency', '' ),
			'prices_include_tax'   => (bool) self::get( $order, 'prices_include_tax', false ),
			'discount_total'       => self::money( self::get( $order, 'discount_total', 0 ) ),
			'discount_tax'         => self::money( self::get( $order, 'discount_tax', 0 ) ),
			'shipping_total'       => self::money( self::get( $order, 'shipping_total', 0 ) ),
			'shipping_tax'         => self::money( self::get( $order, 'shipping_tax', 0 ) ),
			'cart_tax'             => self::money( self::get( $order, 'cart_tax', 0 ) ),
			'total'                => self::money( self::get( $order, 'total', 0 ) ),
			'total_tax'            => self::money( self::get( $order, 'total_tax', 0 ) ),
			'customer_id'          => (int) self::get( $order, 'customer_id', 0 ),
			'customer_ip_address'  => (string) self::get( $order, 'customer_ip_address', '' ),
			'customer_user_agent'  => (string) self::get( $order, 'customer_user_agent', '' ),
			'customer_note'        => (string) self::get( $order, 'customer_note', '' ),
			'billing'              => self::address( $order, 'billing', array( 'email', 'phone' ) ),
			'shipping'             => self::address( $order, 'shipping', array( 'phone' ) ),
			'payment_method'       => (string) self::get( $order, 'payment_method', '' ),
			'payment_method_title' => (string) self::get( $order, 'payment_method_title', '' ),
			'transaction_id'       => (string) self::get( $order, 'transaction_id', '' ),
			'cart_hash'            => (string) self::get( $order, 'cart_hash', '' ),
			'meta_data'            => self::meta( $order ),
			'line_items'           => array(),
			'tax_lines'            => array(),
			'shipping_lines'       => array(),
			'fee_lines'            => array(),
			'coupon_lines'         => array(),
			'refunds'              => array(),
		);

		foreach ( array( 'created', 'modified', 'completed', 'paid' ) as $name ) {
			$date                             = self::get( $order, 'date_' . $name, null );
			$data[ 'date_' . $name ]          = self::date( $date, false );
			$data[ 'date_' . $name . '_gmt' ] = self::date( $date, true );
		}

		$items = method_exists( $order, 'get_items' ) ? $order->get_items( 'line_item' ) : array();
		foreach ( (array) $items as $item ) {
			$data['line_items'][] = self::line_item( $item );
		}

		$data['currency_symbol'] = function_exists( 'get_woocommerce_currency_symbol' )
			? html_entity_decode( get_woocommerce_currency_symbol( $data['currency'] ), ENT_QUOTES, 'UTF-8' )
			: '';

		return $data;
	}

	/**
	 * One `line_items[]` entry.
	 *
	 * @param object $item WC_Order_Item_Product.
	 * @return array<string, mixed>
	 */
	public static function line_item( $item ): array {
		$quantity = (float) self::get( $item, 'quantity', 0 );
		$total    = (float) self::get( $item, 'total', 0 );
		$product  = method_exists( $item, 'get_product' ) ? $item->get_product() : null;
		$sku      = is_object( $product ) && method_exists( $product, 'get_sku' ) ? (string) $product->get_sku() : '';

		$taxes = array();
		$raw   = self::get( $item, 'taxes', array() );
		if ( is_array( $raw ) && isset( $raw['total'] ) && is_array( $raw['total'] ) ) {
			foreach ( $raw['total'] as $rate_id => $tax_total ) {
				$taxes[] = array(
					'id'       => (int) $rate_id,
					'total'    => self::money( $tax_total ),
					'subtotal' => self::money( isset( $raw['subtotal'][ $rate_id ] ) ? $raw['subtotal'][ $rate_id ] : 0 ),
				);
			}
		}

		return array(
			'id'           => (int) self::get( $item, 'id', 0 ),
			'name'         => (string) self::get( $item, 'name', '' ),
			'product_id'   => (int) self::get( $item, 'product_id', 0 ),
			'variation_id' => (int) self::get( $item, 'variation_id', 0 ),
			'quantity'     => (int) $quantity,
			'tax_class'    => (string) self::get( $item, 'tax_class', '' ),
			'subtotal'     => self::money( self::get( $item, 'subtotal', 0 ) ),
			'subtotal_tax' => self::money( self::get( $item, 'subtotal_tax', 0 ) ),
			'total'        => self::money( $total ),
			'total_tax'    => self::money( self::get( $item, 'total_tax', 0 ) ),
			'taxes'        => $taxes,
			'meta_data'    => self::meta( $item, true ),
			'sku'          => $sku,
			'price'        => $quantity > 0 ? $total / $quantity : 0,
			'parent_name'  => null,
		);
	}

	/**
	 * `billing` / `shipping` object.
	 *
	 * @param object   $order Order.
	 * @param string   $type  'billing' or 'shipping'.
	 * @param string[] $extra Extra fields of this address type.
	 * @return array<string, string>
	 */
	private static function address( $order, string $type, array $extra ): array {
		$address = array();
		foreach ( array_merge( self::ADDRESS_FIELDS, $extra ) as $field ) {
			$address[ $field ] = (string) self::get( $order, $type . '_' . $field, '' );
		}
		return $address;
	}

	/**
	 * Meta as `[{id, key, value}]` (line items also get display_key / display_value).
	 *
	 * @param object $object       Order or order item.
	 * @param bool   $with_display Add display_key / display_value.
	 * @return array<int, array<string, mixed>>
	 */
	private static function meta( $object, bool $with_display = false ): array {
		$list = array();
		$meta = method_exists( $object, 'get_meta_data' ) ? $object->get_meta_data() : array();
		foreach ( (array) $meta as $entry ) {
			$fields = is_object( $entry ) && method_exists( $entry, 'get_data' ) ? $entry->get_data() : (array) $entry;
			if ( ! isset( $fields['key'] ) ) {
				continue;
			}
			$row = array(
				'id'    => isset( $fields['id'] ) ? (int) $fields['id'] : 0,
				'key'   => (string) $fields['key'],
				'value' => isset( $fields['value'] ) ? $fields['value'] : null,
			);
			if ( $with_display ) {
				$row['display_key']   = $row['key'];
				$row['display_value'] = is_scalar( $row['value'] ) ? (string) $row['value'] : $row['value'];
			}
			$list[] = $row;
		}
		return $list;
	}

	/**
	 * Call `get_{$property}()` when the object has it.
	 *
	 * @param object $object   Object.
	 * @param string $property Property name.
	 * @param mixed  $default  Value when there is no getter.
	 * @return mixed
	 */
	private static function get( $object, string $property, $default ) {
		$method = 'get_' . $property;
		if ( ! method_exists( $object, $method ) ) {
			return $default;
		}
		$value = $object->{$method}();
		return null === $value ? $default : $value;
	}

	/**
	 * Decimal string with the store's price decimals, like wc_format_decimal() in the REST API.
	 *
	 * @param mixed $value Number or numeric string.
	 */
	private static function money( $value ): string {
		$decimals = function_exists( 'wc_get_price_decimals' ) ? (int) wc_get_price_decimals() : 2;
		if ( function_exists( 'wc_format_decimal' ) ) {
			return (string) wc_format_decimal( $value, $decimals );
		}
		return number_format( is_numeric( $value ) ? (float) $value : 0.0, $decimals, '.', '' );
	}

	/**
	 * `Y-m-d\TH:i:s` in site time (`$gmt` false) or UTC, or null.
	 *
	 * @param mixed $date WC_DateTime / DateTimeInterface, Unix time, or null.
	 * @param bool  $gmt  UTC instead of site time.
	 */
	private static function date( $date, bool $gmt ): ?string {
		if ( $date instanceof \DateTimeInterface ) {
			$timestamp = $date->getTimestamp();
		} elseif ( is_numeric( $date ) && (int) $date > 0 ) {
			$timestamp = (int) $date;
		} else {
			return null;
		}
		$utc = new \DateTimeImmutable( '@' . $timestamp );
		return $gmt
			? $utc->format( 'Y-m-d\TH:i:s' )
			: $utc->setTimezone( wp_timezone() )->format( 'Y-m-d\TH:i:s' );
	}
}
