<?php
/**
 * REST routes for the connection settings.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Rest;

defined( 'ABSPATH' ) || exit;

use SyncHub\Settings\Settings;
use SyncHub\Worker\Client;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * `GET|POST /settings` and `POST /settings/test`. Secrets are accepted, never returned.
 */
final class SettingsController extends Controller {

	/**
	 * Route base.
	 *
	 * @var string
	 */
	protected $rest_base = 'settings';

	/**
	 * Register the routes.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				$this->endpoint( WP_REST_Server::READABLE, 'get_settings' ),
				$this->endpoint(
					WP_REST_Server::CREATABLE,
					'update_settings',
					array(
						'worker_url'     => array(
							'description'       => __( 'Base URL of the Sync Hub worker.', 'sync-hub' ),
							'type'              => 'string',
							'validate_callback' => array( $this, 'validate_worker_url' ),
						),
						'admin_token'    => array(
							'description' => __( 'Bearer token of the worker admin API (write-only).', 'sync-hub' ),
							'type'        => 'string',
							'maxLength'   => Settings::MAX_SECRET_LENGTH,
						),
						'webhook_secret' => array(
							'description' => __( 'HMAC secret shared with the worker (write-only).', 'sync-hub' ),
							'type'        => 'string',
							'maxLength'   => Settings::MAX_SECRET_LENGTH,
						),
					),
					self::CONNECTION_CAPABILITY
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);

		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/test',
			array(
				$this->endpoint( WP_REST_Server::CREATABLE, 'test_connection' ),
			)
		);
	}

	/**
	 * The settings without secret values, and whether this user may change them.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function get_settings( WP_REST_Request $request ): WP_REST_Response {
		return new WP_REST_Response( self::view(), 200 );
	}

	/**
	 * Save the submitted keys; nothing is saved when any of them is invalid.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_settings( WP_REST_Request $request ) {
		$input = array();
		foreach ( array( 'worker_url', 'admin_token', 'webhook_secret' ) as $key ) {
			if ( null !== $request->get_param( $key ) ) {
				$input[ $key ] = $request->get_param( $key );
			}
		}
		$saved = Settings::update( $input );
		if ( is_wp_error( $saved ) ) {
			return $saved;
		}
		return new WP_REST_Response( self::view(), 200 );
	}

	/**
	 * Settings::public_view() plus `can_edit`: the page hides the form from shop managers.
	 *
	 * @return array<string, mixed>
	 */
	private static function view(): array {
		return Settings::public_view() + array( 'can_edit' => self::can_edit_connection() );
	}

	/**
	 * Call the worker's /health with the stored token.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function test_connection( WP_REST_Request $request ): WP_REST_Response {
		$result = ( new Client() )->request( 'GET', 'health' );
		if ( is_wp_error( $result ) ) {
			return new WP_REST_Response(
				array(
					'ok'    => false,
					'error' => $result->get_error_message(),
				),
				200
			);
		}
		if ( $result['status'] < 200 || $result['status'] >= 300 || ! is_array( $result['body'] ) ) {
			return new WP_REST_Response(
				array(
					'ok'    => false,
					/* translators: %d: HTTP status code. */
					'error' => sprintf( __( 'The worker health check answered HTTP %d.', 'sync-hub' ), $result['status'] ),
				),
				200
			);
		}
		return new WP_REST_Response(
			array(
				'ok'     => true,
				'health' => $result['body'],
			),
			200
		);
	}

	/**
	 * Args validator for worker_url.
	 *
	 * @param mixed $value Submitted value.
	 * @return true|WP_Error
	 */
	public function validate_worker_url( $value ) {
		$url = Settings::validate_worker_url( $value );
		return is_wp_error( $url ) ? $url : true;
	}

	/**
	 * Schema of the settings resource.
	 *
	 * @return array<string, mixed>
	 */
	public function get_item_schema() {
		return array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'synchub-settings',
			'type'       => 'object',
			'properties' => array(
				'worker_url'         => array(
					'type'   => 'string',
					'format' => 'uri',
				),
				'has_admin_token'    => array(
					'type'     => 'boolean',
					'readonly' => true,
				),
				'has_webhook_secret' => array(
					'type'     => 'boolean',
					'readonly' => true,
				),
				'can_edit'           => array(
					'description' => __( 'Whether the current user may change the connection settings.', 'sync-hub' ),
					'type'        => 'boolean',
					'readonly'    => true,
				),
			),
		);
	}
}
