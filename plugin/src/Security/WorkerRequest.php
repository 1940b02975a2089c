<?php
/**
 * The check every route the worker calls shares: a v2 signature of direction worker-to-plugin,
 * dated within Signature::WINDOW, for one topic, and each event id applied once.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Security;

defined( 'ABSPATH' ) || exit;

use SyncHub\Settings\Settings;
use WP_Error;
use WP_REST_Request;

/**
 * Only v2 is accepted: both ends are ours, and WooCommerce's body-only signature would let a
 * captured request be replayed at any later time.
 */
final class WorkerRequest {

	/**
	 * @param WP_REST_Request $request Request.
	 * @param string          $topic   The only topic the route takes.
	 * @return true|WP_Error
	 */
	public static function verify( WP_REST_Request $request, string $topic ) {
		$secret = Settings::get( 'webhook_secret' );
		if ( '' === $secret ) {
			return new WP_Error( 'synchub_not_configured', __( 'The webhook secret is not set in Sync Hub settings.', 'sync-hub' ), array( 'status' => 503 ) );
		}
		$signed = Signature::verify(
			static function ( string $name ) use ( $request ) {
				return $request->get_header( $name );
			},
			(string) $request->get_body(),
			$secret,
			Signature::WORKER_TO_PLUGIN,
			time()
		);
		if ( is_wp_error( $signed ) ) {
			return $signed;
		}
		if ( $topic !== $signed['topic'] ) {
			/* translators: %s: the expected topic, such as stock.update. */
			return new WP_Error( 'synchub_invalid_topic', sprintf( __( 'This endpoint only takes the topic %s.', 'sync-hub' ), $topic ), array( 'status' => 400 ) );
		}
		return true;
	}

	/**
	 * Claims the request's event id: false when it was already applied inside the window (a
	 * replay), which the route answers with `skipped` and no write.
	 *
	 * @param WP_REST_Request $request A request verify() accepted.
	 */
	public static function claim( WP_REST_Request $request ): bool {
		return ReplayGuard::claim( trim( (string) $request->get_header( Signature::HEADER_EVENT_ID ) ), time() );
	}

	/**
	 * The answer to a replay inside the window.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return array{status: string, event_id: string, reason: string}
	 */
	public static function skipped( WP_REST_Request $request ): array {
		return array(
			'status'   => 'skipped',
			'event_id' => trim( (string) $request->get_header( Signature::HEADER_EVENT_ID ) ),
			'reason'   => 'duplicate event id',
		);
	}
}
