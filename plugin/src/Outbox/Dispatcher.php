<?php
/**
 * Drains the outbox: claims due rows atomically, sends them, records the outcome.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Outbox;

defined( 'ABSPATH' ) || exit;

use SyncHub\Install\Schema;
use WP_Error;

/**
 * Runs in the background only: the job a request that recorded events asks for at `shutdown`
 * (Background: Action Scheduler or a WP-Cron single event), and WP-Cron every minute.
 *
 * Claiming is one UPDATE … LIMIT that stamps due, unclaimed rows with a random token and a lease;
 * concurrent dispatchers therefore never hold the same row. A dispatcher that dies leaves its
 * rows to the next one once the lease has run out.
 */
final class Dispatcher {

	/**
	 * Seconds a claim holds a row (far above BATCH × Delivery::TIMEOUT).
	 */
	public const LEASE = 5 * MINUTE_IN_SECONDS;

	public const BATCH = 10;

	public const CRON_MAX_ROWS = 200;

	/**
	 * `shutdown` priority: after WooCommerce's deferred product sync (10) and the products feed's
	 * capture (ProductEvents::SHUTDOWN_PRIORITY).
	 */
	public const SHUTDOWN_PRIORITY = 1000;

	public const CRON_BUDGET = 45;

	/**
	 * Sender of one row.
	 *
	 * @var Delivery
	 */
	private $delivery;

	/**
	 * Wall-clock seconds this run may take before it stops claiming.
	 *
	 * @var int
	 */
	private $budget;

	/**
	 * Build a dispatcher.
	 *
	 * @param Delivery|null $delivery Sender (defaults to one built from the settings).
	 * @param int           $budget   Seconds before the run stops claiming more rows.
	 */
	public function __construct( ?Delivery $delivery = null, int $budget = self::CRON_BUDGET ) {
		$this->delivery = null !== $delivery ? $delivery : new Delivery();
		$this->budget   = $budget;
	}

	/**
	 * On `shutdown` (late, after WooCommerce's own deferred work and the products feed's capture):
	 * when this request recorded events, ask a background runner to deliver them. No network here.
	 */
	public static function on_shutdown(): void {
		if ( ! Outbox::recorded_in_request() ) {
			return;
		}
		Outbox::reset_request_state();
		Background::request_delivery();
	}

	/**
	 * On the WP-Cron event and the background delivery job: deliver whatever is due.
	 */
	public static function on_cron(): void {
		( new self( null, self::CRON_BUDGET ) )->run( self::CRON_MAX_ROWS );
	}

	/**
	 * Claim and deliver up to $max_rows due rows.
	 *
	 * @param int      $max_rows Upper bound of rows handled in this run.
	 * @param int|null $now      Unix time to act at (tests); the clock otherwise.
	 * @return array{claimed: int, delivered: int, retrying: int, failed: int, released: int}
	 */
	public function run( int $max_rows = self::CRON_MAX_ROWS, ?int $now = null ): array {
		$stats   = array(
			'claimed'   => 0,
			'delivered' => 0,
			'retrying'  => 0,
			'failed'    => 0,
			'released'  => 0,
		);
		$started = microtime( true );

		while ( $stats['claimed'] < $max_rows && ( microtime( true ) - $started ) < $this->budget ) {
			$rows = $this->claim( min( self::BATCH, $max_rows - $stats['claimed'] ), null !== $now ? $now : time() );
			if ( array() === $rows ) {
				break;
			}
			$stats['claimed'] += count( $rows );

			foreach ( $rows as $row ) {
				if ( ( microtime( true ) - $started ) >= $this->budget ) {
					$this->release( $row );
					++$stats['released'];
					continue;
				}
				$outcome = $this->complete( $row, $this->delivery->send( $row ), null !== $now ? $now : time() );
				++$stats[ $outcome ];
			}
		}

		return $stats;
	}

	/**
	 * Atomically claim up to $limit due rows for this dispatcher.
	 *
	 * @param int $limit How many rows.
	 * @param int $now   Unix time.
	 * @return array<int, array<string, mixed>> The claimed rows (with their claim_token).
	 */
	public function claim( int $limit, int $now ): array {
		global $wpdb;
		$table = Schema::outbox_table();
		$token = bin2hex( random_bytes( 16 ) );
		$at    = Outbox::datetime( $now );

		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
		$claimed = $wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table}
				SET claim_token = %s, claimed_until = %s
				WHERE status = 'pending' AND next_attempt_at <= %s AND (claimed_until IS NULL OR claimed_until <= %s)
				ORDER BY next_attempt_at ASC, id ASC
				LIMIT %d",
				$token,
				Outbox::datetime( $now + self::LEASE ),
				$at,
				$at,
				max( 1, $limit )
			)
		);
		if ( ! $claimed ) {
			// 0 rows, or an error such as a deadlock between dispatchers: the next run retries.
			return array();
		}

		$rows = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT id, event_id, topic, resource_key, payload, destination, attempts, deadline_at, claim_token
				FROM {$table} WHERE claim_token = %s ORDER BY next_attempt_at ASC, id ASC",
				$token
			),
			ARRAY_A
		);
		// phpcs:enable

		return is_array( $rows ) ? $rows : array();
	}

	/**
	 * Record the outcome of one delivery.
	 *
	 * @param array<string, mixed> $row    The claimed row as sent.
	 * @param true|WP_Error        $result Delivery result.
	 * @param int                  $now    Unix time.
	 * @return string 'delivered', 'retrying', 'failed' or 'released'.
	 */
	public function complete( array $row, $result, int $now ): string {
		global $wpdb;
		$table = Schema::outbox_table();
		$at    = Outbox::datetime( $now );

		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
		if ( true === $result ) {
			// Only the version that was sent counts as delivered: if record() coalesced a newer
			// payload (new event id) into the row meanwhile, the row stays pending for another send.
			$done = $wpdb->query(
				$wpdb->prepare(
					"UPDATE {$table}
					SET status = 'delivered', pending_key = NULL, attempts = attempts + 1, delivered_at = %s, updated_at = %s,
						last_error = NULL, claim_token = NULL, claimed_until = NULL
					WHERE id = %d AND claim_token = %s AND event_id = %s",
					$at,
					$at,
					(int) $row['id'],
					(string) $row['claim_token'],
					(string) $row['event_id']
				)
			);
			if ( $done ) {
				/**
				 * After a row was delivered (the receiver answered 2xx).
				 *
				 * @param array<string, mixed> $row The row as sent.
				 */
				do_action( 'synchub_outbox_delivered', $row );
				return 'delivered';
			}
			$this->release( $row );
			return 'released';
		}

		$error = is_wp_error( $result ) ? $result->get_error_message() : __( 'Unknown delivery error.', 'sync-hub' );

		if ( $now >= (int) strtotime( (string) $row['deadline_at'] . ' UTC' ) ) {
			$given_up = $wpdb->query(
				$wpdb->prepare(
					"UPDATE {$table}
					SET status = 'failed', pending_key = NULL, attempts = attempts + 1, last_error = %s, updated_at = %s,
						claim_token = NULL, claimed_until = NULL
					WHERE id = %d AND claim_token = %s AND event_id = %s",
					$error,
					$at,
					(int) $row['id'],
					(string) $row['claim_token'],
					(string) $row['event_id']
				)
			);
			if ( $given_up ) {
				return 'failed';
			}
		}

		$attempts = (int) $row['attempts'] + 1;
		$wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table}
				SET attempts = attempts + 1, next_attempt_at = %s, last_error = %s, updated_at = %s,
					claim_token = NULL, claimed_until = NULL
				WHERE id = %d AND claim_token = %s",
				Outbox::datetime( $now + Backoff::delay( $attempts ) ),
				$error,
				$at,
				(int) $row['id'],
				(string) $row['claim_token']
			)
		);
		// phpcs:enable
		return 'retrying';
	}

	/**
	 * Give a claimed row back without counting an attempt.
	 *
	 * @param array<string, mixed> $row Claimed row.
	 */
	private function release( array $row ): void {
		global $wpdb;
		$table = Schema::outbox_table();
		$wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET claim_token = NULL, claimed_until = NULL WHERE id = %d AND claim_token = %s", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
				(int) $row['id'],
				(string) $row['claim_token']
			)
		);
	}
}
