<?php
/**
 * Outbox activity for the charts: deliveries and failures per UTC day or hour.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Rest;

use SyncHub\Outbox\Outbox;
use SyncHub\Outbox\OutboxActivity;
use SyncHub\Tests\TestCase;

final class OutboxActivityTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		wp_set_current_user( $this->make_user( 'administrator' ) );
	}

	public function test_buckets_end_with_the_current_one_oldest_first(): void {
		$now = gmmktime( 0, 30, 0, 3, 1, 2031 );
		$this->assertSame( array( '2031-02-28 22:00:00', '2031-02-28 23:00:00', '2031-03-01 00:00:00' ), OutboxActivity::keys( 'hour', 3, $now ) );
		$this->assertSame( array( '2031-02-27 00:00:00', '2031-02-28 00:00:00', '2031-03-01 00:00:00' ), OutboxActivity::keys( 'day', 3, $now ) );
	}

	public function test_counts_deliveries_and_failures_per_day_and_hour(): void {
		for ( $i = 1; $i <= 5; $i++ ) {
			Outbox::record( 'order.paid', "order:{$i}", array( 'id' => $i ), '/webhook/order' );
		}
		$ids = array_map( 'intval', array_column( $this->outbox_rows(), 'id' ) );
		$now = time();
		$this->update_row( $ids[0], array( 'status' => 'delivered', 'pending_key' => null, 'delivered_at' => self::utc( $now ) ) );
		$this->update_row( $ids[1], array( 'status' => 'delivered', 'pending_key' => null, 'delivered_at' => self::utc( $now - 2 * DAY_IN_SECONDS ) ) );
		$this->update_row( $ids[2], array( 'status' => 'failed', 'pending_key' => null, 'updated_at' => self::utc( $now ) ) );
		$this->update_row( $ids[3], array( 'status' => 'delivered', 'pending_key' => null, 'delivered_at' => self::utc( $now - 40 * DAY_IN_SECONDS ) ) );

		$day = $this->rest( 'GET', '/sync-hub/v1/outbox/activity' );
		$this->assertSame( 200, $day->get_status() );
		$data = $day->get_data();
		$this->assertSame( 'day', $data['bucket'] );
		$this->assertCount( 14, $data['buckets'] );
		$this->assertSame( gmdate( 'Y-m-d\T00:00:00\Z', $now ), end( $data['buckets'] ) );
		$this->assertSame( array( 1, 0, 1 ), array_slice( $data['series']['delivered'], -3 ) );
		$this->assertSame( 2, array_sum( $data['series']['delivered'] ), 'the 40-day-old delivery is outside the window' );
		$this->assertSame( 1, array_sum( $data['series']['failed'] ) );

		$hour = $this->rest( 'GET', '/sync-hub/v1/outbox/activity', array( 'bucket' => 'hour' ) )->get_data();
		$this->assertCount( 48, $hour['buckets'] );
		$this->assertSame( 1, end( $hour['series']['delivered'] ) );
		$this->assertSame( 1, end( $hour['series']['failed'] ) );
	}

	public function test_refuses_an_unknown_bucket_and_users_without_the_capability(): void {
		$this->assertSame( 400, $this->rest( 'GET', '/sync-hub/v1/outbox/activity', array( 'bucket' => 'week' ) )->get_status() );
		wp_set_current_user( $this->make_user( 'subscriber' ) );
		$this->assertSame( 403, $this->rest( 'GET', '/sync-hub/v1/outbox/activity' )->get_status() );
	}
}
