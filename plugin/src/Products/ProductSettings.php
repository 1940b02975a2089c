<?php
/**
 * The `synchub_products` option: where product events go, with which token, signed with which key.
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
 * (write-only towards the browser), the feed's own signing key and the debounce window.
 *
 * The token is bound to the endpoint it was saved for (`token_endpoint`): when the effective
 * endpoint changes — a new endpoint URL, or a new worker URL while the default is in use — the
 * token is not sent until it is entered again. The option is not autoloaded.
 */
final class ProductSettings {

	public const OPTION = 'synchub_products';

	public const INGEST_PATH = '/api/integrations/woocommerce/webhook/';

	/**
	 * When the endpoint last proved it works (a passed connection test or an accepted delivery),
	 * and which endpoint that was: `{ endpoint, at }`.
	 */
	public const VERIFIED_OPTION = 'synchub_products_verified';

	public const HEALTH_PATH = '/api/integrations/woocommerce/health/';

	public const DEFAULT_DEBOUNCE = 30;

	public const MAX_URL_LENGTH = 2048;

	public const MAX_SECRET_LENGTH = 512;

	private const TOKEN_PATTERN = '/^[\x21-\x7E]{16,512}$/';

	private const SIGNING_KEY_PATTERN = '/^[\x21-\x7E]{32,512}$/';

	/**
	 * Stored values with defaults filled in.
	 *
	 * @return array{endpoint_url: string, token: string, token_endpoint: string, signing_key: string, debounce: int}
	 */
	public static function all(): array {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		$string = static function ( string $key ) use ( $stored ): string {
			return isset( $stored[ $key ] ) && is_string( $stored[ $key ] ) ? $stored[ $key ] : '';
		};
		return array(
			'endpoint_url'   => $string( 'endpoint_url' ),
			'token'          => $string( 'token' ),
			'token_endpoint' => $string( 'token_endpoint' ),
			'signing_key'    => $string( 'signing_key' ),
			'debounce'       => isset( $stored['debounce'] ) ? (int) $stored['debounce'] : self::DEFAULT_DEBOUNCE,
		);
	}

	/**
	 * The ingestion URL: the saved one, else the worker's own route.
	 */
	public static function endpoint_url(): string {
		return self::effective_endpoint( self::all()['endpoint_url'] );
	}

	/**
	 * The health route next to the ingestion route (`…/webhook/` → `…/health/`).
	 */
	public static function health_url(): string {
		$url      = self::endpoint_url();
		$replaced = preg_replace( '#/webhook/?$#', '/health/', $url );
		return is_string( $replaced ) && $replaced !== $url ? $replaced : untrailingslashit( $url ) . '/health/';
	}

	/**
	 * The saved token, whatever endpoint it was saved for (see usable_token()).
	 */
	public static function token(): string {
		return self::all()['token'];
	}

	/**
	 * The token, or a WP_Error when there is none or it was saved for another endpoint.
	 *
	 * @return string|WP_Error
	 */
	public static function usable_token() {
		$all = self::all();
		if ( '' === $all['token'] ) {
			return new WP_Error( 'synchub_products_no_token', __( 'No integration token is set for the products feed. Generate one on the Products screen and save it.', 'sync-hub' ) );
		}
		if ( ! hash_equals( $all['token_endpoint'], self::endpoint_url() ) ) {
			return new WP_Error( 'synchub_products_token_unbound', __( 'The products endpoint changed since the integration token was saved, so the token is not sent there. Enter the token again on the Products screen.', 'sync-hub' ) );
		}
		return $all['token'];
	}

	/**
	 * The key that signs product deliveries (never the worker's webhook secret).
	 */
	public static function signing_key(): string {
		return self::all()['signing_key'];
	}

	public static function debounce(): int {
		return max( 0, min( HOUR_IN_SECONDS, self::all()['debounce'] ) );
	}

	/**
	 * Notes that the endpoint in force works; written at most hourly for the same endpoint, so a
	 * busy feed does not write the option on every delivery.
	 */
	public static function record_verified(): void {
		$endpoint = self::endpoint_url();
		$current  = get_option( self::VERIFIED_OPTION, array() );
		if ( is_array( $current ) && ( $current['endpoint'] ?? '' ) === $endpoint && time() - (int) ( $current['at'] ?? 0 ) < HOUR_IN_SECONDS ) {
			return;
		}
		update_option( self::VERIFIED_OPTION, array( 'endpoint' => $endpoint, 'at' => time() ), false );
	}

	/**
	 * When the endpoint in force last proved it works (ISO 8601), or null: never, another endpoint,
	 * or a token that must be entered again for it.
	 */
	public static function verified_at(): ?string {
		$all     = self::all();
		$current = get_option( self::VERIFIED_OPTION, array() );
		if ( '' === $all['token'] || ! hash_equals( $all['token_endpoint'], self::endpoint_url() ) || ! is_array( $current ) || ( $current['endpoint'] ?? '' ) !== self::endpoint_url() ) {
			return null;
		}
		return gmdate( 'c', (int) ( $current['at'] ?? 0 ) );
	}

	/**
	 * What the browser may see. The signing key is shown to those who may change it, because
	 * the receiving side has to be given it; the token never is.
	 *
	 * @param bool $with_signing_key Include the signing key's value.
	 * @return array<string, mixed>
	 */
	public static function public_view( bool $with_signing_key = false ): array {
		$all  = self::all();
		$view = array(
			'endpoint_url'         => $all['endpoint_url'],
			'effective_url'        => self::endpoint_url(),
			'default_endpoint_url' => Settings::worker_url() . self::INGEST_PATH,
			'has_token'            => '' !== $all['token'],
			'token_needs_reentry'  => '' !== $all['token'] && ! hash_equals( $all['token_endpoint'], self::endpoint_url() ),
			'has_signing_key'      => '' !== $all['signing_key'],
			'debounce'             => self::debounce(),
			'verified_at'          => self::verified_at(),
		);
		if ( $with_signing_key ) {
			$view['signing_key'] = $all['signing_key'];
		}
		return $view;
	}

	/**
	 * Validate all submitted keys, then save them together (nothing is saved when one is invalid).
	 *
	 * @param array<string, mixed> $input endpoint_url ('' = default), token ('' or absent = keep; required
	 *                                    when the endpoint changes), signing_key, regenerate_signing_key, debounce.
	 * @return array<string, mixed>|WP_Error The stored values as public_view() shows them.
	 */
	public static function update( array $input ) {
		$current = self::all();
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
			if ( 1 !== preg_match( self::TOKEN_PATTERN, $token ) ) {
				return new WP_Error( 'synchub_products_invalid_token', __( 'The integration token must be 16 to 512 printable characters without spaces.', 'sync-hub' ), array( 'status' => 400 ) );
			}
			$changes['token'] = $token;
		}
		if ( array_key_exists( 'signing_key', $input ) && null !== $input['signing_key'] && '' !== $input['signing_key'] ) {
			$key = is_string( $input['signing_key'] ) ? trim( $input['signing_key'] ) : '';
			if ( 1 !== preg_match( self::SIGNING_KEY_PATTERN, $key ) ) {
				return new WP_Error( 'synchub_products_invalid_signing_key', __( 'The signing key must be 32 to 512 printable characters without spaces.', 'sync-hub' ), array( 'status' => 400 ) );
			}
			$changes['signing_key'] = $key;
		} elseif ( ! empty( $input['regenerate_signing_key'] ) ) {
			$changes['signing_key'] = Settings::generate_secret();
		}
		if ( array_key_exists( 'debounce', $input ) ) {
			$debounce = $input['debounce'];
			if ( ! is_int( $debounce ) || $debounce < 0 || $debounce > HOUR_IN_SECONDS ) {
				return new WP_Error( 'synchub_products_invalid_debounce', __( 'The debounce must be a whole number of seconds between 0 and 3600.', 'sync-hub' ), array( 'status' => 400 ) );
			}
			$changes['debounce'] = $debounce;
		}

		$endpoint = self::effective_endpoint( array_key_exists( 'endpoint_url', $changes ) ? $changes['endpoint_url'] : $current['endpoint_url'] );
		if ( isset( $changes['token'] ) ) {
			$changes['token_endpoint'] = $endpoint;
		} elseif ( '' !== $current['token'] && $endpoint !== self::endpoint_url() ) {
			return new WP_Error(
				'synchub_secret_required',
				__( 'The endpoint changed, and the integration token is never sent to a new address: enter the token again.', 'sync-hub' ),
				array(
					'status' => 400,
					'fields' => array( 'token' => __( 'Enter it again: the endpoint changed.', 'sync-hub' ) ),
				)
			);
		}

		if ( array() !== $changes ) {
			update_option( self::OPTION, array_merge( $current, $changes ), false );
		}
		return self::public_view();
	}

	/**
	 * Give the feed a signing key if it has none (install and upgrade), and bind a token saved
	 * before tokens were bound to the endpoint in force at that moment.
	 */
	public static function ensure_defaults(): void {
		$stored = get_option( self::OPTION, null );
		$stored = is_array( $stored ) ? $stored : array();
		$all    = array_merge( $stored, self::all() );
		if ( '' === $all['signing_key'] ) {
			$all['signing_key'] = Settings::generate_secret();
		}
		if ( '' !== $all['token'] && ! array_key_exists( 'token_endpoint', $stored ) ) {
			$all['token_endpoint'] = self::endpoint_url();
		}
		if ( $all !== $stored ) {
			update_option( self::OPTION, $all, false );
		}
	}

	/**
	 * A saved endpoint URL, or the worker's ingestion route for ''.
	 *
	 * @param string $endpoint_url Saved value.
	 */
	private static function effective_endpoint( string $endpoint_url ): string {
		return '' !== $endpoint_url ? $endpoint_url : Settings::worker_url() . self::INGEST_PATH;
	}

	/**
	 * An absolute http(s) URL with a host.
	 *
	 * @param string $url Candidate.
	 */
	private static function is_http_url( string $url ): bool {
		if ( strlen( $url ) > self::MAX_URL_LENGTH ) {
			return false;
		}
		$scheme = wp_parse_url( $url, PHP_URL_SCHEME );
		return in_array( $scheme, array( 'http', 'https' ), true ) && (bool) wp_parse_url( $url, PHP_URL_HOST ) && esc_url_raw( $url, array( 'http', 'https' ) ) === $url;
	}
}
