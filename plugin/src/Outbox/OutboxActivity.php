<?php
/**
 * Deliveries and failures of the outbox per UTC day or hour, for the admin page's charts.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Outbox;

defined( 'ABSPATH' ) || exit;

use SyncHub\Install\Schema;

/**
 * Counts rows delivered (by `delivered_at`) and rows that failed for good (by `updated_at`, the
 * time they were given up on), per bucket. Dates in the table are UTC (`gmdate`).
 */
final class OutboxActivity {

	public const BUCKETS = array( 'day', 'hour' );

	/**
	 * Bucket starts, oldest first, as `Y-m-d H:00:00` (UTC): the last `$count` buckets up to and
	 * including the one holding `$now`.
	 *
	 * @param string $bucket 'day' or 'hour'.
	 * @param int    $count  Number of buckets.
	 * @param int    $now    Unix time.
	 * @return string[]
	 */
	public static function keys( string $bucket, int $count, int $now ): array {
		$step    = 'hour' === $bucket ? HOUR_IN_SECONDS : DAY_IN_SECONDS;
		$current = intdiv( $now, $step ) * $step;
		$keys    = array();
		for ( $index = $count - 1; $index >= 0; $index-- ) {
			$keys[] = gmdate( 'hour' === $bucket ? 'Y-m-d H:00:00' : 'Y-m-d 00:00:00', $current - $index * $step );
		}
		return $keys;
	}

	/**
	 * The series: `delivered` and `failed`, one value per bucket.
	 *
	 * @param string $bucket 'day' or 'hour'.
	 * @param int    $count  Number of buckets.
	 * @param int    $now    Unix time.
	 * @return array{bucket: string, buckets: string[], series: array<string, int[]>}
	 */
	public static function series( string $bucket, int $count, int $now ): array {
		global $wpdb;
		$keys   = self::keys( $bucket, $count, $now );
		$format = 'hour' === $bucket ? '%Y-%m-%d %H:00:00' : '%Y-%m-%d 00:00:00';
		$table  = Schema::outbox_table();
		$from   = $keys[0];
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix; values prepared.
		$delivered = $wpdb->get_results(
			$wpdb->prepare( "SELECT DATE_FORMAT(delivered_at, %s) AS bucket, COUNT(*) AS total FROM {$table} WHERE status = 'delivered' AND delivered_at >= %s GROUP BY bucket", $format, $from ),
			ARRAY_A
		);
		$failed    = $wpdb->get_results(
			$wpdb->prepare( "SELECT DATE_FORMAT(updated_at, %s) AS bucket, COUNT(*) AS total FROM {$table} WHERE status = 'failed' AND updated_at >= %s GROUP BY bucket", $format, $from ),
			ARRAY_A
		);
		// phpcs:enable WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return array(
			'bucket'  => $bucket,
			'buckets' => array_map( static fn( string $key ): string => str_replace( ' ', 'T', $key ) . 'Z', $keys ),
			'series'  => array(
				'delivered' => self::fill( $keys, (array) $delivered ),
				'failed'    => self::fill( $keys, (array) $failed ),
			),
		);
	}

	/**
	 * Values in key order, 0 where no row fell.
	 *
	 * @param string[]                         $keys Bucket keys.
	 * @param array<int, array<string, mixed>> $rows Rows with `bucket` and `total`.
	 * @return int[]
	 */
	private static function fill( array $keys, array $rows ): array {
		$by_key = array();
		foreach ( $rows as $row ) {
			$by_key[ (string) $row['bucket'] ] = (int) $row['total'];
		}
		return array_map( static fn( string $key ): int => $by_key[ $key ] ?? 0, $keys );
	}
}
