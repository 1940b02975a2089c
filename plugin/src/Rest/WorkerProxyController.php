<?php
/**
 * REST proxy from the admin page to the worker's admin API.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Rest;

defined( 'ABSPATH' ) || exit;

use SyncHub\Worker\Client;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

/**
 * `GET|POST|PUT|PATCH|DELETE /worker/{path}`: forwards allow-listed paths with the admin token,
 * so the token never reaches the browser.
 */
final class WorkerProxyController extends Controller {

	/**
	 * Paths forwarded as they are.
	 */
	public const ALLOWED_PATHS = array( 'health', 'sync/manual' );

	/**
	 * Path prefixes forwarded with anything below them.
	 */
	public const ALLOWED_PREFIXES = array( 'api/v1/', 'api/webhooks/' );

	public const MAX_PATH_LENGTH = 2048;

	/**
	 * Worker writes that change where its secrets go or mint credentials: administrators only
	 * (`manage_options`), like the plugin's own connection settings. Method => path patterns. The
	 * worker routes case-sensitively and strictly, so another spelling of these paths reaches no route.
	 */
	private const ADMINISTRATOR_WRITES = array(
		'PUT'    => array( '#^api/v1/(bookings|stock)/settings/?$#', '#^api/v1/sync-woocommerce/store-connection/?$#' ),
		'PATCH'  => array( '#^api/v1/(bookings|stock)/settings/?$#', '#^api/v1/sync-woocommerce/store-connection/?$#' ),
		'POST'   => array( '#^api/webhooks/setup/?$#', '#^api/v1/integrations/tokens/#' ),
		'DELETE' => array( '#^api/v1/integrations/tokens/#', '#^api/v1/sync-woocommerce/store-connection/?$#' ),
	);

	/**
	 * Query parameters that belong to WordPress, not to the worker.
	 */
	private const RESERVED_QUERY = array( 'rest_route', '_wpnonce', '_locale', '_method', '_envelope', '_jsonp', '_fields', '_embed' );

	/**
	 * Route base.
	 *
	 * @var string
	 */
	protected $rest_base = 'worker';

	/**
	 * Register the route.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/(?P<path>.+)',
			array(
				$this->endpoint(
					array( 'GET', 'POST', 'PUT', 'PATCH', 'DELETE' ),
					'forward',
					array(
						'path' => array(
							'description'       => __( 'Worker API path, such as api/v1/events/.', 'sync-hub' ),
							'type'              => 'string',
							'validate_callback' => array( $this, 'validate_path' ),
						),
					)
				),
			)
		);
	}

	/**
	 * Whether a path may be forwarded.
	 *
	 * @param string $path Path without leading slash.
	 */
	public static function is_allowed( string $path ): bool {
		if ( strlen( $path ) > self::MAX_PATH_LENGTH || 1 !== preg_match( '#^[A-Za-z0-9_.:\-/]+$#', $path ) ) {
			return false;
		}
		if ( false !== strpos( $path, '..' ) || false !== strpos( $path, '//' ) || 0 === strpos( $path, '/' ) ) {
			return false;
		}
		if ( in_array( rtrim( $path, '/' ), self::ALLOWED_PATHS, true ) ) {
			return true;
		}
		foreach ( self::ALLOWED_PREFIXES as $prefix ) {
			if ( 0 === strpos( $path, $prefix ) && strlen( $path ) > strlen( $prefix ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Args validator for `path`.
	 *
	 * @param mixed $value Path.
	 * @return true|WP_Error
	 */
	public function validate_path( $value ) {
		return is_string( $value ) && self::is_allowed( $value ) ? true : self::not_allowed_error();
	}

	/**
	 * Forward the request and answer with the worker's status code and JSON.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function forward( WP_REST_Request $request ) {
		// The path comes from the URL only: a JSON body field named "path" must not replace it.
		$url_params = $request->get_url_params();
		$path       = isset( $url_params['path'] ) ? (string) $url_params['path'] : '';
		if ( ! self::is_allowed( $path ) ) {
			return self::not_allowed_error();
		}

		if ( self::needs_administrator( $request->get_method(), $path ) && ! current_user_can( 'manage_options' ) ) {
			return new WP_Error(
				'synchub_proxy_administrators_only',
				__( 'Only administrators can change connection settings or integration tokens.', 'sync-hub' ),
				array( 'status' => 403 )
			);
		}

		$query = array_diff_key( $request->get_query_params(), array_flip( self::RESERVED_QUERY ) );

		$body = null;
		if ( in_array( $request->get_method(), array( 'POST', 'PUT', 'PATCH', 'DELETE' ), true ) ) {
			$json = $request->get_json_params();
			if ( ! is_array( $json ) && '' !== trim( (string) $request->get_body() ) ) {
				return new WP_Error(
					'synchub_proxy_invalid_body',
					__( 'The request body must be a JSON object or array.', 'sync-hub' ),
					array( 'status' => 400 )
				);
			}
			$body = is_array( $json ) ? $json : ( 'DELETE' === $request->get_method() ? null : array() );
		}

		$result = ( new Client() )->request( $request->get_method(), $path, $query, $body );
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		return new WP_REST_Response( $result['body'], $result['status'] );
	}

	/**
	 * Whether forwarding this write needs `manage_options`.
	 *
	 * @param string $method HTTP method.
	 * @param string $path   Worker path without leading slash.
	 */
	public static function needs_administrator( string $method, string $path ): bool {
		foreach ( self::ADMINISTRATOR_WRITES[ strtoupper( $method ) ] ?? array() as $pattern ) {
			if ( 1 === preg_match( $pattern, $path ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Error for a path outside the allow-list.
	 */
	private static function not_allowed_error(): WP_Error {
		return new WP_Error(
			'synchub_proxy_path_not_allowed',
			__( 'This worker path cannot be reached through the Sync Hub proxy.', 'sync-hub' ),
			array( 'status' => 400 )
		);
	}
}
