<?php
/**
 * Sends product events to the ingestion endpoint with the integration token.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Products;

defined( 'ABSPATH' ) || exit;

use SyncHub\Security\Signature;
use WP_Error;

/**
 * Product rows are recorded with the worker's ingestion path; at send time this filter points them
 * at the configured endpoint (so a changed URL applies to rows still pending) and adds the token.
 */
final class ProductDelivery {

	/**
	 * On `synchub_delivery_request`.
	 *
	 * @param array{url: string, args: array<string, mixed>}|WP_Error $request Request.
	 * @param array<string, mixed>                                    $row     Outbox row.
	 * @return array{url: string, args: array<string, mixed>}|WP_Error
	 */
	public static function filter_request( $request, $row ) {
		if ( is_wp_error( $request ) || ! is_array( $row ) || 0 !== strpos( (string) ( $row['topic'] ?? '' ), ProductEvents::TOPIC_PREFIX ) ) {
			return $request;
		}
		if ( ProductEvents::DESTINATION !== (string) ( $row['destination'] ?? '' ) ) {
			return $request;
		}
		$token = ProductSettings::token();
		if ( '' === $token ) {
			return new WP_Error( 'synchub_products_no_token', __( 'No integration token is set for the products feed. Generate one on the Products screen and save it.', 'sync-hub' ) );
		}
		$request['url']                             = ProductSettings::endpoint_url();
		$request['args']['headers']['Authorization'] = 'Bearer ' . $token;
		// The endpoint authenticates by token and may be a third party's: the worker's signature stays home.
		unset( $request['args']['headers'][ Signature::HEADER_SIGNATURE ] );
		return $request;
	}
}
