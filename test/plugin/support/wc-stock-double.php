<?php
/**
 * Test double of WooCommerce's stock helpers, with WooCommerce's documented behaviour:
 * wc_get_product_id_by_sku() ignores trashed products and answers 0 when none matches;
 * wc_update_product_stock() leaves products that do not manage stock alone, otherwise sets the
 * quantity and stock status, fires `woocommerce_product_set_stock` and saves the product
 * (which fires `woocommerce_update_product`).
 * Loaded only when WooCommerce is absent (see mu-plugins/synchub-wc-stock-double.php).
 *
 * @package SyncHub\Tests
 */

/**
 * @param string $sku SKU.
 */
function wc_get_product_id_by_sku( $sku ): int {
	$ids = get_posts(
		array(
			'post_type'      => array( 'product', 'product_variation' ),
			'post_status'    => array( 'publish', 'private', 'draft', 'pending', 'future' ),
			'meta_key'       => '_test_sku', // phpcs:ignore WordPress.DB.SlowDBQuery
			'meta_value'     => (string) $sku, // phpcs:ignore WordPress.DB.SlowDBQuery
			'fields'         => 'ids',
			'posts_per_page' => 1,
			'orderby'        => 'ID',
			'order'          => 'ASC',
		)
	);
	return (int) apply_filters( 'woocommerce_get_product_id_by_sku', $ids ? (int) $ids[0] : 0, $sku );
}

/**
 * @param WC_Product|int $product        Product or id.
 * @param int|null       $stock_quantity New quantity.
 * @param string         $operation      set|increase|decrease.
 * @param bool           $updating       Skip the save.
 * @return int|float|false|null
 */
function wc_update_product_stock( $product, $stock_quantity = null, $operation = 'set', $updating = false ) {
	$product = is_object( $product ) ? $product : wc_get_product( $product );
	if ( ! $product ) {
		return false;
	}
	if ( null === $stock_quantity || ! $product->managing_stock() ) {
		return $product->get_stock_quantity();
	}
	$current = (int) $product->get_stock_quantity();
	$new     = 'increase' === $operation ? $current + (int) $stock_quantity : ( 'decrease' === $operation ? $current - (int) $stock_quantity : (int) $stock_quantity );
	update_post_meta( $product->get_id(), '_test_stock_quantity', $new );
	update_post_meta( $product->get_id(), '_test_stock_status', $new > 0 ? 'instock' : 'outofstock' );
	clean_post_cache( $product->get_id() );
	$GLOBALS['synchub_test_stock_writes'][] = array( 'id' => $product->get_id(), 'quantity' => $new );
	do_action( 'woocommerce_product_set_stock', $product );
	if ( ! $updating ) {
		$product->save();
	}
	return $new;
}
