<?php
/**
 * Base of every Sync Hub REST controller.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Rest;

defined( 'ABSPATH' ) || exit;

use WP_Error;
use WP_REST_Request;
use WP_REST_Controller;

/**
 * Owns the namespace and the permission check; subclasses declare routes with validated args.
 *
 * Day-to-day routes need `manage_woocommerce` (shop managers). Connection settings — where the
 * plugin sends its secrets — need `manage_options`: an endpoint declares that with its
 * capability, a single argument with the `synchub_capability` key (see endpoint()).
 */
abstract class Controller extends WP_REST_Controller {

	public const ROUTE_NAMESPACE = 'sync-hub/v1';

	public const CAPABILITY = 'manage_woocommerce';

	public const CONNECTION_CAPABILITY = 'manage_options';

	/**
	 * Endpoint (and argument) key naming the capability it needs.
	 */
	public const CAPABILITY_KEY = 'synchub_capability';

	/**
	 * Route namespace.
	 *
	 * @var string
	 */
	protected $namespace = self::ROUTE_NAMESPACE;

	/**
	 * One endpoint of a route, open to users holding $capability (see check_permission).
	 *
	 * An argument may carry `synchub_capability` too: sending it then also needs that capability.
	 *
	 * @param string|string[]      $methods    Methods, e.g. WP_REST_Server::READABLE.
	 * @param string               $callback   Name of this controller's handler method.
	 * @param array<string, mixed> $args       Request arguments WordPress validates first.
	 * @param string               $capability Capability the endpoint needs.
	 * @return array<string, mixed>
	 */
	protected function endpoint( $methods, string $callback, array $args = array(), string $capability = self::CAPABILITY ): array {
		$endpoint = array(
			'methods'             => $methods,
			'callback'            => array( $this, $callback ),
			'permission_callback' => array( $this, 'check_permission' ),
			self::CAPABILITY_KEY  => $capability,
		);
		if ( array() !== $args ) {
			$endpoint['args'] = $args;
		}
		return $endpoint;
	}

	/**
	 * The endpoint's capability, plus that of every capability-tagged argument the request sends.
	 *
	 * Cookie-authenticated requests also need the `wp_rest` nonce: without it WordPress
	 * treats the request as logged out before this check runs.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public function check_permission( $request ) {
		foreach ( self::required_capabilities( $request ) as $capability ) {
			if ( ! current_user_can( $capability ) ) {
				return self::forbidden( $capability );
			}
		}
		return true;
	}

	/**
	 * Whether the current user may change where the plugin sends its secrets.
	 */
	public static function can_edit_connection(): bool {
		return current_user_can( self::CONNECTION_CAPABILITY );
	}

	/**
	 * Capabilities a request needs, from the endpoint WordPress matched (its attributes).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return string[]
	 */
	private static function required_capabilities( $request ): array {
		$attributes = $request instanceof WP_REST_Request ? $request->get_attributes() : array();
		$required   = array( isset( $attributes[ self::CAPABILITY_KEY ] ) ? (string) $attributes[ self::CAPABILITY_KEY ] : self::CAPABILITY );
		$args       = isset( $attributes['args'] ) && is_array( $attributes['args'] ) ? $attributes['args'] : array();
		foreach ( $args as $name => $arg ) {
			if ( is_array( $arg ) && isset( $arg[ self::CAPABILITY_KEY ] ) && null !== $request->get_param( (string) $name ) ) {
				$required[] = (string) $arg[ self::CAPABILITY_KEY ];
			}
		}
		return array_values( array_unique( $required ) );
	}

	/**
	 * 401 for visitors, 403 for users without the capability.
	 *
	 * @param string $capability The capability that is missing.
	 */
	private static function forbidden( string $capability ): WP_Error {
		$message = self::CONNECTION_CAPABILITY === $capability
			? __( 'Sorry, only administrators may change the Sync Hub connection settings.', 'sync-hub' )
			: __( 'Sorry, you are not allowed to manage Sync Hub.', 'sync-hub' );
		return new WP_Error( 'synchub_rest_forbidden', $message, array( 'status' => rest_authorization_required_code() ) );
	}
}
