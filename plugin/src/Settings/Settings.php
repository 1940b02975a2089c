<?php
/**
 * The `synchub_settings` option: connection to the worker and shared secrets.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Settings;

defined( 'ABSPATH' ) || exit;

use WP_Error;

/**
 * Reads, validates and writes the plugin settings.
 *
 * Secrets (admin token, webhook secret) are write-only towards the browser: the public view
 * only says whether they are set. They are only ever used with the worker URL they were saved
 * with: changing the URL needs them again. The option is not autoloaded, so the secrets are not
 * read into memory on every page load.
 */
final class Settings {

	public const OPTION = 'synchub_settings';

	public const DEFAULT_WORKER_URL = 'http://127.0.0.1:8787';

	public const SECRET_KEYS = array( 'admin_token', 'webhook_secret' );

	public const MIN_SECRET_LENGTH = 16;

	/**
	 * The worker refuses to start with a shorter WEBHOOK_SECRET; generate_secret() makes 64.
	 */
	public const MIN_WEBHOOK_SECRET_LENGTH = 32;

	public const MAX_SECRET_LENGTH = 512;

	/**
	 * Default values; later domains add their own keys next to these.
	 *
	 * @return array<string, mixed>
	 */
	public static function defaults(): array {
		return array(
			'worker_url'     => self::DEFAULT_WORKER_URL,
			'admin_token'    => '',
			'webhook_secret' => '',
		);
	}

	/**
	 * All settings, defaults filled in.
	 *
	 * @return array<string, mixed>
	 */
	public static function all(): array {
		$stored = get_option( self::OPTION, array() );
		if ( ! is_array( $stored ) ) {
			$stored = array();
		}
		return array_merge( self::defaults(), $stored );
	}

	/**
	 * One setting as a string.
	 *
	 * @param string $key Setting name.
	 */
	public static function get( string $key ): string {
		$all = self::all();
		return isset( $all[ $key ] ) && is_scalar( $all[ $key ] ) ? (string) $all[ $key ] : '';
	}

	/**
	 * Worker base URL without a trailing slash.
	 */
	public static function worker_url(): string {
		return untrailingslashit( self::get( 'worker_url' ) );
	}

	/**
	 * What the browser may see: no secret values, only whether they are set.
	 *
	 * @return array<string, mixed>
	 */
	public static function public_view(): array {
		$all = self::all();
		return array(
			'worker_url'         => (string) $all['worker_url'],
			'has_admin_token'    => '' !== (string) $all['admin_token'],
			'has_webhook_secret' => '' !== (string) $all['webhook_secret'],
		);
	}

	/**
	 * Validate a partial update and save it. Keys left out (or secrets sent empty) keep their value,
	 * unless the worker URL changes: then every saved secret must be sent again.
	 *
	 * @param array<string, mixed> $input Submitted values.
	 * @return array<string, mixed>|WP_Error The public view, or why nothing was saved.
	 */
	public static function update( array $input ) {
		$current = self::all();
		$changes = array();

		if ( array_key_exists( 'worker_url', $input ) ) {
			$url = self::validate_worker_url( $input['worker_url'] );
			if ( is_wp_error( $url ) ) {
				return $url;
			}
			$changes['worker_url'] = $url;
		}

		foreach ( self::SECRET_KEYS as $key ) {
			if ( ! array_key_exists( $key, $input ) || null === $input[ $key ] || '' === $input[ $key ] ) {
				continue;
			}
			$secret = self::validate_secret( $key, $input[ $key ] );
			if ( is_wp_error( $secret ) ) {
				return $secret;
			}
			$changes[ $key ] = $secret;
		}

		if ( isset( $changes['worker_url'] ) && $changes['worker_url'] !== untrailingslashit( (string) $current['worker_url'] ) ) {
			$missing = self::secrets_to_reenter( $current, $changes );
			if ( array() !== $missing ) {
				return self::secrets_required_error( $missing );
			}
		}

		if ( array() !== $changes ) {
			$stored = get_option( self::OPTION, array() );
			$stored = is_array( $stored ) ? $stored : array();
			update_option( self::OPTION, array_merge( self::defaults(), $stored, $changes ), false );
		}

		return self::public_view();
	}

	/**
	 * Saved secrets a URL change leaves without a new value.
	 *
	 * @param array<string, mixed> $current Stored settings.
	 * @param array<string, mixed> $changes Validated changes.
	 * @return string[]
	 */
	private static function secrets_to_reenter( array $current, array $changes ): array {
		$missing = array();
		foreach ( self::SECRET_KEYS as $key ) {
			if ( '' !== (string) $current[ $key ] && ! isset( $changes[ $key ] ) ) {
				$missing[] = $key;
			}
		}
		return $missing;
	}

	/**
	 * 400 naming the secrets that must be entered again.
	 *
	 * @param string[] $missing Setting names.
	 */
	private static function secrets_required_error( array $missing ): WP_Error {
		$fields = array();
		foreach ( $missing as $key ) {
			$fields[ $key ] = __( 'Enter it again: the worker URL changed.', 'sync-hub' );
		}
		return new WP_Error(
			'synchub_secret_required',
			sprintf(
				/* translators: %s: setting names such as "admin_token, webhook_secret". */
				__( 'The worker URL changed, and saved secrets are never sent to a new address: enter %s again.', 'sync-hub' ),
				implode( ', ', $missing )
			),
			array(
				'status' => 400,
				'fields' => $fields,
			)
		);
	}

	/**
	 * Make sure the option exists and holds a webhook secret (called on install).
	 */
	public static function ensure_defaults(): void {
		$stored = get_option( self::OPTION, null );
		$stored = is_array( $stored ) ? $stored : array();
		$merged = array_merge( self::defaults(), $stored );
		if ( '' === (string) $merged['webhook_secret'] ) {
			$merged['webhook_secret'] = self::generate_secret();
		}
		if ( $merged !== $stored ) {
			update_option( self::OPTION, $merged, false );
		}
	}

	/**
	 * A random secret from WordPress' CSPRNG-backed generator.
	 */
	public static function generate_secret(): string {
		return wp_generate_password( 64, false, false );
	}

	/**
	 * An http(s) URL with a host, no credentials, no query or fragment.
	 *
	 * @param mixed $value Submitted URL.
	 * @return string|WP_Error
	 */
	public static function validate_worker_url( $value ) {
		$error = new WP_Error(
			'synchub_invalid_worker_url',
			__( 'The worker URL must be an http:// or https:// address such as http://127.0.0.1:8787.', 'sync-hub' ),
			array( 'status' => 400 )
		);
		if ( ! is_string( $value ) || strlen( $value ) > 2048 ) {
			return $error;
		}
		$url   = trim( $value );
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) || empty( $parts['scheme'] ) ) {
			return $error;
		}
		if ( ! in_array( strtolower( $parts['scheme'] ), array( 'http', 'https' ), true ) ) {
			return $error;
		}
		if ( isset( $parts['user'] ) || isset( $parts['pass'] ) || isset( $parts['query'] ) || isset( $parts['fragment'] ) ) {
			return $error;
		}
		if ( esc_url_raw( $url, array( 'http', 'https' ) ) !== $url ) {
			return $error;
		}
		return untrailingslashit( $url );
	}

	/**
	 * A printable secret without whitespace, of sensible length.
	 *
	 * @param string $key   Setting name (for the message).
	 * @param mixed  $value Submitted secret.
	 * @return string|WP_Error
	 */
	private static function validate_secret( string $key, $value ) {
		$minimum = 'webhook_secret' === $key ? self::MIN_WEBHOOK_SECRET_LENGTH : self::MIN_SECRET_LENGTH;
		$valid   = is_string( $value )
			&& strlen( $value ) >= $minimum
			&& strlen( $value ) <= self::MAX_SECRET_LENGTH
			&& 1 === preg_match( '/^[\x21-\x7E]+$/', $value );
		if ( $valid ) {
			return $value;
		}
		return new WP_Error(
			'synchub_invalid_secret',
			sprintf(
				/* translators: 1: setting name such as admin_token, 2: minimum length, 3: maximum length. */
				__( '%1$s must be %2$d to %3$d printable characters without spaces.', 'sync-hub' ),
				$key,
				$minimum,
				self::MAX_SECRET_LENGTH
			),
			array( 'status' => 400 )
		);
	}
}
