<?php
/**
 * The `synchub_products` option: where product events go and with which token.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Products;

defined( 'ABSPATH' ) || exit;

use SyncHub\Settings\Settings;
use WP_Error;

/**
 * Endpoint URL (default: the co-located worker's ingestion route), integration token
 * (write-only towards the browser) and the debounce window.
 */
final class ProductSettings {

	public const OPTION = 'synchub_products';

	public const INGEST_PATH = '/api/integrations/woocommerce/webhook/';

	public const HEALTH_PATH = '/api/integrations/woocommerce/health/';

	public const DEFAULT_DEBOUNCE = 30;

	/**
	 * Stored values with defaults filled in.
	 *
	 * @return array{endpoint_url: string, token: string, debounce: int}
	 */
	public static function all(): array {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		return array(
			'endpoint_url' => isset( $stored['endpoint_url'] ) && is_string( $stored['endpoint_url'] ) ? $stored['endpoint_url'] : '',
			'token'        => isset( $stored['token'] ) && is_string( $stored['token'] ) ? $stored['token'] : '',
			'debounce'     => isset( $stored['debounce'] ) ? (int) $stored['debounce'] : self::DEFAULT_DEBOUNCE,
		);
	}

	/**
	 * The ingestion URL: the saved one, else the worker's own route.
	 */
	public static function endpoint_url(): string {
		$url = self::all()['endpoint_url'];
		return '' !== $url ? $url : Settings::worker_url() . self::INGEST_PATH;
	}

	/**
	 * The health route next to the ingestion route (`…/webhook/` → `…/health/`).
	 */
	public static function health_url(): string {
		$url = self::endpoint_url();
		$replaced = preg_replace( '#/webhook/?$#', '/health/', $url );
		return is_string( $replaced ) && $replaced !== $url ? $replaced : untrailingslashit( $url ) . '/health/';
	}

	public static function token(): string {
		return self::all()['token'];
	}

	public static function debounce(): int {
		return max( 0, min( HOUR_IN_SECONDS, self::all()['debounce'] ) );
	}

	/**
	 * What the browser may see.
	 *
	 * @return array<string, mixed>
	 */
	public static function public_view(): array {
		$all = self::all();
		return array(
			'endpoint_url'         => $all['endpoint_url'],
			'effective_url'        => self::endpoint_url(),
			'default_endpoint_url' => Settings::worker_url() . self::INGEST_PATH,
			'has_token'            => '' !== $all['token'],
			'debounce'             => self::debounce(),
		);
	}

	/**
	 * Validate all submitted keys, then save them together (nothing is saved when one is invalid).
	 *
	 * @param array<string, mixed> $input endpoint_url ('' = default), token ('' or absent = keep), debounce.
	 * @return array<string, mixed>|WP_Error
	 */
	public static function update( array $input ) {
		$changes = array();
		if ( array_key_exists( 'endpoint_url', $input ) ) {
			$url = is_string( $input['endpoint_url'] ) ? trim( $input['endpoint_url'] ) : null;
			if ( null === $url || ( '' !== $url && ! self::is_http_url( $url ) ) ) {
				return new WP_Error( 'synchub_products_invalid_url', __( 'The endpoint URL must be an http(s) URL, or empty for the Sync Hub worker.', 'sync-hub' ), array( 'status' => 400 ) );
			}
			$changes['endpoint_url'] = $url;
		}
		if ( array_key_exists( 'token', $input ) && null !== $input['token'] && '' !== $input['token'] ) {
			$token = is_string( $input['token'] ) ? trim( $input['token'] ) : '';
			if ( 1 !== preg_match( '/^[\x21-\x7E]{16,512}$/', $token ) ) {
				return new WP_Error( 'synchub_products_invalid_token', __( 'The integration token must be 16 to 512 printable characters without spaces.', 'sync-hub' ), array( 'status' => 400 ) );
			}
			$changes['token'] = $token;
		}
		if ( array_key_exists( 'debounce', $input ) ) {
			$debounce = $input['debounce'];
			if ( ! is_int( $debounce ) || $debounce < 0 || $debounce > HOUR_IN_SECONDS ) {
				return new WP_Error( 'synchub_products_invalid_debounce', __( 'The debounce must be a whole number of seconds between 0 and 3600.', 'sync-hub' ), array( 'status' => 400 ) );
			}
			$changes['debounce'] = $debounce;
		}
		if ( array() !== $changes ) {
			update_option( self::OPTION, array_merge( self::all(), $changes ), false );
		}
		return self::public_view();
	}

	/**
	 * An absolute http(s) URL with a host.
	 *
	 * @param string $url Candidate.
	 */
	private static function is_http_url( string $url ): bool {
		if ( strlen( $url ) > 2048 ) {
			return false;
		}
		$scheme = wp_parse_url( $url, PHP_URL_SCHEME );
		return in_array( $scheme, array( 'http', 'https' ), true ) && (bool) wp_parse_url( $url, PHP_URL_HOST ) && esc_url_raw( $url, array( 'http', 'https' ) ) === $url;
	}
}
