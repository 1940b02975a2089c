<?php
/**
 * Lets WooCommerce's own webhooks reach the configured worker's order route.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Http;

defined( 'ABSPATH' ) || exit;

use SyncHub\Orders\OrderEvents;
use SyncHub\Settings\Settings;

/**
 * WooCommerce delivers its webhooks (and the activation ping, which bypasses
 * `woocommerce_webhook_http_args`) with `wp_safe_remote_request()`, which refuses any port but
 * 80, 443 and 8080 ("A valid URL was not provided") and loopback or private hosts. A store owner
 * who points a native "Order updated" webhook at the worker's `/webhook/order` would therefore
 * never reach a worker on its default port 8787. These filters admit exactly that URL: the
 * configured worker's origin (scheme, host, port compared exactly) with the order webhook path.
 * Any other port, host or path stays refused.
 */
final class WebhookPorts {

	/**
	 * On `http_allowed_safe_ports`.
	 *
	 * @param mixed  $ports Allowed ports.
	 * @param string $host  Host of the request.
	 * @param string $url   URL of the request.
	 * @return mixed
	 */
	public static function on_http_allowed_safe_ports( $ports, $host = '', $url = '' ) {
		if ( is_array( $ports ) && self::is_worker_order_webhook( (string) $url ) ) {
			$ports[] = (int) wp_parse_url( (string) $url, PHP_URL_PORT );
		}
		return $ports;
	}

	/**
	 * On `http_request_host_is_external`: the worker on loopback or a private address.
	 *
	 * @param mixed  $external Whether the host counts as external.
	 * @param string $host     Host.
	 * @param string $url      URL.
	 * @return mixed
	 */
	public static function on_http_request_host_is_external( $external, $host = '', $url = '' ) {
		return self::is_worker_order_webhook( (string) $url ) ? true : $external;
	}

	/**
	 * Whether $url is the configured worker's order webhook route (with or without its trailing slash).
	 *
	 * @param string $url URL.
	 */
	public static function is_worker_order_webhook( string $url ): bool {
		$worker = Settings::worker_url();
		if ( '' === $url || '' === $worker || null === Outbound::origin( $worker ) || Outbound::origin( $url ) !== Outbound::origin( $worker ) ) {
			return false;
		}
		$base = rtrim( (string) wp_parse_url( $worker, PHP_URL_PATH ), '/' );
		$path = (string) wp_parse_url( $url, PHP_URL_PATH );
		return in_array( $path, array( $base . OrderEvents::DESTINATION, $base . OrderEvents::DESTINATION . '/' ), true )
			&& null === wp_parse_url( $url, PHP_URL_USER );
	}
}
