<?php
/**
 * Back-off policy: 1 minute, doubling, capped at one hour.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Outbox;

use PHPUnit\Framework\TestCase;
use SyncHub\Outbox\Backoff;

final class BackoffTest extends TestCase {

	/**
	 * @return array<string, array{0: int, 1: int}>
	 */
	public function delays(): array {
		return array(
			'no failure yet' => array( 0, 0 ),
			'1st failure'    => array( 1, 60 ),
			'2nd failure'    => array( 2, 120 ),
			'3rd failure'    => array( 3, 240 ),
			'4th failure'    => array( 4, 480 ),
			'5th failure'    => array( 5, 960 ),
			'6th failure'    => array( 6, 1920 ),
			'7th failure'    => array( 7, 3600 ),
			'8th failure'    => array( 8, 3600 ),
			'100th failure'  => array( 100, 3600 ),
			'huge count'     => array( PHP_INT_MAX, 3600 ),
		);
	}

	/**
	 * @dataProvider delays
	 *
	 * @param int $failures Failed attempts so far.
	 * @param int $expected Seconds.
	 */
	public function test_delay( int $failures, int $expected ): void {
		$this->assertSame( $expected, Backoff::delay( $failures ) );
	}

	public function test_a_row_failing_every_time_is_tried_about_fifty_times_in_48_hours(): void {
		$elapsed  = 0;
		$attempts = 0;
		while ( $elapsed < 48 * 3600 ) {
			++$attempts;
			$elapsed += Backoff::delay( $attempts );
		}
		// 1+2+4+…+32 minutes = 63 min (6 attempts), then hourly: 47 more until 48 h have passed.
		$this->assertSame( 53, $attempts );
	}
}
