<?php
/**
 * Every endpoint of the plugin's REST namespace, read from the live REST server, with what it
 * needs: the hostile-input suite walks this list, so a new route is covered without editing it.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests;

use SyncHub\Products\ResendController;
use SyncHub\Rest\Controller;
use SyncHub\Stock\StockController;

/**
 * Endpoint = one route and one method: `route` (pattern), `path` (a concrete path), `method`,
 * `auth` (a capability, or `signature`, or `unknown`), `args` (the endpoint's arguments).
 */
final class RouteCatalog {

	public const NAMESPACE_PREFIX = '/' . Controller::ROUTE_NAMESPACE;

	/**
	 * Settings that say where secrets go, or are secrets: only administrators may send them.
	 */
	public const CONNECTION_ARGS = array( 'worker_url', 'admin_token', 'webhook_secret', 'endpoint_url', 'token', 'signing_key', 'regenerate_signing_key' );

	/**
	 * Every endpoint of the namespace (its index route, WordPress' own, aside).
	 *
	 * @return array<string, array{route: string, path: string, method: string, auth: string, args: array<string, array<string, mixed>>}>
	 */
	public static function endpoints(): array {
		$endpoints = array();
		foreach ( rest_get_server()->get_routes() as $route => $handlers ) {
			if ( 0 !== strpos( $route, self::NAMESPACE_PREFIX . '/' ) ) {
				continue;
			}
			foreach ( $handlers as $handler ) {
				$args = isset( $handler['args'] ) && is_array( $handler['args'] ) ? $handler['args'] : array();
				foreach ( array_keys( $handler['methods'] ) as $method ) {
					$endpoints[ $method . ' ' . $route ] = array(
						'route'  => $route,
						'path'   => self::path( $route, $args ),
						'method' => (string) $method,
						'auth'   => self::auth( $handler ),
						'args'   => $args,
					);
				}
			}
		}
		ksort( $endpoints );
		return $endpoints;
	}

	/**
	 * Argument names that appear in the route pattern (sent in the URL).
	 *
	 * @param string $route Route pattern.
	 * @return string[]
	 */
	public static function url_args( string $route ): array {
		preg_match_all( '#\(\?P<(\w+)>#', $route, $matches );
		return $matches[1];
	}

	/**
	 * The route with each URL argument replaced by $values[name] or a sample that matches it.
	 *
	 * @param string                $route  Route pattern.
	 * @param array<string, mixed>  $args   Endpoint arguments.
	 * @param array<string, string> $values Values to put in.
	 */
	public static function path( string $route, array $args, array $values = array() ): string {
		return (string) preg_replace_callback(
			'#\(\?P<(\w+)>([^)]+)\)#',
			static function ( array $group ) use ( $values ): string {
				if ( isset( $values[ $group[1] ] ) ) {
					return $values[ $group[1] ];
				}
				foreach ( array( 'health', '1' ) as $sample ) {
					if ( 1 === preg_match( '#^(?:' . $group[2] . ')$#', $sample ) ) {
						return $sample;
					}
				}
				return 'x';
			},
			$route
		);
	}

	/**
	 * Values that pass validation for the required arguments (nothing else is sent).
	 *
	 * @param array<string, array<string, mixed>> $args Endpoint arguments.
	 * @param string                              $route Route pattern (URL arguments are left out).
	 * @return array<string, mixed>
	 */
	public static function required_sample( array $args, string $route ): array {
		$sample = array();
		foreach ( $args as $name => $arg ) {
			if ( ! empty( $arg['required'] ) && ! in_array( $name, self::url_args( $route ), true ) ) {
				$sample[ $name ] = self::valid_value( $arg );
			}
		}
		return $sample;
	}

	/**
	 * A value of the argument's type that its schema accepts.
	 *
	 * @param array<string, mixed> $arg Argument.
	 * @return mixed
	 */
	public static function valid_value( array $arg ) {
		if ( isset( $arg['enum'] ) && is_array( $arg['enum'] ) ) {
			return reset( $arg['enum'] );
		}
		switch ( $arg['type'] ?? 'string' ) {
			case 'boolean':
				return true;
			case 'integer':
			case 'number':
				return isset( $arg['minimum'] ) ? max( 1, (int) $arg['minimum'] ) : 1;
			default:
				return 'https://attacker.example/' . str_repeat( 'x', 16 );
		}
	}

	/**
	 * A value of another type than the argument's, or null when every type is accepted.
	 *
	 * @param array<string, mixed> $arg Argument.
	 * @return mixed
	 */
	public static function wrong_type_value( array $arg ) {
		switch ( $arg['type'] ?? '' ) {
			case 'boolean':
				return 'maybe';
			case 'integer':
				return '12abc';
			case 'number':
				return 'twelve';
			case 'string':
				return array( 'not', 'a', 'string' );
			default:
				return null;
		}
	}

	/**
	 * A value of the argument's type but far too large, or null when the type has no size.
	 *
	 * @param array<string, mixed> $arg Argument.
	 * @return mixed
	 */
	public static function oversized_value( array $arg ) {
		switch ( $arg['type'] ?? '' ) {
			case 'integer':
			case 'number':
				return '1' . str_repeat( '0', 30 );
			case 'string':
				return isset( $arg['enum'] ) ? str_repeat( 'x', 100 ) : 'api/v1/' . str_repeat( 'a', 100000 );
			default:
				return null;
		}
	}

	/**
	 * An array nested $depth levels deep.
	 *
	 * @param int $depth Levels.
	 * @return array<mixed>
	 */
	public static function nested( int $depth ): array {
		$value = array( 'leaf' );
		for ( $i = 1; $i < $depth; $i++ ) {
			$value = array( 'a' => $value );
		}
		return $value;
	}

	/**
	 * The capability an endpoint needs, `signature` for the worker's signed routes, else `unknown`.
	 *
	 * @param array<string, mixed> $handler Endpoint as the REST server holds it.
	 */
	private static function auth( array $handler ): string {
		$permission = $handler['permission_callback'] ?? null;
		if ( is_array( $permission ) && $permission[0] instanceof Controller && 'check_permission' === $permission[1] ) {
			return isset( $handler[ Controller::CAPABILITY_KEY ] ) ? (string) $handler[ Controller::CAPABILITY_KEY ] : 'unknown';
		}
		if ( is_array( $permission ) && ( $permission[0] instanceof StockController || $permission[0] instanceof ResendController ) && 'check_signature' === $permission[1] ) {
			return 'signature';
		}
		return 'unknown';
	}
}
