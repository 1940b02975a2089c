<?php
/**
 * The order as WooCommerce's REST API v3 (and its webhooks) would show it.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Orders;

defined( 'ABSPATH' ) || exit;

use SyncHub\WooCommerce;
use WP_REST_Request;

/**
 * Builds the `order.paid` payload.
 *
 * With WooCommerce loaded, WooCommerce's own `WC_REST_Orders_Controller::prepare_object_for_response()`
 * builds it, so the worker receives exactly what a native WooCommerce webhook sends, including
 * whatever extensions add through `woocommerce_rest_prepare_shop_order_object`.
 * Without the controller (tests, or a failure inside an extension's filter) the
 * FallbackOrderPayload builds the same v3 shape from `WC_Order` getters only.
 */
final class OrderPayload {

	/**
	 * The v3 order object as an array of plain JSON values.
	 *
	 * @param \WC_Order $order Order.
	 * @return array<string, mixed>
	 */
	public static function build( $order ): array {
		$data = self::from_rest_controller( $order );
		return null !== $data ? $data : FallbackOrderPayload::build( $order );
	}

	/**
	 * Ask WooCommerce's REST controller, or return null when it is unavailable or fails.
	 *
	 * @param \WC_Order $order Order.
	 * @return array<string, mixed>|null
	 */
	public static function from_rest_controller( $order ): ?array {
		if ( ! WooCommerce::is_active() || ! class_exists( 'WC_REST_Orders_Controller' ) ) {
			return null;
		}
		try {
			$controller = new \WC_REST_Orders_Controller();
			$request    = new WP_REST_Request( 'GET', '/wc/v3/orders/' . $order->get_id() );
			$request->set_param( 'id', $order->get_id() );
			$request->set_param( 'context', 'view' );
			$response = $controller->prepare_object_for_response( $order, $request );
			if ( is_wp_error( $response ) ) {
				return null;
			}
			$data = rest_ensure_response( $response )->get_data();
		} catch ( \Throwable $e ) {
			return null;
		}

		// Turn WC_Meta_Data and other JsonSerializable objects into plain values.
		$json  = wp_json_encode( $data );
		$plain = is_string( $json ) ? json_decode( $json, true ) : null;
		return is_array( $plain ) && isset( $plain['id'] ) ? $plain : null;
	}
}
