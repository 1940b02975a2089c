<?php
/**
 * Hands outbox delivery to a background runner: never inside a customer's request.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * At the end of a request that recorded events, one pending background job is asked for:
 * an Action Scheduler async action when Action Scheduler runs (it ships with WooCommerce), else a
 * single WP-Cron event (WordPress without WooCommerce). The job runs the Dispatcher in another
 * request (WP-Cron's loopback, Action Scheduler's queue runner, or the server's cron), so a slow
 * or hung worker never holds up the request that recorded the event, whatever the PHP SAPI.
 * Asking costs a query or two and no network; a job already pending is not asked for again.
 */
final class Background {

	public const HOOK = 'synchub_deliver_outbox';

	public const GROUP = 'sync-hub';

	/**
	 * Ask for a delivery run.
	 *
	 * @return string Which runner got it: `action-scheduler` or `wp-cron`.
	 */
	public static function request_delivery(): string {
		if ( self::has_action_scheduler() ) {
			if ( ! self::action_pending() ) {
				as_enqueue_async_action( self::HOOK, array(), self::GROUP );
			}
			return 'action-scheduler';
		}
		if ( false === wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_single_event( time(), self::HOOK );
		}
		return 'wp-cron';
	}

	/**
	 * Whether Action Scheduler is loaded and its data store ready.
	 */
	public static function has_action_scheduler(): bool {
		return function_exists( 'as_enqueue_async_action' )
			&& function_exists( 'as_get_scheduled_actions' )
			&& class_exists( 'ActionScheduler', false )
			&& \ActionScheduler::is_initialized();
	}

	/**
	 * Whether a delivery action waits to run (a running one may already have claimed its rows,
	 * so only a pending one makes a new one unnecessary).
	 */
	private static function action_pending(): bool {
		$ids = as_get_scheduled_actions(
			array(
				'hook'     => self::HOOK,
				'group'    => self::GROUP,
				'status'   => \ActionScheduler_Store::STATUS_PENDING,
				'per_page' => 1,
			),
			'ids'
		);
		return is_array( $ids ) && array() !== $ids;
	}

	/**
	 * Remove pending delivery jobs (deactivation).
	 */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::HOOK );
		if ( function_exists( 'as_unschedule_all_actions' ) && self::has_action_scheduler() ) {
			as_unschedule_all_actions( self::HOOK, array(), self::GROUP );
		}
	}
}
