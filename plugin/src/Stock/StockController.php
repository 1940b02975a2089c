<?php
/**
 * `POST /sync-hub/v1/stock` (signed, called by the worker) and the Stock screen's settings route.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Stock;

defined( 'ABSPATH' ) || exit;

use SyncHub\Rest\Controller;
use SyncHub\Security\WorkerRequest;
use SyncHub\Settings\Settings;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * The worker writes SIIGO stock through here, v2-signed (SyncHub\Security\WorkerRequest, topic
 * stock.update).
 */
final class StockController extends Controller {

	public const TOPIC = 'stock.update';

	public const MAX_ITEMS = 100;

	public const MAX_SKU_LENGTH = 100;

	/**
	 * Route base.
	 *
	 * @var string
	 */
	protected $rest_base = 'stock';

	/**
	 * Register the routes.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'update_stock' ),
					'permission_callback' => array( $this, 'check_signature' ),
				),
			)
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/stream',
			array(
				$this->endpoint(
					WP_REST_Server::READABLE,
					'stream',
					array(
						'since' => array(
							'description' => __( 'Id of the last stock change the page has.', 'sync-hub' ),
							'type'        => 'integer',
							'minimum'     => 0,
							'maximum'     => PHP_INT_MAX,
						),
					)
				),
			)
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/settings',
			array(
				$this->endpoint( WP_REST_Server::READABLE, 'get_settings' ),
				$this->endpoint(
					WP_REST_Server::CREATABLE,
					'update_settings',
					array(
						'manage_unmanaged' => array(
							'description' => __( 'Turn on stock management for products that do not manage stock before setting it.', 'sync-hub' ),
							'type'        => 'boolean',
							'required'    => true,
						),
					)
				),
			)
		);
	}

	/**
	 * Only the worker, holding the shared webhook secret, may write stock (topic stock.update).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public function check_signature( $request ) {
		return WorkerRequest::verify( $request, self::TOPIC );
	}

	/**
	 * Validate every item first (nothing is written when one is wrong), then write.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_stock( $request ) {
		$items = self::parse_items( (string) $request->get_body() );
		if ( is_wp_error( $items ) ) {
			return $items;
		}
		// The signature was checked; its event id makes a replay inside the window a no-op.
		if ( ! WorkerRequest::claim( $request ) ) {
			return new WP_REST_Response( WorkerRequest::skipped( $request ), 200 );
		}
		return new WP_REST_Response( array( 'results' => StockWriter::apply( $items, StockSettings::manage_unmanaged() ) ), 200 );
	}

	/**
	 * `{ "items": [{ "sku", "stock_quantity" }] }` with 1–100 items, or a WP_Error naming the problem.
	 *
	 * @param string $body Raw JSON body.
	 * @return array<int, array{sku: string, stock_quantity: int}>|WP_Error
	 */
	public static function parse_items( string $body ) {
		$data = json_decode( $body, true );
		if ( ! is_array( $data ) ) {
			return self::invalid( 'synchub_invalid_json', __( 'The request body is not a JSON object.', 'sync-hub' ) );
		}
		if ( ! isset( $data['items'] ) || ! is_array( $data['items'] ) || array() === $data['items'] || array_values( $data['items'] ) !== $data['items'] ) {
			return self::invalid( 'synchub_invalid_items', __( '"items" must be a non-empty list.', 'sync-hub' ) );
		}
		if ( count( $data['items'] ) > self::MAX_ITEMS ) {
			return new WP_Error(
				'synchub_too_many_items',
				/* translators: %d: the largest number of items per request. */
				sprintf( __( 'At most %d items per request.', 'sync-hub' ), self::MAX_ITEMS ),
				array( 'status' => 413 )
			);
		}
		$items  = array();
		$errors = array();
		foreach ( $data['items'] as $index => $item ) {
			$sku      = is_array( $item ) && isset( $item['sku'] ) && is_string( $item['sku'] ) ? trim( $item['sku'] ) : '';
			$quantity = is_array( $item ) && array_key_exists( 'stock_quantity', $item ) ? $item['stock_quantity'] : null;
			if ( '' === $sku || strlen( $sku ) > self::MAX_SKU_LENGTH ) {
				/* translators: %d: position of the item in the list, from 0. */
				$errors[ 'items.' . $index . '.sku' ] = sprintf( __( 'Item %d needs a SKU of 1 to 100 characters.', 'sync-hub' ), $index );
			}
			if ( ! is_int( $quantity ) && ! ( is_float( $quantity ) && floor( $quantity ) === $quantity ) ) {
				/* translators: %d: position of the item in the list, from 0. */
				$errors[ 'items.' . $index . '.stock_quantity' ] = sprintf( __( 'Item %d needs a whole-number stock_quantity.', 'sync-hub' ), $index );
				continue;
			}
			$items[] = array(
				'sku'            => $sku,
				'stock_quantity' => (int) $quantity,
			);
		}
		if ( array() !== $errors ) {
			return new WP_Error( 'synchub_invalid_items', __( 'Some items are not valid; nothing was written.', 'sync-hub' ), array( 'status' => 400, 'fields' => $errors ) );
		}
		return $items;
	}

	/**
	 * Relay the worker's stock-change events (Server-Sent Events) for a few seconds, then end;
	 * the browser's EventSource reconnects with Last-Event-ID.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_Error Only when the stream could not start; otherwise the request ends here.
	 */
	public function stream( $request ) {
		if ( headers_sent() ) {
			return new WP_Error( 'synchub_stream_unavailable', __( 'The live feed cannot start: output was already sent.', 'sync-hub' ), array( 'status' => 500 ) );
		}
		$last = (string) $request->get_header( 'last_event_id' );
		if ( '' === $last && null !== $request->get_param( 'since' ) ) {
			$last = (string) absint( $request->get_param( 'since' ) );
		}
		status_header( 200 );
		header( 'Content-Type: text/event-stream; charset=utf-8' );
		header( 'Cache-Control: no-cache, no-transform' );
		header( 'X-Accel-Buffering: no' );
		while ( ob_get_level() > 0 ) {
			ob_end_flush();
		}
		$emit   = static function ( string $chunk ): void {
			echo $chunk; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- a text/event-stream relayed verbatim from the worker, not HTML.
			flush();
		};
		$result = StockStream::relay( Settings::worker_url() . StockStream::WORKER_PATH, Settings::get( 'admin_token' ), $last, $emit );
		if ( is_wp_error( $result ) ) {
			$emit( "event: unavailable\ndata: " . wp_json_encode( array( 'message' => $result->get_error_message() ) ) . "\n\n" );
		}
		exit;
	}

	/**
	 * The Stock screen's settings.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public function get_settings( $request ) {
		return new WP_REST_Response( StockSettings::all(), 200 );
	}

	/**
	 * Save the Stock screen's settings (args validated by the route).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public function update_settings( $request ) {
		StockSettings::update( array( 'manage_unmanaged' => (bool) $request->get_param( 'manage_unmanaged' ) ) );
		return new WP_REST_Response( StockSettings::all(), 200 );
	}

	/**
	 * A 400 WP_Error.
	 *
	 * @param string $code    Error code.
	 * @param string $message Translated message.
	 */
	private static function invalid( string $code, string $message ): WP_Error {
		return new WP_Error( $code, $message, array( 'status' => 400 ) );
	}
}
