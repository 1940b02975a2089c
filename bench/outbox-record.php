<?php
/**
 * Benchmark: what Outbox::record() adds to a WooCommerce hook, inside real WordPress.
 *
 * Run through bench/outbox.sh (npm run bench -- outbox), which makes a throw-away site and runs:
 *   php scripts/wordpress/run.php <docroot> bench/outbox-record.php [iterations] [output.json]
 *
 * Cases, timed per call with hrtime() and interleaved call by call (see synchub_bench_cases()):
 *   baseline      — a bare autocommit INSERT of the same ~3 KB JSON into a scratch table: the
 *                   floor set by MariaDB's commit on this machine;
 *   hook_insert   — do_action() on a hook whose only callback records an order.paid event with a
 *                   realistic ~3 KB WooCommerce order payload (accents included), a new resource
 *                   each time (the checkout path: one INSERT);
 *   hook_coalesce — the same, but 50 resources updated over and over (the debounce path:
 *                   INSERT … ON DUPLICATE KEY UPDATE hits the pending row).
 * Target: p95 ≤ 1 ms for hook_insert.
 *
 * @package SyncHub
 */

use SyncHub\Outbox\Outbox;
use SyncHub\Settings\Settings;

$load_before = sys_getloadavg();
$iterations  = isset( $synchub_args[0] ) ? max( 100, (int) $synchub_args[0] ) : 1000;
$output      = isset( $synchub_args[1] ) ? $synchub_args[1] : dirname( __DIR__ ) . '/bench/results/outbox-record.json';
$target_p95  = 1.0;

// Never deliver anything from here.
update_option( Settings::OPTION, array_merge( Settings::all(), array( 'worker_url' => 'http://127.0.0.1:9' ) ) );
global $wpdb;
$wpdb->query( 'TRUNCATE TABLE ' . $wpdb->prefix . 'synchub_outbox' ); // phpcs:ignore

/**
 * A WooCommerce REST v3 order with three line items (one with booking meta), accents included.
 *
 * @param int $id Order id.
 * @return array<string, mixed>
 */
function synchub_bench_order( int $id ): array {
	$items = array();
	for ( $i = 1; $i <= 3; $i++ ) {
		$items[] = array(
			'id'           => $id * 10 + $i,
			'name'         => "Clase de yoga — nivel {$i}",
			'product_id'   => 100 + $i,
			'variation_id' => 0,
			'quantity'     => $i,
			'tax_class'    => '',
			'subtotal'     => number_format( 45000 * $i, 2, '.', '' ),
			'subtotal_tax' => '0.00',
			'total'        => number_format( 45000 * $i, 2, '.', '' ),
			'total_tax'    => '0.00',
			'taxes'        => array(),
			'meta_data'    => array(
				array( 'id' => $id * 100 + $i, 'key' => 'yith_booking_data', 'value' => array( 'from' => 1740841200 + $i * 3600, 'to' => 1740844800 + $i * 3600, 'persons' => $i, 'duration' => 1 ) ),
				array( 'id' => $id * 100 + 10 + $i, 'key' => '_booking_id', 'value' => (string) ( 5000 + $i ) ),
			),
			'sku'          => "YOGA-{$i}",
			'price'        => 45000,
		);
	}
	return array(
		'id'                   => $id,
		'parent_id'            => 0,
		'number'               => (string) $id,
		'order_key'            => 'wc_order_' . md5( (string) $id ),
		'created_via'          => 'checkout',
		'version'              => '9.4.0',
		'status'               => 'processing',
		'currency'             => 'COP',
		'date_created'         => '2025-03-01T10:00:00',
		'date_created_gmt'     => '2025-03-01T15:00:00',
		'date_modified'        => '2025-03-01T10:05:00',
		'date_modified_gmt'    => '2025-03-01T15:05:00',
		'discount_total'       => '0.00',
		'shipping_total'       => '0.00',
		'total'                => '270000.00',
		'total_tax'            => '0.00',
		'prices_include_tax'   => false,
		'customer_id'          => 12,
		'customer_ip_address'  => '190.0.0.1',
		'customer_user_agent'  => 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
		'customer_note'        => 'Por favor confirmar el horario de la clase del sábado.',
		'billing'              => array( 'first_name' => 'María José', 'last_name' => 'Peñaloza Gómez', 'company' => '', 'address_1' => 'Carrera 7 # 71-21', 'address_2' => 'Oficina 502', 'city' => 'Bogotá', 'state' => 'DC', 'postcode' => '110231', 'country' => 'CO', 'email' => "maria{$id}@example.test", 'phone' => '+57 300 123 4567' ),
		'shipping'             => array( 'first_name' => 'María José', 'last_name' => 'Peñaloza Gómez', 'company' => '', 'address_1' => 'Carrera 7 # 71-21', 'address_2' => '', 'city' => 'Bogotá', 'state' => 'DC', 'postcode' => '110231', 'country' => 'CO', 'phone' => '' ),
		'payment_method'       => 'wompi',
		'payment_method_title' => 'Tarjeta de crédito',
		'transaction_id'       => 'txn_' . $id,
		'date_paid'            => '2025-03-01T10:04:00',
		'date_paid_gmt'        => '2025-03-01T15:04:00',
		'date_completed'       => null,
		'date_completed_gmt'   => null,
		'cart_hash'            => md5( 'cart' . $id ),
		'meta_data'            => array( array( 'id' => 1, 'key' => '_billing_nit', 'value' => '900123456-7' ), array( 'id' => 2, 'key' => 'is_vat_exempt', 'value' => 'no' ) ),
		'line_items'           => $items,
		'tax_lines'            => array(),
		'shipping_lines'       => array(),
		'fee_lines'            => array(),
		'coupon_lines'         => array(),
		'refunds'              => array(),
		'currency_symbol'      => '$',
	);
}

add_action(
	'synchub_bench_order_paid',
	static function ( int $order_id, string $resource_key, array $order ): void {
		Outbox::record( 'order.paid', $resource_key, $order, '/webhook/order' );
	},
	20,
	3
);

/**
 * Time the three cases interleaved call by call, so they share the same moment-to-moment
 * load of the machine:
 *   baseline      — a bare autocommit INSERT of the same JSON into a scratch table through $wpdb
 *                   (the floor set by MariaDB's commit, which no plugin code can go below);
 *   hook_insert   — do_action() whose callback records a new resource (the checkout path);
 *   hook_coalesce — the same for 50 resources updated over and over (the debounce path).
 *
 * @param int $iterations Calls per case.
 * @return array<string, float[]> Milliseconds per call, by case.
 */
function synchub_bench_cases( int $iterations ): array {
	global $wpdb;
	$scratch = $wpdb->prefix . 'synchub_bench_baseline';
	$samples = array( 'baseline' => array(), 'hook_insert' => array(), 'hook_coalesce' => array() );
	for ( $i = 0; $i < $iterations; $i++ ) {
		$order = synchub_bench_order( 1000 + $i );

		$body  = wp_json_encode( $order );
		$start = hrtime( true );
		$wpdb->query( $wpdb->prepare( "INSERT INTO {$scratch} (payload) VALUES (%s)", $body ) ); // phpcs:ignore
		$samples['baseline'][] = ( hrtime( true ) - $start ) / 1e6;

		$start = hrtime( true );
		do_action( 'synchub_bench_order_paid', 1000 + $i, "order:{$i}", $order );
		$samples['hook_insert'][] = ( hrtime( true ) - $start ) / 1e6;

		$start = hrtime( true );
		do_action( 'synchub_bench_order_paid', 1000 + $i, 'product:' . ( $i % 50 ), $order );
		$samples['hook_coalesce'][] = ( hrtime( true ) - $start ) / 1e6;
	}
	return $samples;
}

/**
 * @param float[] $samples Milliseconds.
 * @return array<string, float|int>
 */
function synchub_bench_stats( array $samples ): array {
	sort( $samples );
	$n    = count( $samples );
	$pick = static function ( float $q ) use ( $samples, $n ): float {
		return round( $samples[ (int) min( $n - 1, max( 0, ceil( $q * $n ) - 1 ) ) ], 4 );
	};
	return array(
		'calls'   => $n,
		'p50_ms'  => $pick( 0.50 ),
		'p95_ms'  => $pick( 0.95 ),
		'p99_ms'  => $pick( 0.99 ),
		'max_ms'  => round( $samples[ $n - 1 ], 4 ),
		'mean_ms' => round( array_sum( $samples ) / $n, 4 ),
	);
}

$scratch = $wpdb->prefix . 'synchub_bench_baseline';
$wpdb->query( "CREATE TABLE IF NOT EXISTS {$scratch} (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, payload longtext NOT NULL) " . $wpdb->get_charset_collate() ); // phpcs:ignore

// Warm up connections, caches and the autoloader.
synchub_bench_cases( 50 );
$wpdb->query( 'TRUNCATE TABLE ' . $wpdb->prefix . 'synchub_outbox' ); // phpcs:ignore

$queries_before = $wpdb->num_queries;
$samples        = synchub_bench_cases( $iterations );
$queries        = $wpdb->num_queries - $queries_before;
$rows           = (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . $wpdb->prefix . 'synchub_outbox' ); // phpcs:ignore
$wpdb->query( 'TRUNCATE TABLE ' . $wpdb->prefix . 'synchub_outbox' ); // phpcs:ignore
$wpdb->query( "DROP TABLE IF EXISTS {$scratch}" ); // phpcs:ignore
Outbox::reset_request_state();

$result = array(
	'benchmark'   => 'outbox-record',
	'description' => 'Cost Outbox::record() adds to a WooCommerce hook (do_action → one INSERT / INSERT … ON DUPLICATE KEY UPDATE), measured inside real WordPress against MariaDB.',
	'measured_at' => gmdate( 'c' ),
	'environment' => array(
		'php'       => PHP_VERSION,
		'wordpress' => get_bloginfo( 'version' ),
		'database'  => $wpdb->db_server_info(),
		'cpus'      => (int) trim( (string) shell_exec( 'nproc 2>/dev/null' ) ),
		// Other processes compete for the CPUs and the disk flush of every commit: read the
		// figures together with the load they were measured under.
		'load_average_1m_before' => is_array( $load_before ) ? round( (float) $load_before[0], 2 ) : null,
	),
	'payload_bytes' => strlen( (string) wp_json_encode( synchub_bench_order( 1000 ) ) ),
	'cases'       => array(
		'baseline'      => synchub_bench_stats( $samples['baseline'] ),
		'hook_insert'   => synchub_bench_stats( $samples['hook_insert'] ),
		'hook_coalesce' => synchub_bench_stats( $samples['hook_coalesce'] ) + array( 'resources' => 50 ),
	),
	'queries_per_call' => $queries / ( 3 * $iterations ),
	'rows_written' => array(
		'expected' => $iterations + 50,
		'actual'   => $rows,
	),
	'target'      => array( 'hook_insert_p95_ms_max' => $target_p95 ),
);
$result['overhead_over_baseline_p50_ms'] = round( $result['cases']['hook_insert']['p50_ms'] - $result['cases']['baseline']['p50_ms'], 4 );
$result['meets_target']                  = $result['cases']['hook_insert']['p95_ms'] <= $target_p95 && $rows === $iterations + 50;

if ( ! is_dir( dirname( $output ) ) ) {
	mkdir( dirname( $output ), 0755, true );
}
file_put_contents( $output, wp_json_encode( $result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) . "\n" );

foreach ( $result['cases'] as $name => $stats ) {
	printf( "%-14s p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms  (%d calls)\n", $name, $stats['p50_ms'], $stats['p95_ms'], $stats['p99_ms'], $stats['max_ms'], $stats['calls'] );
}
printf( "overhead of record() over a bare INSERT at p50: %.3f ms; queries per call: %.2f\n", $result['overhead_over_baseline_p50_ms'], $result['queries_per_call'] );
printf( "load average before: %.2f on %d CPUs\n", $result['environment']['load_average_1m_before'], $result['environment']['cpus'] );
printf( "rows written %d (expected %d); target p95 ≤ %.1f ms: %s\nwritten to %s\n", $rows, $iterations + 50, $target_p95, $result['meets_target'] ? 'met' : 'MISSED', $output );
