<?php
/**
 * REST routes of the Products screen: feed settings, connection test, backfill.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Products;

defined( 'ABSPATH' ) || exit;

use SyncHub\Http\Outbound;
use SyncHub\Plugin;
use SyncHub\Rest\Controller;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * `GET|POST /products/settings`, `POST /products/settings/test`, `GET|POST /products/backfill`.
 */
final class ProductsController extends Controller {

	/**
	 * Route base.
	 *
	 * @var string
	 */
	protected $rest_base = 'products';

	/**
	 * Register the routes.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/settings',
			array(
				$this->endpoint( WP_REST_Server::READABLE, 'get_settings' ),
				$this->endpoint(
					WP_REST_Server::CREATABLE,
					'update_settings',
					array(
						'endpoint_url'           => array(
							'description'        => __( 'Ingestion endpoint URL; empty for the Sync Hub worker.', 'sync-hub' ),
							'type'               => 'string',
							'maxLength'          => ProductSettings::MAX_URL_LENGTH,
							self::CAPABILITY_KEY => self::CONNECTION_CAPABILITY,
						),
						'token'                  => array(
							'description'        => __( 'Integration token (write-only).', 'sync-hub' ),
							'type'               => 'string',
							'maxLength'          => ProductSettings::MAX_SECRET_LENGTH,
							self::CAPABILITY_KEY => self::CONNECTION_CAPABILITY,
						),
						'signing_key'            => array(
							'description'        => __( 'Key that signs product deliveries.', 'sync-hub' ),
							'type'               => 'string',
							'maxLength'          => ProductSettings::MAX_SECRET_LENGTH,
							self::CAPABILITY_KEY => self::CONNECTION_CAPABILITY,
						),
						'regenerate_signing_key' => array(
							'description'        => __( 'Replace the signing key with a new random one.', 'sync-hub' ),
							'type'               => 'boolean',
							self::CAPABILITY_KEY => self::CONNECTION_CAPABILITY,
						),
						'debounce'               => array(
							'description' => __( 'Seconds to wait for further changes before sending.', 'sync-hub' ),
							'type'        => 'integer',
							'minimum'     => 0,
							'maximum'     => 3600,
						),
					)
				),
			)
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/settings/test',
			array(
				$this->endpoint( WP_REST_Server::CREATABLE, 'test_connection' ),
			)
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/backfill',
			array(
				$this->endpoint( WP_REST_Server::READABLE, 'get_backfill' ),
				$this->endpoint(
					WP_REST_Server::CREATABLE,
					'run_backfill',
					array(
						'restart' => array(
							'description' => __( 'Start again from the first product.', 'sync-hub' ),
							'type'        => 'boolean',
							'default'     => false,
						),
					)
				),
			)
		);
	}

	/**
	 * @param WP_REST_Request $request Request.
	 */
	public function get_settings( WP_REST_Request $request ): WP_REST_Response {
		return new WP_REST_Response( self::view(), 200 );
	}

	/**
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_settings( WP_REST_Request $request ) {
		$input = array();
		foreach ( array( 'endpoint_url', 'token', 'signing_key', 'regenerate_signing_key', 'debounce' ) as $key ) {
			if ( null !== $request->get_param( $key ) ) {
				$input[ $key ] = $request->get_param( $key );
			}
		}
		$saved = ProductSettings::update( $input );
		return is_wp_error( $saved ) ? $saved : new WP_REST_Response( self::view(), 200 );
	}

	/**
	 * The feed settings as this user may see them: `can_edit_connection` tells the page whether
	 * the endpoint, token and signing key are theirs to change (and the key is shown only then).
	 *
	 * @return array<string, mixed>
	 */
	private static function view(): array {
		$can_edit = self::can_edit_connection();
		return ProductSettings::public_view( $can_edit ) + array( 'can_edit_connection' => $can_edit );
	}

	/**
	 * Calls the health route with the saved token: `{ ok, health?, error? }`.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function test_connection( WP_REST_Request $request ): WP_REST_Response {
		if ( '' === ProductSettings::token() ) {
			return new WP_REST_Response( array( 'ok' => false, 'error' => __( 'Save an integration token first.', 'sync-hub' ) ), 200 );
		}
		$token = ProductSettings::usable_token();
		if ( is_wp_error( $token ) ) {
			return new WP_REST_Response( array( 'ok' => false, 'error' => $token->get_error_message() ), 200 );
		}
		$response = Outbound::request(
			ProductSettings::health_url(),
			array(
				'method'      => 'GET',
				'timeout'     => 10,
				'redirection' => 0,
				'user-agent'  => sprintf( 'SyncHub/%s (WordPress/%s)', Plugin::VERSION, get_bloginfo( 'version' ) ),
				'headers'     => array(
					'Accept'        => 'application/json',
					'Authorization' => 'Bearer ' . $token,
				),
			)
		);
		if ( is_wp_error( $response ) ) {
			/* translators: %s: the transport error message. */
			return new WP_REST_Response( array( 'ok' => false, 'error' => sprintf( __( 'The endpoint could not be reached: %s', 'sync-hub' ), $response->get_error_message() ) ), 200 );
		}
		$code = (int) wp_remote_retrieve_response_code( $response );
		$body = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( 200 !== $code || ! is_array( $body ) ) {
			$reason = is_array( $body ) && isset( $body['error']['message'] ) && is_string( $body['error']['message'] ) ? $body['error']['message'] : '';
			/* translators: 1: HTTP status code, 2: the endpoint's explanation. */
			return new WP_REST_Response( array( 'ok' => false, 'error' => trim( sprintf( __( 'The endpoint answered HTTP %1$d. %2$s', 'sync-hub' ), $code, $reason ) ) ), 200 );
		}
		ProductSettings::record_verified();
		return new WP_REST_Response( array( 'ok' => true, 'health' => $body ), 200 );
	}

	/**
	 * @param WP_REST_Request $request Request.
	 */
	public function get_backfill( WP_REST_Request $request ): WP_REST_Response {
		return new WP_REST_Response( Backfill::state(), 200 );
	}

	/**
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function run_backfill( WP_REST_Request $request ) {
		$state = Backfill::run_page( (bool) $request->get_param( 'restart' ) );
		return is_wp_error( $state ) ? $state : new WP_REST_Response( $state, 200 );
	}
}
