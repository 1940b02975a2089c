<?php
/**
 * Outbox::record(): one query, coalescing of pending rows, trailing debounce, bad input.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Outbox;

use SyncHub\Outbox\Outbox;
use SyncHub\Tests\TestCase;

final class OutboxTest extends TestCase {

	public function test_record_inserts_one_pending_row_due_now(): void {
		$before   = time();
		$event_id = Outbox::record( 'order.paid', 'order:7', array( 'id' => 7 ), '/webhook/order' );

		$this->assertIsString( $event_id );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/', $event_id );
		$rows = $this->outbox_rows();
		$this->assertCount( 1, $rows );
		$row = $rows[0];
		$this->assertSame( $event_id, $row['event_id'] );
		$this->assertSame( 'order.paid', $row['topic'] );
		$this->assertSame( 'order:7', $row['resource_key'] );
		$this->assertSame( 'order:7', $row['pending_key'] );
		$this->assertSame( '{"id":7}', $row['payload'] );
		$this->assertSame( '/webhook/order', $row['destination'] );
		$this->assertSame( 'pending', $row['status'] );
		$this->assertSame( '0', $row['attempts'] );
		$this->assertNull( $row['delivered_at'] );
		$this->assertNull( $row['last_error'] );
		$created = strtotime( $row['created_at'] . ' UTC' );
		$this->assertGreaterThanOrEqual( $before, $created );
		$this->assertLessThanOrEqual( time(), $created );
		$this->assertSame( $row['created_at'], $row['next_attempt_at'] );
		$this->assertSame( 48 * 3600, strtotime( $row['deadline_at'] . ' UTC' ) - $created );
		$this->assertTrue( Outbox::recorded_in_request() );
	}

	public function test_record_costs_exactly_one_query_for_insert_and_for_coalescing(): void {
		global $wpdb;
		// Non-ASCII text must not make wpdb run its charset checks (extra queries).
		$payload = array(
			'billing' => array( 'first_name' => 'José', 'city' => 'Bogotá', 'note' => 'تهران' ),
			'total'   => '99.50',
		);

		$before = $wpdb->num_queries;
		$this->assertIsString( Outbox::record( 'order.paid', 'order:8', $payload, '/webhook/order' ) );
		$this->assertSame( 1, $wpdb->num_queries - $before, 'insert path' );

		$before = $wpdb->num_queries;
		$this->assertIsString( Outbox::record( 'order.paid', 'order:8', $payload, '/webhook/order' ) );
		$this->assertSame( 1, $wpdb->num_queries - $before, 'coalescing path' );

		$stored = json_decode( $this->outbox_rows()[0]['payload'], true );
		$this->assertSame( 'Bogotá', $stored['billing']['city'] );
		$this->assertSame( 'تهران', $stored['billing']['note'] );
	}

	public function test_pending_row_for_the_same_resource_takes_the_latest_state(): void {
		$first  = Outbox::record( 'product.updated', 'product:5', array( 'price' => '10' ), '/webhook/product', 30 );
		$second = Outbox::record( 'product.deleted', 'product:5', array( 'price' => '12' ), '/webhook/product', 30 );
		$other  = Outbox::record( 'product.updated', 'product:6', array( 'price' => '1' ), '/webhook/product', 30 );

		$rows = $this->outbox_rows();
		$this->assertCount( 2, $rows );
		$this->assertNotSame( $first, $second, 'a changed payload needs a new idempotency key' );
		$this->assertSame( $second, $rows[0]['event_id'] );
		$this->assertSame( 'product.deleted', $rows[0]['topic'] );
		$this->assertSame( '{"price":"12"}', $rows[0]['payload'] );
		$this->assertSame( $other, $rows[1]['event_id'] );
	}

	public function test_trailing_debounce_moves_the_send_time_to_after_the_last_change(): void {
		Outbox::record( 'product.updated', 'product:9', array( 'v' => 1 ), '/webhook/product', 30 );
		$row = $this->outbox_rows()[0];
		$this->assertSame( 30, strtotime( $row['next_attempt_at'] . ' UTC' ) - strtotime( $row['created_at'] . ' UTC' ) );

		// The first change happened 20 s ago; a new one now pushes the send to now + 30 s.
		$this->update_row(
			(int) $row['id'],
			array(
				'created_at'      => self::utc( time() - 20 ),
				'next_attempt_at' => self::utc( time() + 10 ),
			)
		);
		$now = time();
		Outbox::record( 'product.updated', 'product:9', array( 'v' => 2 ), '/webhook/product', 30 );
		$next = strtotime( $this->outbox_rows()[0]['next_attempt_at'] . ' UTC' );
		$this->assertGreaterThanOrEqual( $now + 30, $next );
		$this->assertLessThanOrEqual( time() + 30, $next );
	}

	public function test_a_stream_of_changes_cannot_postpone_delivery_forever(): void {
		Outbox::record( 'product.updated', 'product:10', array( 'v' => 1 ), '/webhook/product', 30 );
		$row = $this->outbox_rows()[0];
		$this->update_row( (int) $row['id'], array( 'created_at' => self::utc( time() - 600 ) ) );

		Outbox::record( 'product.updated', 'product:10', array( 'v' => 2 ), '/webhook/product', 30 );
		$row = $this->outbox_rows()[0];
		$this->assertSame(
			strtotime( $row['created_at'] . ' UTC' ) + Outbox::MAX_COALESCE_WAIT,
			strtotime( $row['next_attempt_at'] . ' UTC' ),
			'capped at MAX_COALESCE_WAIT after the first change, which is already due'
		);
	}

	public function test_coalescing_keeps_the_back_off_of_a_row_that_failed_before(): void {
		Outbox::record( 'order.paid', 'order:11', array( 'v' => 1 ), '/webhook/order' );
		$row   = $this->outbox_rows()[0];
		$retry = self::utc( time() + 240 );
		$this->update_row(
			(int) $row['id'],
			array(
				'attempts'        => 3,
				'next_attempt_at' => $retry,
			)
		);

		Outbox::record( 'order.paid', 'order:11', array( 'v' => 2 ), '/webhook/order' );
		$row = $this->outbox_rows()[0];
		$this->assertSame( $retry, $row['next_attempt_at'] );
		$this->assertSame( '3', $row['attempts'] );
		$this->assertSame( '{"v":2}', $row['payload'] );
	}

	public function test_once_delivered_a_new_change_starts_a_new_row(): void {
		$first = Outbox::record( 'order.paid', 'order:12', array( 'v' => 1 ), '/webhook/order' );
		$row   = $this->outbox_rows()[0];
		$this->update_row(
			(int) $row['id'],
			array(
				'status'      => 'delivered',
				'pending_key' => null,
			)
		);

		$second = Outbox::record( 'order.paid', 'order:12', array( 'v' => 2 ), '/webhook/order' );
		$rows   = $this->outbox_rows();
		$this->assertCount( 2, $rows );
		$this->assertSame( array( $first, $second ), array_column( $rows, 'event_id' ) );
		$this->assertSame( array( 'delivered', 'pending' ), array_column( $rows, 'status' ) );
	}

	/**
	 * @return array<string, array{0: string, 1: string, 2: mixed, 3: string, 4: int, 5: string}>
	 */
	public function invalid_records(): array {
		return array(
			'empty topic'             => array( '', 'order:1', array(), '/webhook/order', 0, 'synchub_outbox_invalid_topic' ),
			'topic without dot'       => array( 'orderpaid', 'order:1', array(), '/webhook/order', 0, 'synchub_outbox_invalid_topic' ),
			'topic with spaces'       => array( 'order paid.x', 'order:1', array(), '/webhook/order', 0, 'synchub_outbox_invalid_topic' ),
			'empty resource key'      => array( 'order.paid', '', array(), '/webhook/order', 0, 'synchub_outbox_invalid_resource_key' ),
			'resource key with space' => array( 'order.paid', 'order 1', array(), '/webhook/order', 0, 'synchub_outbox_invalid_resource_key' ),
			'resource key too long'   => array( 'order.paid', str_repeat( 'k', 192 ), array(), '/webhook/order', 0, 'synchub_outbox_invalid_resource_key' ),
			'relative destination'    => array( 'order.paid', 'order:1', array(), 'webhook/order', 0, 'synchub_outbox_invalid_destination' ),
			'path traversal'          => array( 'order.paid', 'order:1', array(), '/webhook/../admin', 0, 'synchub_outbox_invalid_destination' ),
			'ftp destination'         => array( 'order.paid', 'order:1', array(), 'ftp://example.test/x', 0, 'synchub_outbox_invalid_destination' ),
			'negative debounce'       => array( 'order.paid', 'order:1', array(), '/webhook/order', -1, 'synchub_outbox_invalid_debounce' ),
			'debounce over an hour'   => array( 'order.paid', 'order:1', array(), '/webhook/order', 3601, 'synchub_outbox_invalid_debounce' ),
			'string payload'          => array( 'order.paid', 'order:1', '{"id":1}', '/webhook/order', 0, 'synchub_outbox_invalid_payload' ),
			'unencodable payload'     => array( 'order.paid', 'order:1', array( 'x' => NAN ), '/webhook/order', 0, 'synchub_outbox_invalid_payload' ),
		);
	}

	/**
	 * @dataProvider invalid_records
	 *
	 * @param string $topic       Topic.
	 * @param string $key         Resource key.
	 * @param mixed  $payload     Payload.
	 * @param string $destination Destination.
	 * @param int    $debounce    Debounce.
	 * @param string $code        Expected error code.
	 */
	public function test_bad_input_is_a_wp_error_and_writes_nothing( string $topic, string $key, $payload, string $destination, int $debounce, string $code ): void {
		global $wpdb;
		$before = $wpdb->num_queries;
		$result = Outbox::record( $topic, $key, $payload, $destination, $debounce );

		$this->assertWPError( $result, $code );
		$this->assertSame( 400, $result->get_error_data()['status'] );
		$this->assertNotSame( '', $result->get_error_message() );
		$this->assertSame( 0, $wpdb->num_queries - $before );
		$this->assertSame( array(), $this->outbox_rows() );
		$this->assertFalse( Outbox::recorded_in_request() );
	}

	public function test_full_urls_are_valid_destinations(): void {
		$this->assertTrue( Outbox::is_valid_destination( 'https://hooks.example.test/in' ) );
		$this->assertTrue( Outbox::is_valid_destination( '/api/integrations/woocommerce/webhook/' ) );
		$this->assertFalse( Outbox::is_valid_destination( 'javascript:alert(1)' ) );
		$this->assertFalse( Outbox::is_valid_destination( '//evil.test/x' ) );
	}

	/**
	 * @param mixed  $result Value.
	 * @param string $code   Expected code.
	 */
	private function assertWPError( $result, string $code ): void {
		$this->assertInstanceOf( \WP_Error::class, $result );
		$this->assertSame( $code, $result->get_error_code() );
	}
}
