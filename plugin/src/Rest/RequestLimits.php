<?php
/**
 * Size and nesting limits of every request to the plugin's namespace.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Rest;

defined( 'ABSPATH' ) || exit;

use WP_Error;
use WP_REST_Request;

/**
 * Refuses oversized and deeply nested requests before WordPress matches, validates or
 * authorizes them, so no route (the worker proxy forwards bodies as they are) sees them.
 */
final class RequestLimits {

	/**
	 * The worker refuses bodies above 1 MB too.
	 */
	public const MAX_BODY_BYTES = 1048576;

	/**
	 * No route of the plugin takes data nested deeper than a few levels.
	 */
	public const MAX_DEPTH = 32;

	/**
	 * On `rest_pre_dispatch`: an error response for requests over the limits, else $result unchanged.
	 *
	 * @param mixed           $result  Response so far (null).
	 * @param mixed           $server  REST server.
	 * @param WP_REST_Request $request Request.
	 * @return mixed
	 */
	public static function on_rest_pre_dispatch( $result, $server, $request ) {
		if ( null !== $result || ! $request instanceof WP_REST_Request ) {
			return $result;
		}
		$route = (string) $request->get_route();
		if ( 0 !== strpos( $route, '/' . Controller::ROUTE_NAMESPACE . '/' ) && '/' . Controller::ROUTE_NAMESPACE !== $route ) {
			return $result;
		}
		$error = self::check( $request );
		return null !== $error ? rest_convert_error_to_response( $error ) : $result;
	}

	/**
	 * Why a request is over the limits, or null.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public static function check( WP_REST_Request $request ): ?WP_Error {
		$body = (string) $request->get_body();
		if ( strlen( $body ) > self::MAX_BODY_BYTES ) {
			return new WP_Error(
				'synchub_body_too_large',
				/* translators: %d: the largest request body in bytes. */
				sprintf( __( 'The request body is larger than %d bytes.', 'sync-hub' ), self::MAX_BODY_BYTES ),
				array( 'status' => 413 )
			);
		}
		$too_deep = false;
		if ( '' !== trim( $body ) && 1 === preg_match( '#^\s*[\[{]#', $body ) ) {
			json_decode( $body, true, self::MAX_DEPTH + 1 );
			$too_deep = JSON_ERROR_DEPTH === json_last_error();
		}
		foreach ( array( $request->get_query_params(), $request->get_body_params() ) as $params ) {
			$too_deep = $too_deep || self::depth( $params ) > self::MAX_DEPTH;
		}
		if ( $too_deep ) {
			return new WP_Error(
				'synchub_body_too_deep',
				/* translators: %d: the deepest nesting allowed. */
				sprintf( __( 'The request data is nested deeper than %d levels.', 'sync-hub' ), self::MAX_DEPTH ),
				array( 'status' => 400 )
			);
		}
		return null;
	}

	/**
	 * Nesting depth of a value (a scalar is 0, a flat array 1), counted up to MAX_DEPTH + 1.
	 *
	 * @param mixed $value Value.
	 * @param int   $level Depth of $value's parent.
	 */
	private static function depth( $value, int $level = 0 ): int {
		if ( ! is_array( $value ) || $level > self::MAX_DEPTH ) {
			return $level;
		}
		$deepest = $level + 1;
		foreach ( $value as $item ) {
			$deepest = max( $deepest, self::depth( $item, $level + 1 ) );
			if ( $deepest > self::MAX_DEPTH ) {
				break;
			}
		}
		return $deepest;
	}
}
