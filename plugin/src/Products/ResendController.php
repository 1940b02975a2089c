<?php
/**
 * `POST /sync-hub/v1/products/resend` (signed, called by the worker): the drift report's
 * "re-sync these" for products, which only the store can send.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Products;

defined( 'ABSPATH' ) || exit;

use SyncHub\Rest\Controller;
use SyncHub\Security\WorkerRequest;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * Records each listed product in the outbox again, as a save would: a published product as
 * `product.updated` with its current state, anything else (trashed, unpublished, deleted for good)
 * as `product.deleted`. Delivery then follows the feed's usual path (debounce, retries, signing).
 */
final class ResendController extends Controller {

	public const TOPIC = 'products.resend';

	public const MAX_IDS = 100;

	/**
	 * Route base.
	 *
	 * @var string
	 */
	protected $rest_base = 'products/resend';

	/**
	 * Register the route.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'resend' ),
					'permission_callback' => array( $this, 'check_signature' ),
				),
			)
		);
	}

	/**
	 * Only the worker, holding the shared webhook secret (topic products.resend).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public function check_signature( $request ) {
		return WorkerRequest::verify( $request, self::TOPIC );
	}

	/**
	 * Validate every id first (nothing is recorded when one is wrong), then record.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function resend( $request ) {
		$ids = self::parse_ids( (string) $request->get_body() );
		if ( is_wp_error( $ids ) ) {
			return $ids;
		}
		if ( ! function_exists( 'wc_get_product' ) ) {
			return new WP_Error( 'synchub_products_no_woocommerce', __( 'WooCommerce is not active, so there are no products to send.', 'sync-hub' ), array( 'status' => 409 ) );
		}
		if ( ! WorkerRequest::claim( $request ) ) {
			return new WP_REST_Response( WorkerRequest::skipped( $request ), 200 );
		}
		$results = array();
		foreach ( $ids as $id ) {
			$results[] = array( 'id' => $id ) + self::record( $id );
		}
		return new WP_REST_Response( array( 'results' => $results ), 200 );
	}

	/**
	 * @param int $id Product id.
	 * @return array{status: string, message?: string}
	 */
	private static function record( int $id ): array {
		$type = get_post_type( $id );
		if ( false !== $type && ! in_array( $type, array( 'product', 'product_variation' ), true ) ) {
			return array( 'status' => 'not_a_product' );
		}
		$product = false === $type ? null : wc_get_product( $id );
		$recorded = $product ? ProductEvents::record_product( $id, 'product.updated', $product ) : ProductEvents::record_deleted( $id );
		if ( is_wp_error( $recorded ) ) {
			return array( 'status' => 'failed', 'message' => $recorded->get_error_message() );
		}
		$published = $product && 'publish' === $product->get_status();
		return array( 'status' => $published ? 'queued' : 'deleted' );
	}

	/**
	 * `{ "ids": [1, 2, …] }` with 1–100 positive integer ids, or a WP_Error naming the problem.
	 *
	 * @param string $body Raw JSON body.
	 * @return int[]|WP_Error
	 */
	public static function parse_ids( string $body ) {
		$data = json_decode( $body, true );
		if ( ! is_array( $data ) || ! isset( $data['ids'] ) || ! is_array( $data['ids'] ) || array() === $data['ids'] || array_values( $data['ids'] ) !== $data['ids'] ) {
			return new WP_Error( 'synchub_invalid_ids', __( '"ids" must be a non-empty list of product ids.', 'sync-hub' ), array( 'status' => 400 ) );
		}
		if ( count( $data['ids'] ) > self::MAX_IDS ) {
			return new WP_Error(
				'synchub_too_many_ids',
				/* translators: %d: the largest number of ids per request. */
				sprintf( __( 'At most %d ids per request.', 'sync-hub' ), self::MAX_IDS ),
				array( 'status' => 413 )
			);
		}
		$ids = array();
		foreach ( $data['ids'] as $index => $id ) {
			if ( ! is_int( $id ) || $id <= 0 ) {
				return new WP_Error(
					'synchub_invalid_ids',
					/* translators: %d: position of the id in the list, from 0. */
					sprintf( __( 'Id %d is not a positive whole number; nothing was sent.', 'sync-hub' ), $index ),
					array( 'status' => 400 )
				);
			}
			$ids[ $id ] = $id;
		}
		return array_values( $ids );
	}
}
