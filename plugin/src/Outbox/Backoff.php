<?php
/**
 * Retry policy of the dispatcher, as data and one pure function.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * Exponential back-off: 1 minute after the first failure, doubling, capped at one hour.
 */
final class Backoff {

	public const BASE_DELAY = MINUTE_IN_SECONDS;

	public const MAX_DELAY = HOUR_IN_SECONDS;

	/**
	 * Seconds to wait before the next attempt.
	 *
	 * @param int $failed_attempts How many attempts have failed so far (1 after the first failure).
	 */
	public static function delay( int $failed_attempts ): int {
		if ( $failed_attempts < 1 ) {
			return 0;
		}
		// 2^6 minutes already exceeds the cap; stop shifting before integers overflow.
		$exponent = min( $failed_attempts - 1, 6 );
		return (int) min( self::BASE_DELAY * ( 2 ** $exponent ), self::MAX_DELAY );
	}
}
