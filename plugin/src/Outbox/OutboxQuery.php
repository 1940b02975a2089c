<?php
/**
 * Read side of the outbox for the admin page, and the manual retry.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Outbox;

defined( 'ABSPATH' ) || exit;

use SyncHub\Install\Schema;
use WP_Error;

/**
 * Counts, pages and retries outbox rows. Payloads never leave this class.
 */
final class OutboxQuery {

	/**
	 * Columns the admin page may see (no payload: it holds customer data).
	 */
	private const LIST_COLUMNS = 'id, event_id, topic, resource_key, destination, status, attempts, next_attempt_at, last_error, created_at, updated_at, delivered_at';

	/**
	 * Number of rows per status (every status present, zero when empty).
	 *
	 * @return array<string, int>
	 */
	public static function counts(): array {
		global $wpdb;
		$table  = Schema::outbox_table();
		$counts = array_fill_keys( Outbox::STATUSES, 0 );
		$rows   = $wpdb->get_results( "SELECT status, COUNT(*) AS total FROM {$table} GROUP BY status", ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- no input.
		foreach ( (array) $rows as $row ) {
			if ( isset( $counts[ $row['status'] ] ) ) {
				$counts[ $row['status'] ] = (int) $row['total'];
			}
		}
		return $counts;
	}

	/**
	 * One page of rows, newest first.
	 *
	 * @param string $status   '' for every status, else one of Outbox::STATUSES.
	 * @param int    $page     1-based page.
	 * @param int    $per_page Rows per page.
	 * @return array{items: array<int, array<string, mixed>>, total: int}
	 */
	public static function page( string $status, int $page, int $per_page ): array {
		global $wpdb;
		$table  = Schema::outbox_table();
		$where  = in_array( $status, Outbox::STATUSES, true ) ? $wpdb->prepare( 'WHERE status = %s', $status ) : '';
		$offset = max( 0, $page - 1 ) * $per_page;

		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix, $where prepared above.
		$total = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table} {$where}" );
		$rows  = $wpdb->get_results(
			$wpdb->prepare( 'SELECT ' . self::LIST_COLUMNS . " FROM {$table} {$where} ORDER BY id DESC LIMIT %d OFFSET %d", $per_page, $offset ),
			ARRAY_A
		);
		// phpcs:enable

		return array(
			'items' => array_map( array( self::class, 'present' ), (array) $rows ),
			'total' => $total,
		);
	}

	/**
	 * One row as the admin page sees it, or null.
	 *
	 * @param int $id Row id.
	 * @return array<string, mixed>|null
	 */
	public static function find( int $id ): ?array {
		global $wpdb;
		$table = Schema::outbox_table();
		$row   = $wpdb->get_row( $wpdb->prepare( 'SELECT ' . self::LIST_COLUMNS . " FROM {$table} WHERE id = %d", $id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return is_array( $row ) ? self::present( $row ) : null;
	}

	/**
	 * Put a failed row back in the queue, due now, with a fresh 48-hour deadline.
	 *
	 * @param int      $id  Row id.
	 * @param int|null $now Unix time (tests); the clock otherwise.
	 * @return array<string, mixed>|WP_Error The row, or why it was not retried.
	 */
	public static function retry( int $id, ?int $now = null ) {
		global $wpdb;
		$table = Schema::outbox_table();
		$row   = self::find( $id );
		if ( null === $row ) {
			return new WP_Error( 'synchub_outbox_not_found', __( 'No outbox event has this id.', 'sync-hub' ), array( 'status' => 404 ) );
		}
		if ( Outbox::STATUS_FAILED !== $row['status'] ) {
			return new WP_Error( 'synchub_outbox_not_failed', __( 'Only failed events can be retried.', 'sync-hub' ), array( 'status' => 409 ) );
		}

		$newer = $wpdb->get_var( $wpdb->prepare( "SELECT id FROM {$table} WHERE pending_key = %s", $row['resource_key'] ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		if ( null !== $newer ) {
			return self::newer_pending_error();
		}

		$now      = null !== $now ? $now : time();
		$at       = Outbox::datetime( $now );
		$suppress = $wpdb->suppress_errors( true );
		$saved    = $wpdb->query(
			$wpdb->prepare(
				// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
				"UPDATE {$table}
				SET status = 'pending', pending_key = resource_key, next_attempt_at = %s, deadline_at = %s, updated_at = %s,
					claim_token = NULL, claimed_until = NULL
				WHERE id = %d AND status = 'failed'",
				$at,
				Outbox::datetime( $now + Outbox::GIVE_UP_AFTER ),
				$at,
				$id
			)
		);
		$wpdb->suppress_errors( $suppress );
		if ( false === $saved ) {
			// The unique pending key refused it: a newer event for the same resource was queued meanwhile.
			return self::newer_pending_error();
		}
		if ( 0 === $saved ) {
			return new WP_Error( 'synchub_outbox_not_failed', __( 'Only failed events can be retried.', 'sync-hub' ), array( 'status' => 409 ) );
		}

		Outbox::mark_recorded();
		return self::find( $id );
	}

	/**
	 * Why a failed row cannot go back to pending.
	 */
	private static function newer_pending_error(): WP_Error {
		return new WP_Error(
			'synchub_outbox_newer_pending',
			__( 'A newer event for the same resource is already waiting to be sent, so this older one was not requeued.', 'sync-hub' ),
			array( 'status' => 409 )
		);
	}

	/**
	 * Typed values and ISO 8601 UTC dates (`2025-01-31T12:00:00Z`) for JSON.
	 *
	 * @param array<string, mixed> $row Database row.
	 * @return array<string, mixed>
	 */
	public static function present( array $row ): array {
		$date = static function ( $value ): ?string {
			return ( null === $value || '' === $value ) ? null : str_replace( ' ', 'T', (string) $value ) . 'Z';
		};
		return array(
			'id'              => (int) $row['id'],
			'event_id'        => (string) $row['event_id'],
			'topic'           => (string) $row['topic'],
			'resource_key'    => (string) $row['resource_key'],
			'destination'     => (string) $row['destination'],
			'status'          => (string) $row['status'],
			'attempts'        => (int) $row['attempts'],
			'next_attempt_at' => 'pending' === $row['status'] ? $date( $row['next_attempt_at'] ) : null,
			'last_error'      => null === $row['last_error'] ? null : (string) $row['last_error'],
			'created_at'      => $date( $row['created_at'] ),
			'updated_at'      => $date( $row['updated_at'] ),
			'delivered_at'    => $date( $row['delivered_at'] ),
		);
	}
}
