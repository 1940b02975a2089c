<?php
/**
 * REST routes of the Bookings screen: the cart discount rule and "Send test order".
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Bookings;

defined( 'ABSPATH' ) || exit;

use SyncHub\Rest\Controller;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * `GET|POST /bookings/discount`, `POST /bookings/test-order`. The Odoo connection and the synced
 * orders live in the worker and are reached through the worker proxy.
 */
final class RestController extends Controller {

	/**
	 * Route base.
	 *
	 * @var string
	 */
	protected $rest_base = 'bookings';

	/**
	 * Register the routes.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/discount',
			array(
				$this->endpoint( WP_REST_Server::READABLE, 'get_discount' ),
				$this->endpoint(
					WP_REST_Server::EDITABLE,
					'update_discount',
					array(
						'enabled'   => array(
							'description' => __( 'Whether the volume discount applies.', 'sync-hub' ),
							'type'        => 'boolean',
						),
						'threshold' => array(
							'description' => __( 'Persons or classes in the cart from which the discount applies.', 'sync-hub' ),
							'type'        => 'integer',
							'minimum'     => 1,
							'maximum'     => DiscountSettings::MAX_THRESHOLD,
						),
						'percent'   => array(
							'description'      => __( 'Discount in percent.', 'sync-hub' ),
							'type'             => 'number',
							'minimum'          => 0,
							'exclusiveMinimum' => true,
							'maximum'          => 100,
						),
					)
				),
			)
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/test-order',
			array(
				$this->endpoint(
					WP_REST_Server::CREATABLE,
					'send_test_order',
					array(
						'order_id' => array(
							'description' => __( 'Order to send; the latest paid booking order when omitted.', 'sync-hub' ),
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
	 * `GET /bookings/discount`.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function get_discount( $request ): WP_REST_Response {
		return new WP_REST_Response( DiscountSettings::get(), 200 );
	}

	/**
	 * `POST /bookings/discount`.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_discount( $request ) {
		$input = array();
		foreach ( array( 'enabled', 'threshold', 'percent' ) as $key ) {
			if ( null !== $request->get_param( $key ) ) {
				$input[ $key ] = $request->get_param( $key );
			}
		}
		$rule = DiscountSettings::save( $input );
		return is_wp_error( $rule ) ? $rule : new WP_REST_Response( $rule, 200 );
	}

	/**
	 * `POST /bookings/test-order`.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function send_test_order( $request ) {
		$result = TestOrder::send( (int) $request->get_param( 'order_id' ) );
		return is_wp_error( $result ) ? $result : new WP_REST_Response( $result, 202 );
	}
}
