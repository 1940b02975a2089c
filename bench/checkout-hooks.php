<?php
/**
 * Benchmark part of `npm run bench -- checkout`: what the plugin's paid hook costs per order
 * inside the real WordPress 6.5.3 + WooCommerce 8.9.1 (run by bench/checkout.ts in the site).
 *
 * Orders are made paid through WooCommerce's CRUD with the plugin's paid hooks detached, then
 * timed per order with hrtime(), interleaved case by case:
 *   bare_insert   — an autocommit INSERT of the same payload into a scratch table (the floor
 *                   MariaDB's commit sets on this machine);
 *   outbox_insert — Outbox::record() alone with the order's payload (the one INSERT the hook adds),
 *                   autocommit as in production, so it includes the commit's log flush;
 *   outbox_statement / outbox_commit — the same call inside a transaction, timed apart from its
 *                   COMMIT: what the statement costs and what the durable commit costs on this disk
 *                   (with innodb_flush_log_at_trx_commit=1 every autocommit write WooCommerce
 *                   makes during a checkout pays that same flush);
 *   paid_hook     — OrderEvents::record_paid(): WooCommerce's REST payload of the order, the
 *                   INSERT, and the order meta marking it sent (what a paid order costs in all);
 *   payload_build — WooCommerce's REST payload alone (part of paid_hook).
 * Prints one JSON object. BENCH_CHECKOUT_HOOK_ORDERS sets the order count (default 200).
 *
 * @package SyncHub
 */

use SyncHub\Orders\OrderEvents;
use SyncHub\Orders\OrderPayload;
use SyncHub\Outbox\Outbox;

$synchub_orders = max( 20, (int) ( getenv( 'BENCH_CHECKOUT_HOOK_ORDERS' ) ?: 200 ) );

foreach ( array( 'woocommerce_payment_complete', 'woocommerce_order_status_processing', 'woocommerce_order_status_completed' ) as $synchub_hook ) {
	remove_all_actions( $synchub_hook, OrderEvents::PRIORITY );
}
remove_all_actions( 'shutdown' );

global $wpdb;
$synchub_scratch = $wpdb->prefix . 'synchub_bench_scratch';
$wpdb->query( "CREATE TABLE IF NOT EXISTS {$synchub_scratch} (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, event_id CHAR(36) NOT NULL, payload LONGTEXT NOT NULL) ENGINE=InnoDB" ); // phpcs:ignore

$synchub_product = new WC_Product_Simple();
$synchub_product->set_props( array( 'name' => 'Bench ticket — día 1', 'regular_price' => '25.00', 'virtual' => true, 'sku' => 'BENCH-' . wp_generate_password( 6, false ) ) );
$synchub_product->save();

$synchub_ms = array(
	'payload'       => array(),
	'bare_insert'   => array(),
	'outbox_insert' => array(),
	'outbox_statement' => array(),
	'outbox_commit' => array(),
	'paid_hook'     => array(),
);
$synchub_bytes = 0;
for ( $i = 0; $i < $synchub_orders; $i++ ) {
	$order = wc_create_order();
	$order->add_product( $synchub_product, 2 );
	$order->set_address( array( 'first_name' => 'Ana', 'last_name' => 'Pérez', 'email' => "ana{$i}@example.test", 'country' => 'US', 'state' => 'CA' ), 'billing' );
	$order->set_payment_method( 'cod' );
	$order->calculate_totals();
	$order->set_status( 'processing' );
	$order->save();

	$t                       = hrtime( true );
	$payload                 = OrderPayload::build( $order );
	$synchub_ms['payload'][] = ( hrtime( true ) - $t ) / 1e6;
	$body                    = wp_json_encode( $payload );
	$synchub_bytes += strlen( (string) $body );

	$t = hrtime( true );
	$wpdb->query( $wpdb->prepare( "INSERT INTO {$synchub_scratch} (event_id, payload) VALUES (%s, %s)", wp_generate_uuid4(), $body ) ); // phpcs:ignore
	$synchub_ms['bare_insert'][] = ( hrtime( true ) - $t ) / 1e6;

	$t = hrtime( true );
	Outbox::record( 'order.bench', 'bench:' . $order->get_id(), $payload, '/webhook/order' );
	$synchub_ms['outbox_insert'][] = ( hrtime( true ) - $t ) / 1e6;

	$wpdb->query( 'START TRANSACTION' );
	$t = hrtime( true );
	Outbox::record( 'order.bench', 'bench-tx:' . $order->get_id(), $payload, '/webhook/order' );
	$synchub_ms['outbox_statement'][] = ( hrtime( true ) - $t ) / 1e6;
	$t = hrtime( true );
	$wpdb->query( 'COMMIT' );
	$synchub_ms['outbox_commit'][] = ( hrtime( true ) - $t ) / 1e6;

	$t = hrtime( true );
	OrderEvents::record_paid( $order );
	$synchub_ms['paid_hook'][] = ( hrtime( true ) - $t ) / 1e6;
}
$wpdb->query( "DROP TABLE IF EXISTS {$synchub_scratch}" ); // phpcs:ignore

/**
 * p50/p95/p99/max/mean of a list, in ms rounded to 0.01.
 *
 * @param float[] $values Milliseconds.
 * @return array<string, float|int>
 */
function synchub_bench_stats( array $values ): array {
	sort( $values );
	$at = static function ( float $q ) use ( $values ): float {
		return round( $values[ (int) min( count( $values ) - 1, floor( $q * count( $values ) ) ) ], 3 );
	};
	return array(
		'n'    => count( $values ),
		'p50'  => $at( 0.5 ),
		'p95'  => $at( 0.95 ),
		'p99'  => $at( 0.99 ),
		'max'  => round( (float) end( $values ), 3 ),
		'mean' => round( array_sum( $values ) / max( 1, count( $values ) ), 3 ),
	);
}

echo "\n@@BENCH@@" . wp_json_encode(
	array(
		'orders'        => $synchub_orders,
		'payload_bytes' => (int) round( $synchub_bytes / max( 1, $synchub_orders ) ),
		'queries_per_outbox_insert' => 1,
		'payload_build' => synchub_bench_stats( $synchub_ms['payload'] ),
		'bare_insert'   => synchub_bench_stats( $synchub_ms['bare_insert'] ),
		'outbox_insert' => synchub_bench_stats( $synchub_ms['outbox_insert'] ),
		'outbox_statement' => synchub_bench_stats( $synchub_ms['outbox_statement'] ),
		'outbox_commit' => synchub_bench_stats( $synchub_ms['outbox_commit'] ),
		'paid_hook'     => synchub_bench_stats( $synchub_ms['paid_hook'] ),
		'innodb_flush_log_at_trx_commit' => (string) $wpdb->get_var( 'SELECT @@innodb_flush_log_at_trx_commit' ),
		'database'      => (string) $wpdb->get_var( 'SELECT VERSION()' ),
	)
);
