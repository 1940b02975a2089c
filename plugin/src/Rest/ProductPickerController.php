<?php
/**
 * `GET /sync-hub/v1/store-products`: products of the store by name or SKU, for the admin page's pickers.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Rest;

defined( 'ABSPATH' ) || exit;

use SyncHub\WooCommerce;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * Searches the way WooCommerce's own product picker does (its product data store's
 * `search_products()`: title, excerpt, content and SKU, variations excluded), or returns the
 * product of a given id (to label a saved choice). Read only; `manage_woocommerce`.
 */
final class ProductPickerController extends Controller {

	public const LIMIT = 20;

	/**
	 * Route base.
	 *
	 * @var string
	 */
	protected $rest_base = 'store-products';

	/**
	 * Register the route.
	 */
	public function register_routes(): void {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				$this->endpoint(
					WP_REST_Server::READABLE,
					'get_products',
					array(
						'search'  => array(
							'description' => __( 'Words of the product name or its SKU.', 'sync-hub' ),
							'type'        => 'string',
							'maxLength'   => 100,
							'default'     => '',
						),
						'id'      => array(
							'description' => __( 'A product id to return instead of searching.', 'sync-hub' ),
							'type'        => 'integer',
							'minimum'     => 1,
							'maximum'     => PHP_INT_MAX,
						),
					)
				),
			)
		);
	}

	/**
	 * Matching products: `[{ id, name, sku, type }]`, best first, at most LIMIT.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function get_products( WP_REST_Request $request ) {
		if ( ! WooCommerce::is_active() || ! function_exists( 'wc_get_products' ) ) {
			return new WP_Error( 'synchub_no_woocommerce', __( 'WooCommerce is not active.', 'sync-hub' ), array( 'status' => 409 ) );
		}
		$include = null !== $request->get_param( 'id' ) ? array( (int) $request->get_param( 'id' ) ) : array();
		$search  = trim( (string) $request->get_param( 'search' ) );
		if ( array() === $include ) {
			if ( '' === $search ) {
				$include = wc_get_products(
					array(
						'limit'   => self::LIMIT,
						'orderby' => 'date',
						'order'   => 'DESC',
						'return'  => 'ids',
						'status'  => array( 'publish', 'private', 'draft' ),
					)
				);
			} else {
				$store   = \WC_Data_Store::load( 'product' );
				$include = array_slice( array_map( 'intval', (array) $store->search_products( wc_clean( $search ), '', false, false, self::LIMIT ) ), 0, self::LIMIT );
			}
		}
		$products = array() === $include ? array() : wc_get_products(
			array(
				'include' => $include,
				'limit'   => self::LIMIT,
				'status'  => array( 'publish', 'private', 'draft', 'pending', 'future' ),
				'orderby' => 'include',
			)
		);
		$rows = array();
		foreach ( $products as $product ) {
			$rows[] = array(
				'id'   => (int) $product->get_id(),
				'name' => html_entity_decode( wp_strip_all_tags( (string) $product->get_name() ), ENT_QUOTES ),
				'sku'  => (string) $product->get_sku(),
				'type' => (string) $product->get_type(),
			);
		}
		return new WP_REST_Response( $rows );
	}
}
