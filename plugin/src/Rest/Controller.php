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
use WP_REST_Controller;
use WP_REST_Request;

/**
 * Owns the namespace and the permission check; subclasses declare routes with validated args.
 */
abstract class Controller extends WP_REST_Controller {

	public const ROUTE_NAMESPACE = 'sync-hub/v1';

	public const CAPABILITY = 'manage_woocommerce';

	/**
	 * Route namespace.
	 *
	 * @var string
	 */
	protected $namespace = self::ROUTE_NAMESPACE;

	/**
	 * One endpoint of a route, open to users who may manage Sync Hub (see check_permission).
	 *
	 * @param string|string[]      $methods  Methods, e.g. WP_REST_Server::READABLE.
	 * @param string               $callback Name of this controller's handler method.
	 * @param array<string, mixed> $args     Request arguments WordPress validates first.
	 * @return array<string, mixed>
	 */
	protected function endpoint( $methods, string $callback, array $args = array() ): array {
		$endpoint = array(
			'methods'             => $methods,
			'callback'            => array( $this, $callback ),
			'permission_callback' => array( $this, 'check_permission' ),
		);
		if ( array() !== $args ) {
			$endpoint['args'] = $args;
		}
		return $endpoint;
	}

	/**
	 * Only users who manage WooCommerce may use the admin routes.
	 *
	 * Cookie-authenticated requests also need the `wp_rest` nonce: without it WordPress
	 * treats the request as logged out before this check runs.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public function check_permission( $request ) {
		if ( current_user_can( self::CAPABILITY ) ) {
			return true;
		}
		return new WP_Error(
			'synchub_rest_forbidden',
			__( 'Sorry, you are not allowed to manage Sync Hub.', 'sync-hub' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}
}
