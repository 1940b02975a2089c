<?php
/**
 * The WP-Cron schedule that drains the outbox every minute.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * Registers the `every_minute` recurrence and the dispatch event.
 */
final class Cron {

	public const HOOK = 'synchub_dispatch_outbox';

	public const SCHEDULE = 'every_minute';

	/**
	 * Add the `every_minute` recurrence (filter `cron_schedules`).
	 *
	 * @param array<string, array<string, mixed>> $schedules Known recurrences.
	 * @return array<string, array<string, mixed>>
	 */
	public static function add_schedule( $schedules ): array {
		$schedules = is_array( $schedules ) ? $schedules : array();
		if ( ! isset( $schedules[ self::SCHEDULE ] ) ) {
			$schedules[ self::SCHEDULE ] = array(
				'interval' => MINUTE_IN_SECONDS,
				'display'  => __( 'Every minute', 'sync-hub' ),
			);
		}
		return $schedules;
	}

	/**
	 * Schedule the dispatch event unless it is already scheduled (reads the autoloaded cron option).
	 */
	public static function ensure_scheduled(): void {
		if ( false === wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time(), self::SCHEDULE, self::HOOK );
		}
	}

	/**
	 * Remove every scheduled dispatch event.
	 */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::HOOK );
	}
}
