<?php
/**
 * A product in the ingestion API's shape (DESIGN: Products), plus `variations[]`.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Products;

defined( 'ABSPATH' ) || exit;

/**
 * Built only through WooCommerce's public product API (WC_Product getters, WordPress terms).
 */
final class ProductPayload {

	/**
	 * The event body: a fresh event id (a coalesced outbox row carries the id of its latest
	 * payload, so the receiver never skips a newer state as a duplicate) and a sequence that
	 * orders the states of one product (microseconds).
	 *
	 * @param string           $event_type product.created|product.updated|product.deleted.
	 * @param \WC_Product|null $product    The product (null for a deletion).
	 * @param int              $product_id Product id (for deletions).
	 * @param int[]            $skip_variation_ids Variations being deleted right now.
	 * @return array<string, mixed>
	 */
	public static function event( string $event_type, $product, int $product_id, array $skip_variation_ids = array() ): array {
		return array(
			'event_id'    => wp_generate_uuid4(),
			'event_type'  => $event_type,
			'occurred_at' => gmdate( 'Y-m-d\TH:i:s\Z' ),
			'sequence'    => (int) round( microtime( true ) * 1000000 ),
			'product'     => null === $product ? array( 'id' => $product_id ) : self::product( $product, $skip_variation_ids ),
		);
	}

	/**
	 * @param \WC_Product $product            Product.
	 * @param int[]       $skip_variation_ids Variation ids to leave out.
	 * @return array<string, mixed>
	 */
	public static function product( $product, array $skip_variation_ids = array() ): array {
		$id       = (int) $product->get_id();
		$image_id = (int) $product->get_image_id();
		$image    = $image_id > 0 ? wp_get_attachment_image_url( $image_id, 'full' ) : false;
		$modified = $product->get_date_modified();

		$data = array(
			'id'                => $id,
			'sku'               => (string) $product->get_sku(),
			'name'              => (string) $product->get_name(),
			'short_description' => (string) $product->get_short_description(),
			'description'       => (string) $product->get_description(),
			'price'             => (string) $product->get_price(),
			'regular_price'     => (string) $product->get_regular_price(),
			'sale_price'        => (string) $product->get_sale_price(),
			'currency'          => function_exists( 'get_woocommerce_currency' ) ? (string) get_woocommerce_currency() : null,
			'stock_quantity'    => self::stock( $product->get_stock_quantity() ),
			'stock_status'      => self::stock_status( (string) $product->get_stock_status() ),
			'categories'        => self::terms( $id, 'product_cat' ),
			'tags'              => self::terms( $id, 'product_tag' ),
			'image'             => is_string( $image ) ? $image : null,
			// The original ingestion backend's names: whether the product is on sale now, and the gallery URLs.
			'on_sale'           => (bool) $product->is_on_sale(),
			'gallery'           => self::gallery( $product ),
			'permalink'         => (string) get_permalink( $id ),
			'date_modified_gmt' => $modified instanceof \DateTimeInterface ? gmdate( 'Y-m-d\TH:i:s', $modified->getTimestamp() ) : null,
			'type'              => (string) $product->get_type(),
			'variations'        => array(),
		);
		if ( '' === $data['name'] ) {
			/* translators: %d: product id. */
			$data['name'] = sprintf( __( 'Product %d', 'sync-hub' ), $id );
		}

		if ( $product->is_type( 'variable' ) ) {
			foreach ( $product->get_children() as $child_id ) {
				if ( in_array( (int) $child_id, $skip_variation_ids, true ) ) {
					continue;
				}
				$variation = wc_get_product( $child_id );
				if ( ! $variation || 'trash' === $variation->get_status() ) {
					continue;
				}
				$data['variations'][] = array(
					'id'             => (int) $variation->get_id(),
					'sku'            => (string) $variation->get_sku(),
					'attributes'     => self::attributes( $variation ),
					'price'          => (string) $variation->get_price(),
					'regular_price'  => (string) $variation->get_regular_price(),
					'sale_price'     => (string) $variation->get_sale_price(),
					'stock_quantity' => self::stock( $variation->get_stock_quantity() ),
					'stock_status'   => self::stock_status( (string) $variation->get_stock_status() ),
				);
			}
		}
		return $data;
	}

	/**
	 * Term names of a taxonomy (categories, tags).
	 *
	 * @param int    $product_id Product id.
	 * @param string $taxonomy   Taxonomy.
	 * @return string[]
	 */
	private static function terms( int $product_id, string $taxonomy ): array {
		$terms = get_the_terms( $product_id, $taxonomy );
		if ( ! is_array( $terms ) ) {
			return array();
		}
		$names = array();
		foreach ( $terms as $term ) {
			$names[] = html_entity_decode( (string) $term->name, ENT_QUOTES );
		}
		return $names;
	}

	/**
	 * `attribute_pa_color` → `pa_color`.
	 *
	 * @param \WC_Product $variation Variation.
	 * @return array<string, string>
	 */
	private static function attributes( $variation ): array {
		$attributes = method_exists( $variation, 'get_variation_attributes' ) ? $variation->get_variation_attributes() : array();
		$out        = array();
		foreach ( (array) $attributes as $key => $value ) {
			$out[ (string) preg_replace( '/^attribute_/', '', (string) $key ) ] = (string) $value;
		}
		return $out;
	}

	/**
	 * @param mixed $quantity int|float|null from WooCommerce.
	 */
	private static function stock( $quantity ): ?int {
		return null === $quantity || '' === $quantity ? null : (int) $quantity;
	}

	private static function stock_status( string $status ): ?string {
		return in_array( $status, array( 'instock', 'outofstock', 'onbackorder' ), true ) ? $status : null;
	}

	/**
	 * Full-size URLs of the product's gallery images, in their order.
	 *
	 * @param \WC_Product $product Product.
	 * @return string[]
	 */
	private static function gallery( $product ): array {
		$urls = array();
		foreach ( (array) $product->get_gallery_image_ids() as $image_id ) {
			$url = wp_get_attachment_image_url( (int) $image_id, 'full' );
			if ( is_string( $url ) && '' !== $url ) {
				$urls[] = $url;
			}
		}
		return $urls;
	}
}
