<?php
/**
 * REST routes for the outbox backlog.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Rest;

defined( 'ABSPATH' ) || exit;

use SyncHub\Outbox\Outbox;
use SyncHub\Outbox\OutboxActivity;
use SyncHub\Outbox\OutboxQuery;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * `GET /outbox` (counts and a page of rows, never payloads), `GET /outbox/activity` (deliveries and
 * failures per day or hour) and `POST /outbox/{id}/retry`.
 */
final class OutboxController extends Controller {

	/**
	 * Route base.
	 *
	 * @var string
	 */
	protected $rest_base = 'outbox';

	/**
	 * Register the routes.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				$this->endpoint(
					WP_REST_Server::READABLE,
					'get_items',
					array(
						'status'   => array(
							'description' => __( 'Only rows with this status.', 'sync-hub' ),
							'type'        => 'string',
							'enum'        => Outbox::STATUSES,
						),
						'page'     => array(
							'description' => __( 'Page number, starting at 1.', 'sync-hub' ),
							'type'        => 'integer',
							'default'     => 1,
							'minimum'     => 1,
							'maximum'     => 100000,
						),
						'per_page' => array(
							'description' => __( 'Rows per page.', 'sync-hub' ),
							'type'        => 'integer',
							'default'     => 20,
							'minimum'     => 1,
							'maximum'     => 100,
						),
					)
				),
			)
		);

		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/activity',
			array(
				$this->endpoint(
					WP_REST_Server::READABLE,
					'get_activity',
					array(
						'bucket' => array(
							'description' => __( 'Count per day (last 14) or per hour (last 48), in UTC.', 'sync-hub' ),
							'type'        => 'string',
							'enum'        => OutboxActivity::BUCKETS,
							'default'     => 'day',
						),
					)
				),
			)
		);

		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/(?P<id>[\d]+)/retry',
			array(
				$this->endpoint(
					WP_REST_Server::CREATABLE,
					'retry_item',
					array(
						'id' => array(
							'description' => __( 'Outbox row id.', 'sync-hub' ),
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
	 * Counts per status and one page of rows.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public function get_items( $request ) {
		$per_page = (int) $request['per_page'];
		$page     = (int) $request['page'];
		$result   = OutboxQuery::page( (string) $request['status'], $page, $per_page );

		$response = new WP_REST_Response(
			array(
				'counts'      => OutboxQuery::counts(),
				'items'       => $result['items'],
				'total'       => $result['total'],
				'page'        => $page,
				'per_page'    => $per_page,
				'total_pages' => (int) ceil( $result['total'] / $per_page ),
			),
			200
		);
		$response->header( 'X-WP-Total', (string) $result['total'] );
		$response->header( 'X-WP-TotalPages', (string) ceil( $result['total'] / $per_page ) );
		return $response;
	}

	/**
	 * Deliveries and failures per bucket, for the admin page's charts.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public function get_activity( $request ) {
		$bucket = 'hour' === $request['bucket'] ? 'hour' : 'day';
		return new WP_REST_Response( OutboxActivity::series( $bucket, 'hour' === $bucket ? 48 : 14, time() ), 200 );
	}

	/**
	 * Requeue a failed row.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function retry_item( WP_REST_Request $request ) {
		$row = OutboxQuery::retry( (int) $request['id'] );
		if ( is_wp_error( $row ) ) {
			return $row;
		}
		return new WP_REST_Response( $row, 200 );
	}
}
