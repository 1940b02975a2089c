<?php
/**
 * Product hooks → one debounced outbox event per product (variations roll up to their parent).
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Products;

defined( 'ABSPATH' ) || exit;

use SyncHub\Outbox\Outbox;
use WP_Error;

/**
 * A save only notes the product id; its state is captured once, at the end of the request
 * (`shutdown`, after WooCommerce's own deferred product sync, which sets a variable product's
 * `_price` from its variations), and written with one INSERT (Outbox::record). So the payload is
 * what `wc_get_product()` answers after the request, never a state from before WooCommerce's own
 * sync. Rows are keyed `product:<id>`, so a burst of saves leaves one pending row carrying the
 * latest state, sent after the debounce.
 *
 * wp-admin "Move to Trash" calls wp_trash_post() directly (WooCommerce's own trash hook does not
 * fire there), so deletions are taken from WordPress core's `wp_trash_post` / `before_delete_post`,
 * which also fire for WooCommerce CRUD deletes.
 */
final class ProductEvents {

	public const DESTINATION = ProductSettings::INGEST_PATH;

	public const TOPIC_PREFIX = 'product.';

	/**
	 * `shutdown` priority of the capture: after WooCommerce's deferred product sync (10), before
	 * the dispatcher asks for delivery (Dispatcher::SHUTDOWN_PRIORITY).
	 */
	public const SHUTDOWN_PRIORITY = 100;

	/**
	 * Products saved in this request, waiting for the end-of-request capture.
	 *
	 * @var array<int, array{type: string, skip: int[]}>
	 */
	private static $pending = array();

	/**
	 * Whether the end-of-request capture already ran (later saves are captured at once).
	 *
	 * @var bool
	 */
	private static $captured = false;

	/**
	 * Ids whose deletion was recorded in this request (a forced delete fires several hooks).
	 *
	 * @var array<int, true>
	 */
	private static $deleted = array();

	/**
	 * On `woocommerce_new_product`.
	 *
	 * @param int|string       $product_id Product id.
	 * @param \WC_Product|null $product    Product.
	 */
	public static function on_new_product( $product_id, $product = null ): void {
		self::guard(
			static function () use ( $product_id ) {
				return self::defer( (int) $product_id, 'product.created' );
			}
		);
	}

	/**
	 * On `woocommerce_update_product`.
	 *
	 * @param int|string       $product_id Product id.
	 * @param \WC_Product|null $product    Product.
	 */
	public static function on_update_product( $product_id, $product = null ): void {
		self::guard(
			static function () use ( $product_id ) {
				return self::defer( (int) $product_id, 'product.updated' );
			}
		);
	}

	/**
	 * On `woocommerce_new_product_variation` / `woocommerce_update_product_variation`: the parent changed.
	 *
	 * @param int|string       $variation_id Variation id.
	 * @param \WC_Product|null $variation    Variation.
	 */
	public static function on_variation_saved( $variation_id, $variation = null ): void {
		self::guard(
			static function () use ( $variation_id, $variation ) {
				$parent_id = self::parent_of( (int) $variation_id, $variation );
				return $parent_id > 0 ? self::defer( $parent_id, 'product.updated' ) : null;
			}
		);
	}

	/**
	 * On `wp_trash_post` (before trashing) and `before_delete_post` (before a permanent delete).
	 *
	 * @param int|string $post_id Post id.
	 */
	public static function on_post_removed( $post_id ): void {
		self::guard(
			static function () use ( $post_id ) {
				$post_id = (int) $post_id;
				$type    = get_post_type( $post_id );
				if ( 'product' === $type ) {
					return self::record_deleted( $post_id );
				}
				if ( 'product_variation' === $type ) {
					$parent_id = (int) wp_get_post_parent_id( $post_id );
					return $parent_id > 0 && ! isset( self::$deleted[ $parent_id ] ) ? self::defer( $parent_id, 'product.updated', array( $post_id ) ) : null;
				}
				return null;
			}
		);
	}

	/**
	 * On `untrashed_post`: the product is back.
	 *
	 * @param int|string $post_id Post id.
	 */
	public static function on_post_untrashed( $post_id ): void {
		self::guard(
			static function () use ( $post_id ) {
				$post_id = (int) $post_id;
				$type    = get_post_type( $post_id );
				if ( 'product' === $type ) {
					unset( self::$deleted[ $post_id ] );
					return self::defer( $post_id, 'product.created' );
				}
				if ( 'product_variation' === $type ) {
					$parent_id = (int) wp_get_post_parent_id( $post_id );
					return $parent_id > 0 ? self::defer( $parent_id, 'product.updated' ) : null;
				}
				return null;
			}
		);
	}

	/**
	 * Note a saved product for the end-of-request capture (at once when that capture already ran).
	 * The worker's own stock writes are recognised here, while their flag is up.
	 *
	 * @param int    $product_id         Product id.
	 * @param string $event_type         product.created|product.updated.
	 * @param int[]  $skip_variation_ids Variations being deleted.
	 * @return string|WP_Error|null
	 */
	public static function defer( int $product_id, string $event_type, array $skip_variation_ids = array() ) {
		if ( $product_id <= 0 || self::is_own_stock_write( $product_id ) ) {
			return null;
		}
		if ( self::$captured ) {
			return self::record_product( $product_id, $event_type, null, $skip_variation_ids );
		}
		$known                         = self::$pending[ $product_id ] ?? array( 'type' => $event_type, 'skip' => array() );
		self::$pending[ $product_id ] = array(
			// A product created and then edited in one request is still new to the receiver.
			'type' => 'product.created' === $known['type'] ? 'product.created' : $event_type,
			'skip' => array_values( array_unique( array_merge( $known['skip'], $skip_variation_ids ) ) ),
		);
		return null;
	}

	/**
	 * On `shutdown` (priority SHUTDOWN_PRIORITY): capture every product saved in this request.
	 */
	public static function on_shutdown(): void {
		self::capture_pending();
		self::$captured = true;
	}

	/**
	 * Capture the products noted so far (the end of a request; tests and long CLI runs call it too).
	 *
	 * @return int How many products were recorded.
	 */
	public static function capture_pending(): int {
		$pending       = self::$pending;
		self::$pending = array();
		$recorded      = 0;
		foreach ( $pending as $product_id => $entry ) {
			self::guard(
				static function () use ( $product_id, $entry, &$recorded ) {
					$result = self::record_product( (int) $product_id, $entry['type'], null, $entry['skip'] );
					if ( is_string( $result ) ) {
						++$recorded;
					}
					return $result;
				}
			);
		}
		return $recorded;
	}

	/**
	 * Record the current state of a product (a non-published product is recorded as deleted).
	 *
	 * @param int              $product_id         Product id.
	 * @param string           $event_type         product.created|product.updated.
	 * @param \WC_Product|null $product            Product, if the hook passed one.
	 * @param int[]            $skip_variation_ids Variations being deleted.
	 * @return string|WP_Error|null Event id, error, or null when nothing was recorded.
	 */
	public static function record_product( int $product_id, string $event_type, $product = null, array $skip_variation_ids = array() ) {
		if ( $product_id <= 0 || ! function_exists( 'wc_get_product' ) || self::is_own_stock_write( $product_id ) ) {
			return null;
		}
		if ( ! is_object( $product ) || (int) $product->get_id() !== $product_id ) {
			$product = wc_get_product( $product_id );
		}
		if ( ! $product ) {
			return null;
		}
		if ( 'product_variation' === get_post_type( $product_id ) ) {
			return self::record_product( (int) $product->get_parent_id(), 'product.updated', null );
		}
		$status = (string) $product->get_status();
		if ( in_array( $status, array( 'auto-draft', 'new' ), true ) ) {
			return null;
		}
		if ( 'publish' !== $status ) {
			return self::record_deleted( $product_id );
		}
		unset( self::$deleted[ $product_id ] );
		$payload = ProductPayload::event( $event_type, $product, $product_id, $skip_variation_ids );
		return Outbox::record( $event_type, 'product:' . $product_id, $payload, self::DESTINATION, ProductSettings::debounce() );
	}

	/**
	 * Record a deletion (soft delete on the receiving side).
	 *
	 * @param int $product_id Product id.
	 * @return string|WP_Error|null
	 */
	public static function record_deleted( int $product_id ) {
		if ( $product_id <= 0 || isset( self::$deleted[ $product_id ] ) ) {
			return null;
		}
		unset( self::$pending[ $product_id ] );
		self::$deleted[ $product_id ] = true;
		$payload = ProductPayload::event( 'product.deleted', null, $product_id );
		return Outbox::record( 'product.deleted', 'product:' . $product_id, $payload, self::DESTINATION, ProductSettings::debounce() );
	}

	/**
	 * Whether this save is the echo of the worker writing stock into WooCommerce.
	 *
	 * The stock endpoint marks its writes with the `synchub_is_stock_write` filter or the
	 * request-scoped `SYNCHUB_STOCK_WRITE` constant (until the stock helper ships its own flag).
	 *
	 * @param int $product_id Product id.
	 */
	public static function is_own_stock_write( int $product_id ): bool {
		$flag = defined( 'SYNCHUB_STOCK_WRITE' ) && SYNCHUB_STOCK_WRITE;
		return (bool) apply_filters( 'synchub_is_stock_write', $flag, $product_id );
	}

	/**
	 * Forget per-request state (tests, long CLI runs).
	 */
	public static function reset_request_state(): void {
		self::$deleted  = array();
		self::$pending  = array();
		self::$captured = false;
	}

	/**
	 * @param int              $variation_id Variation id.
	 * @param \WC_Product|null $variation    Variation.
	 */
	private static function parent_of( int $variation_id, $variation ): int {
		if ( is_object( $variation ) && method_exists( $variation, 'get_parent_id' ) ) {
			return (int) $variation->get_parent_id();
		}
		return (int) wp_get_post_parent_id( $variation_id );
	}

	/**
	 * A product hook must never break a save: errors go to the PHP error log.
	 *
	 * @param callable $record Returns string|WP_Error|null.
	 */
	private static function guard( callable $record ): void {
		try {
			$result = $record();
		} catch ( \Throwable $e ) {
			$result = new WP_Error( 'synchub_product_event_failed', $e->getMessage() );
		}
		if ( is_wp_error( $result ) ) {
			error_log( 'Sync Hub: ' . $result->get_error_message() ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- a failed hook must not break the product save; the host's error log is where it is read.
		}
	}
}
