<?php
/**
 * Every HTTP call the plugin makes: WordPress' safe requests, plus exactly the configured worker.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Http;

defined( 'ABSPATH' ) || exit;

use SyncHub\Settings\Settings;

/**
 * `wp_safe_remote_request()` refuses loopback and private addresses and ports other than
 * 80, 443 and 8080 — where the worker normally runs (127.0.0.1:8787). So for the length of one
 * call the plugin admits the configured worker's origin (scheme, host and port, compared
 * exactly) through WordPress' own `http_request_host_is_external` and
 * `http_allowed_safe_ports` filters, and nothing else: a products endpoint or an outbox
 * destination pointing at another local service is refused, and so is a redirect.
 *
 * Hosts are checked when the request starts (WordPress resolves them once); a name that
 * resolves differently later is not pinned.
 */
final class Outbound {

	/**
	 * `wp_safe_remote_request()` with the configured worker admitted.
	 *
	 * @param string               $url  URL.
	 * @param array<string, mixed> $args wp_remote_request() arguments.
	 * @return array<string, mixed>|\WP_Error
	 */
	public static function request( string $url, array $args ) {
		return self::with_worker_admitted(
			static function () use ( $url, $args ) {
				return wp_safe_remote_request( $url, $args );
			}
		);
	}

	/**
	 * Whether request() would send to $url (for transports outside WordPress' HTTP API).
	 *
	 * @param string $url URL.
	 */
	public static function is_allowed( string $url ): bool {
		return self::with_worker_admitted(
			static function () use ( $url ): bool {
				return false !== wp_http_validate_url( $url );
			}
		);
	}

	/**
	 * `scheme://host:port` with the default port filled in, lower case; null for a non-URL.
	 *
	 * @param string $url URL.
	 */
	public static function origin( string $url ): ?string {
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
			return null;
		}
		$scheme = strtolower( (string) $parts['scheme'] );
		$port   = isset( $parts['port'] ) ? (int) $parts['port'] : ( 'https' === $scheme ? 443 : 80 );
		return $scheme . '://' . strtolower( trim( (string) $parts['host'], '.' ) ) . ':' . $port;
	}

	/**
	 * Run $call with the worker's origin admitted, and only for that call.
	 *
	 * @param callable $call The request.
	 * @return mixed What $call returns.
	 */
	private static function with_worker_admitted( callable $call ) {
		$worker    = self::origin( Settings::worker_url() );
		$is_worker = static function ( $url ) use ( $worker ): bool {
			return null !== $worker && is_string( $url ) && self::origin( $url ) === $worker;
		};
		$host      = static function ( $external, $host, $url = '' ) use ( $is_worker ) {
			return $is_worker( $url ) ? true : $external;
		};
		$ports     = static function ( $allowed, $host, $url = '' ) use ( $is_worker ) {
			if ( $is_worker( $url ) ) {
				$allowed   = is_array( $allowed ) ? $allowed : array();
				$allowed[] = (int) wp_parse_url( (string) $url, PHP_URL_PORT );
			}
			return $allowed;
		};
		add_filter( 'http_request_host_is_external', $host, 10, 3 );
		add_filter( 'http_allowed_safe_ports', $ports, 10, 3 );
		try {
			return $call();
		} finally {
			remove_filter( 'http_request_host_is_external', $host, 10 );
			remove_filter( 'http_allowed_safe_ports', $ports, 10 );
		}
	}
}
