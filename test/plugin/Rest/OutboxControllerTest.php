<?php
/**
 * Outbox routes: counts, pages without payloads, retry of failed rows.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Rest;

use SyncHub\Outbox\Outbox;
use SyncHub\Tests\TestCase;

final class OutboxControllerTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		wp_set_current_user( $this->make_user( 'administrator' ) );
	}

	/**
	 * Three pending, one delivered, one failed rows.
	 *
	 * @return int[] Row ids in insertion order.
	 */
	private function seed(): array {
		for ( $i = 1; $i <= 5; $i++ ) {
			Outbox::record( 'order.paid', "order:{$i}", array( 'billing' => array( 'email' => "buyer{$i}@example.test" ) ), '/webhook/order' );
		}
		$ids = array_map( 'intval', array_column( $this->outbox_rows(), 'id' ) );
		$this->update_row( $ids[3], array( 'status' => 'delivered', 'pending_key' => null, 'delivered_at' => self::utc( time() ) ) );
		$this->update_row( $ids[4], array( 'status' => 'failed', 'pending_key' => null, 'attempts' => 52, 'last_error' => 'HTTP 500' ) );
		return $ids;
	}

	public function test_counts_and_a_page_of_rows_without_payloads(): void {
		$ids      = $this->seed();
		$response = $this->rest( 'GET', '/sync-hub/v1/outbox', array( 'per_page' => 2 ) );

		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( array( 'pending' => 3, 'delivered' => 1, 'failed' => 1 ), $data['counts'] );
		$this->assertSame( 5, $data['total'] );
		$this->assertSame( 3, $data['total_pages'] );
		$this->assertSame( array( $ids[4], $ids[3] ), array_column( $data['items'], 'id' ), 'newest first' );
		$this->assertArrayNotHasKey( 'payload', $data['items'][0] );
		$this->assertStringNotContainsString( 'buyer', (string) wp_json_encode( $data ) );
		$this->assertSame( 'failed', $data['items'][0]['status'] );
		$this->assertSame( 'HTTP 500', $data['items'][0]['last_error'] );
		$this->assertNull( $data['items'][0]['next_attempt_at'] );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $data['items'][1]['delivered_at'] );
		$this->assertSame( '5', $response->get_headers()['X-WP-Total'] );
	}

	public function test_status_filter_and_paging(): void {
		$ids  = $this->seed();
		$data = $this->rest( 'GET', '/sync-hub/v1/outbox', array( 'status' => 'pending', 'per_page' => 2, 'page' => 2 ) )->get_data();
		$this->assertSame( 3, $data['total'] );
		$this->assertSame( array( $ids[0] ), array_column( $data['items'], 'id' ) );
	}

	/**
	 * @return array<string, array{0: array<string, mixed>}>
	 */
	public function bad_queries(): array {
		return array(
			'unknown status' => array( array( 'status' => 'lost' ) ),
			'page 0'         => array( array( 'page' => 0 ) ),
			'huge page size' => array( array( 'per_page' => 1000 ) ),
			'page not int'   => array( array( 'page' => 'two' ) ),
		);
	}

	/**
	 * @dataProvider bad_queries
	 *
	 * @param array<string, mixed> $query Query.
	 */
	public function test_bad_queries_are_400( array $query ): void {
		$this->assertSame( 400, $this->rest( 'GET', '/sync-hub/v1/outbox', $query )->get_status() );
	}

	public function test_retry_puts_a_failed_row_back_due_now_with_a_new_deadline(): void {
		$ids      = $this->seed();
		$response = $this->rest( 'POST', "/sync-hub/v1/outbox/{$ids[4]}/retry" );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'pending', $response->get_data()['status'] );
		$row = $this->outbox_rows()[4];
		$this->assertSame( 'pending', $row['status'] );
		$this->assertSame( 'order:5', $row['pending_key'] );
		$this->assertLessThanOrEqual( time(), strtotime( $row['next_attempt_at'] . ' UTC' ) );
		$this->assertGreaterThanOrEqual( time() + 48 * 3600 - 5, strtotime( $row['deadline_at'] . ' UTC' ) );
		$this->assertTrue( Outbox::recorded_in_request(), 'the retried row is sent at the end of this request' );
	}

	public function test_retry_refuses_rows_that_are_not_failed_or_do_not_exist(): void {
		$ids = $this->seed();
		$this->assertSame( 409, $this->rest( 'POST', "/sync-hub/v1/outbox/{$ids[0]}/retry" )->get_status() );
		$this->assertSame( 409, $this->rest( 'POST', "/sync-hub/v1/outbox/{$ids[3]}/retry" )->get_status() );
		$this->assertSame( 404, $this->rest( 'POST', '/sync-hub/v1/outbox/999999/retry' )->get_status() );
	}

	public function test_retry_refuses_when_a_newer_event_for_the_resource_is_pending(): void {
		$ids = $this->seed();
		Outbox::record( 'order.paid', 'order:5', array( 'v' => 'newer' ), '/webhook/order' );

		$response = $this->rest( 'POST', "/sync-hub/v1/outbox/{$ids[4]}/retry" );
		$this->assertSame( 409, $response->get_status() );
		$this->assertSame( 'synchub_outbox_newer_pending', $response->as_error()->get_error_code() );
		$this->assertSame( 'failed', $this->outbox_rows()[4]['status'] );
	}
}
