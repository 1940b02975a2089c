<?php
/**
 * Sends product events to the ingestion endpoint with the integration token and the feed's own key.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Products;

defined( 'ABSPATH' ) || exit;

use WP_Error;

/**
 * Product rows are recorded with the worker's ingestion path; at send time these filters point them
 * at the configured endpoint (so a changed URL applies to rows still pending), add the token and
 * sign them with the products signing key instead of the worker's webhook secret.
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
		if ( is_wp_error( $request ) || ! self::is_product_row( $row ) ) {
			return $request;
		}
		$token = ProductSettings::usable_token();
		if ( is_wp_error( $token ) ) {
			return $token;
		}
		$request['url']                              = ProductSettings::endpoint_url();
		$request['args']['headers']['Authorization'] = 'Bearer ' . $token;
		return $request;
	}

	/**
	 * On `synchub_delivery_signing_key`: product rows are signed with the feed's own key.
	 *
	 * @param string               $key Key in use (the webhook secret).
	 * @param array<string, mixed> $row Outbox row.
	 * @return string
	 */
	public static function filter_signing_key( $key, $row ) {
		return self::is_product_row( $row ) ? ProductSettings::signing_key() : $key;
	}

	/**
	 * On `synchub_outbox_delivered`: a product delivery the endpoint accepted proves the feed works.
	 *
	 * @param mixed $row The delivered row.
	 */
	public static function on_delivered( $row ): void {
		if ( self::is_product_row( $row ) ) {
			ProductSettings::record_verified();
		}
	}

	/**
	 * Whether an outbox row belongs to the products feed.
	 *
	 * @param mixed $row Outbox row.
	 */
	private static function is_product_row( $row ): bool {
		return is_array( $row )
			&& 0 === strpos( (string) ( $row['topic'] ?? '' ), ProductEvents::TOPIC_PREFIX )
			&& ProductEvents::DESTINATION === (string) ( $row['destination'] ?? '' );
	}
}
