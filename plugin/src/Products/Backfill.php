<?php
/**
 * "Sync all products": records every published product, 100 per call, resumable.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Products;

defined( 'ABSPATH' ) || exit;

use WP_Error;

/**
 * The admin page calls run_page() until `done`; the cursor lives in an option, so a closed tab
 * or a failed request resumes where it stopped.
 */
final class Backfill {

	public const OPTION = 'synchub_products_backfill';

	public const PAGE_SIZE = 100;

	/**
	 * Progress: status idle|running|done, page (next page to send), processed, total, times.
	 *
	 * @return array<string, mixed>
	 */
	public static function state(): array {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		return array_merge(
			array(
				'status'      => 'idle',
				'page'        => 1,
				'processed'   => 0,
				'total'       => 0,
				'errors'      => 0,
				'started_at'  => null,
				'finished_at' => null,
			),
			$stored
		);
	}

	/**
	 * Record the next page of products.
	 *
	 * @param bool $restart Start again from the first page.
	 * @return array<string, mixed>|WP_Error The new progress.
	 */
	public static function run_page( bool $restart = false ) {
		if ( ! function_exists( 'wc_get_products' ) ) {
			return new WP_Error( 'synchub_products_no_woocommerce', __( 'WooCommerce is not active, so there are no products to send.', 'sync-hub' ), array( 'status' => 409 ) );
		}
		$state = self::state();
		if ( $restart || 'running' !== $state['status'] ) {
			$state = array_merge( $state, array( 'status' => 'running', 'page' => 1, 'processed' => 0, 'errors' => 0, 'started_at' => gmdate( 'c' ), 'finished_at' => null ) );
		}

		$result = wc_get_products(
			array(
				'status'   => 'publish',
				'type'     => array( 'simple', 'variable', 'grouped', 'external' ),
				'limit'    => self::PAGE_SIZE,
				'page'     => (int) $state['page'],
				'orderby'  => 'ID',
				'order'    => 'ASC',
				'paginate' => true,
			)
		);
		$products = is_object( $result ) && isset( $result->products ) ? (array) $result->products : array();
		$total    = is_object( $result ) && isset( $result->total ) ? (int) $result->total : count( $products );

		foreach ( $products as $product ) {
			$recorded = ProductEvents::record_product( (int) $product->get_id(), 'product.updated', $product );
			if ( is_wp_error( $recorded ) ) {
				++$state['errors'];
			}
		}
		$state['processed'] = (int) $state['processed'] + count( $products );
		$state['total']     = max( $total, (int) $state['processed'] );
		$state['page']      = (int) $state['page'] + 1;
		if ( count( $products ) < self::PAGE_SIZE ) {
			$state['status']      = 'done';
			$state['finished_at'] = gmdate( 'c' );
		}
		update_option( self::OPTION, $state, false );
		return $state;
	}
}
