<?php
/**
 * One signed HTTP delivery of an outbox row.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Outbox;

defined( 'ABSPATH' ) || exit;

use SyncHub\Http\Outbound;
use SyncHub\Plugin;
use SyncHub\Security\Signature;
use SyncHub\Settings\Settings;
use WP_Error;

/**
 * Sends a row v2-signed (SyncHub\Security\Signature, purpose plugin-to-worker): timestamp, event
 * id and topic are inside the signature, so a captured delivery cannot come back as a new event
 * or after the window. No body-only signature goes out: it would be replayable forever.
 */
final class Delivery {

	public const TIMEOUT = 10;

	private const ERROR_EXCERPT = 300;

	/**
	 * Worker base URL.
	 *
	 * @var string
	 */
	private $worker_url;

	/**
	 * HMAC key shared with the worker.
	 *
	 * @var string
	 */
	private $secret;

	/**
	 * Build from explicit values (tests) or from the saved settings.
	 *
	 * @param string|null $worker_url Worker base URL.
	 * @param string|null $secret     Webhook secret.
	 */
	public function __construct( ?string $worker_url = null, ?string $secret = null ) {
		$this->worker_url = untrailingslashit( null !== $worker_url ? $worker_url : Settings::worker_url() );
		$this->secret     = null !== $secret ? $secret : Settings::get( 'webhook_secret' );
	}

	/**
	 * The URL and wp_remote_post() arguments for a row.
	 *
	 * @param array<string, mixed> $row Outbox row (event_id, topic, payload, destination).
	 * @param int|null             $now Unix time of signing (tests); the clock otherwise.
	 * @return array{url: string, args: array<string, mixed>}|WP_Error
	 */
	public function build_request( array $row, ?int $now = null ) {
		$secret = $this->signing_key( $row );
		if ( '' === $secret ) {
			return new WP_Error( 'synchub_no_webhook_secret', __( 'No webhook secret is set, so the event cannot be signed. Save one in the Sync Hub settings.', 'sync-hub' ) );
		}
		$destination = (string) $row['destination'];
		if ( 0 === strpos( $destination, '/' ) ) {
			if ( '' === $this->worker_url ) {
				return new WP_Error( 'synchub_no_worker_url', __( 'No worker URL is set in the Sync Hub settings.', 'sync-hub' ) );
			}
			$url = $this->worker_url . $destination;
		} else {
			$url = $destination;
		}

		$body    = (string) $row['payload'];
		$request = array(
			'url'  => $url,
			'args' => array(
				'method'      => 'POST',
				'timeout'     => self::TIMEOUT,
				'redirection' => 0,
				'blocking'    => true,
				'user-agent'  => sprintf( 'SyncHub/%s (WordPress/%s)', Plugin::VERSION, get_bloginfo( 'version' ) ),
				'headers'     => array_merge(
					array(
						'Content-Type'        => 'application/json',
						'X-WC-Webhook-Source' => home_url( '/' ),
					),
					// Signed at each attempt: a retry hours later carries a fresh timestamp, the same event id.
					Signature::headers( $secret, Signature::PLUGIN_TO_WORKER, (string) $row['event_id'], (string) $row['topic'], $body, null !== $now ? $now : time() )
				),
				'body'        => $body,
			),
		);

		/**
		 * Filters the request of one outbox row (e.g. the products feed adds its bearer token
		 * and sends to its own endpoint). Return the array, or a WP_Error to fail this attempt.
		 *
		 * @param array{url: string, args: array<string, mixed>} $request Request.
		 * @param array<string, mixed>                           $row     Outbox row.
		 */
		return apply_filters( 'synchub_delivery_request', $request, $row );
	}

	/**
	 * The key that signs a row: the webhook secret, unless the row's feed has its own (the
	 * products feed goes to a third party, which must never hold signatures the worker or the
	 * plugin's signed routes would accept).
	 *
	 * @param array<string, mixed> $row Outbox row.
	 */
	private function signing_key( array $row ): string {
		/**
		 * Filters the key that signs one outbox row.
		 *
		 * @param string               $key The webhook secret.
		 * @param array<string, mixed> $row Outbox row.
		 */
		$key = apply_filters( 'synchub_delivery_signing_key', $this->secret, $row );
		return is_string( $key ) ? $key : '';
	}

	/**
	 * Send one row. 2xx is success; anything else is an error kept as the row's last_error.
	 *
	 * @param array<string, mixed> $row Outbox row.
	 * @return true|WP_Error
	 */
	public function send( array $row ) {
		$request = $this->build_request( $row );
		if ( is_wp_error( $request ) ) {
			return $request;
		}

		$response = Outbound::request( $request['url'], array_merge( $request['args'], array( 'method' => 'POST' ) ) );
		if ( is_wp_error( $response ) ) {
			return new WP_Error(
				'synchub_delivery_unreachable',
				/* translators: %s: the transport error message. */
				sprintf( __( 'The worker could not be reached: %s', 'sync-hub' ), $response->get_error_message() )
			);
		}

		$code = (int) wp_remote_retrieve_response_code( $response );
		if ( $code >= 200 && $code < 300 ) {
			return true;
		}

		$excerpt = trim( wp_strip_all_tags( (string) wp_remote_retrieve_body( $response ) ) );
		if ( strlen( $excerpt ) > self::ERROR_EXCERPT ) {
			$excerpt = substr( $excerpt, 0, self::ERROR_EXCERPT ) . '…';
		}
		return new WP_Error(
			'synchub_delivery_rejected',
			/* translators: 1: HTTP status code, 2: start of the response body. */
			sprintf( __( 'The worker answered HTTP %1$d: %2$s', 'sync-hub' ), $code, $excerpt ),
			array( 'status' => $code )
		);
	}
}
