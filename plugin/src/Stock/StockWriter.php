<?php
/**
 * Sets stock through WooCommerce's own functions, marking the write as ours.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Stock;

defined( 'ABSPATH' ) || exit;

/**
 * Writes SIIGO quantities into WooCommerce by SKU. While it writes, `is_writing()` is true and the
 * `synchub_is_stock_write` filter answers true, so the products feed does not echo the change
 * back (WooCommerce fires `woocommerce_update_product` after `wc_update_product_stock()`).
 */
final class StockWriter {

	public const UPDATED = 'updated';

	public const UNKNOWN_SKU = 'unknown_sku';

	public const NOT_MANAGED = 'not_managed';

	/**
	 * Whether a stock write of ours is in progress in this request.
	 *
	 * @var bool
	 */
	private static $writing = false;

	/**
	 * True while the worker's stock write runs (read by the products feed).
	 */
	public static function is_writing(): bool {
		return self::$writing;
	}

	/**
	 * Filter `synchub_is_stock_write`: our writes are stock writes.
	 *
	 * @param bool $is_stock_write Value so far.
	 * @return bool
	 */
	public static function on_synchub_is_stock_write( $is_stock_write ) {
		return self::$writing || (bool) $is_stock_write;
	}

	/**
	 * Set each SKU's stock; one answer per item, in order.
	 *
	 * @param array<int, array{sku: string, stock_quantity: int}> $items            Validated items.
	 * @param bool                                                $manage_unmanaged Turn stock management on where it is off.
	 * @return array<int, array<string, mixed>>
	 */
	public static function apply( array $items, bool $manage_unmanaged ): array {
		$results       = array();
		self::$writing = true;
		try {
			foreach ( $items as $item ) {
				$results[] = self::write_one( $item['sku'], $item['stock_quantity'], $manage_unmanaged );
			}
		} finally {
			self::$writing = false;
		}
		return $results;
	}

	/**
	 * One SKU.
	 *
	 * @param string $sku              SKU (= SIIGO product code).
	 * @param int    $quantity         New stock.
	 * @param bool   $manage_unmanaged Turn stock management on where it is off.
	 * @return array<string, mixed>
	 */
	private static function write_one( string $sku, int $quantity, bool $manage_unmanaged ): array {
		$product_id = (int) wc_get_product_id_by_sku( $sku );
		$product    = $product_id > 0 ? wc_get_product( $product_id ) : false;
		if ( ! $product ) {
			return array(
				'sku'        => $sku,
				'status'     => self::UNKNOWN_SKU,
				'product_id' => null,
			);
		}
		if ( ! $product->managing_stock() ) {
			if ( ! $manage_unmanaged ) {
				return array(
					'sku'        => $sku,
					'status'     => self::NOT_MANAGED,
					'product_id' => $product_id,
				);
			}
			// WooCommerce only sets stock on products that manage it: switch it on and save first.
			$product->set_manage_stock( true );
			$product->save();
		}
		$previous = $product->get_stock_quantity();
		$new      = wc_update_product_stock( $product, $quantity, 'set' );
		return array(
			'sku'               => $sku,
			'status'            => self::UPDATED,
			'product_id'        => $product_id,
			'previous_quantity' => null === $previous ? null : (float) $previous,
			'stock_quantity'    => false === $new || null === $new ? (float) $quantity : (float) $new,
		);
	}
}
