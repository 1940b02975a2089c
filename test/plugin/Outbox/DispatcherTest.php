<?php
/**
 * Dispatcher: signed delivery, back-off, giving up after 48 h, atomic claims.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Outbox;

use SyncHub\Outbox\Background;
use SyncHub\Outbox\Delivery;
use SyncHub\Outbox\Dispatcher;
use SyncHub\Outbox\Outbox;
use SyncHub\Tests\TestCase;

final class DispatcherTest extends TestCase {

	public function test_delivers_v2_signed_and_marks_delivered(): void {
		$event_id = Outbox::record( 'order.paid', 'order:21', array( 'id' => 21, 'total' => '10.00' ), '/webhook/order' );
		$this->capture_http(
			static function () {
				return array( 'status' => 202, 'body' => '{"status":"accepted"}' );
			}
		);

		$stats = ( new Dispatcher() )->run();

		$this->assertSame( 1, $stats['delivered'] );
		$this->assertCount( 1, $this->http );
		$request = $this->http[0];
		$this->assertSame( self::WORKER_URL . '/webhook/order', $request['url'] );
		$this->assertSame( 'POST', $request['args']['method'] );
		$body = $request['args']['body'];
		$this->assertSame( '{"id":21,"total":"10.00"}', $body );
		$headers = $request['args']['headers'];
		// Signed at send time, event id and topic inside the signature, direction plugin-to-worker.
		$this->assertEqualsWithDelta( time(), (int) $headers['X-SyncHub-Timestamp'], 5 );
		$expected = self::v2_headers( $body, array( 'purpose' => 'plugin-to-worker', 'topic' => 'order.paid', 'event_id' => $event_id, 'timestamp' => (int) $headers['X-SyncHub-Timestamp'] ) );
		foreach ( $expected as $name => $value ) {
			$this->assertSame( $value, $headers[ $name ], $name );
		}
		$this->assertArrayNotHasKey( 'X-WC-Webhook-Signature', $headers, 'no body-only signature: it could be replayed forever' );
		$this->assertSame( home_url( '/' ), $headers['X-WC-Webhook-Source'] );
		$this->assertSame( 'application/json', $headers['Content-Type'] );

		$row = $this->outbox_rows()[0];
		$this->assertSame( 'delivered', $row['status'] );
		$this->assertNull( $row['pending_key'] );
		$this->assertNull( $row['claim_token'] );
		$this->assertNotNull( $row['delivered_at'] );
		$this->assertSame( '1', $row['attempts'] );

		// Nothing left to send.
		$this->assertSame( 0, ( new Dispatcher() )->run()['claimed'] );
		$this->assertCount( 1, $this->http );
	}

	public function test_full_url_destinations_are_used_as_they_are(): void {
		Outbox::record( 'product.updated', 'product:1', array( 'id' => 1 ), 'https://ingest.example.test/hook' );
		$this->capture_http(
			static function () {
				return array( 'status' => 200 );
			}
		);
		( new Dispatcher() )->run();
		$this->assertSame( 'https://ingest.example.test/hook', $this->http[0]['url'] );
	}

	public function test_a_refusal_backs_off_exponentially_and_keeps_the_error(): void {
		Outbox::record( 'order.paid', 'order:22', array( 'id' => 22 ), '/webhook/order' );
		$this->capture_http(
			static function () {
				return array( 'status' => 503, 'body' => '{"error":{"code":"unavailable","message":"database down"}}' );
			}
		);
		$now = time();

		$stats = ( new Dispatcher() )->run( 10, $now );
		$this->assertSame( 1, $stats['retrying'] );
		$row = $this->outbox_rows()[0];
		$this->assertSame( 'pending', $row['status'] );
		$this->assertSame( '1', $row['attempts'] );
		$this->assertSame( self::utc( $now + 60 ), $row['next_attempt_at'] );
		$this->assertStringContainsString( '503', $row['last_error'] );
		$this->assertStringContainsString( 'database down', $row['last_error'] );
		$this->assertNull( $row['claim_token'] );

		// Not due yet: nothing is sent.
		$this->assertSame( 0, ( new Dispatcher() )->run( 10, $now + 59 )['claimed'] );
		$this->assertCount( 1, $this->http );

		( new Dispatcher() )->run( 10, $now + 60 );
		$row = $this->outbox_rows()[0];
		$this->assertSame( '2', $row['attempts'] );
		$this->assertSame( self::utc( $now + 60 + 120 ), $row['next_attempt_at'] );
	}

	public function test_an_unreachable_worker_is_a_retryable_error(): void {
		Outbox::record( 'order.paid', 'order:23', array( 'id' => 23 ), '/webhook/order' );
		$this->capture_http(
			static function () {
				return new \WP_Error( 'http_request_failed', 'cURL error 7: Failed to connect to 127.0.0.1 port 9: Connection refused' );
			}
		);
		( new Dispatcher() )->run();
		$row = $this->outbox_rows()[0];
		$this->assertSame( 'pending', $row['status'] );
		$this->assertStringContainsString( 'Connection refused', $row['last_error'] );
	}

	public function test_without_a_webhook_secret_nothing_is_sent_unsigned(): void {
		$this->assertIsString( Outbox::record( 'order.paid', 'order:24', array( 'id' => 24 ), '/webhook/order' ) );
		update_option( 'synchub_settings', array( 'worker_url' => self::WORKER_URL, 'webhook_secret' => '' ) );
		$this->capture_http(
			static function () {
				return array( 'status' => 202 );
			}
		);
		( new Dispatcher() )->run();
		$this->assertCount( 0, $this->http );
		$row = $this->outbox_rows()[0];
		$this->assertSame( 'pending', $row['status'] );
		$this->assertStringContainsString( 'secret', $row['last_error'] );
	}

	public function test_gives_up_48_hours_after_creation_and_keeps_the_last_error(): void {
		Outbox::record( 'order.paid', 'order:25', array( 'id' => 25 ), '/webhook/order' );
		$created = strtotime( $this->outbox_rows()[0]['created_at'] . ' UTC' );
		$this->capture_http(
			static function () {
				return array( 'status' => 500, 'body' => 'boom' );
			}
		);

		( new Dispatcher() )->run( 10, $created + 48 * 3600 - 1 );
		$this->assertSame( 'pending', $this->outbox_rows()[0]['status'], 'one second before the deadline it still retries' );

		$this->update_row( (int) $this->outbox_rows()[0]['id'], array( 'next_attempt_at' => self::utc( $created ) ) );
		$stats = ( new Dispatcher() )->run( 10, $created + 48 * 3600 );
		$this->assertSame( 1, $stats['failed'] );
		$row = $this->outbox_rows()[0];
		$this->assertSame( 'failed', $row['status'] );
		$this->assertNull( $row['pending_key'] );
		$this->assertSame( '2', $row['attempts'] );
		$this->assertStringContainsString( 'boom', $row['last_error'] );

		// A failed row is never claimed again, and a new change to the resource gets a new row.
		$this->assertSame( 0, ( new Dispatcher() )->run( 10, $created + 49 * 3600 )['claimed'] );
		Outbox::record( 'order.paid', 'order:25', array( 'id' => 25 ), '/webhook/order' );
		$this->assertCount( 2, $this->outbox_rows() );
	}

	public function test_a_claimed_row_cannot_be_claimed_by_a_second_dispatcher_until_the_lease_ends(): void {
		for ( $i = 1; $i <= 5; $i++ ) {
			Outbox::record( 'order.paid', "order:{$i}", array( 'id' => $i ), '/webhook/order' );
		}
		$now   = time();
		$first = ( new Dispatcher() )->claim( 3, $now );
		$rest  = ( new Dispatcher() )->claim( 10, $now );
		$none  = ( new Dispatcher() )->claim( 10, $now );

		$this->assertCount( 3, $first );
		$this->assertCount( 2, $rest );
		$this->assertCount( 0, $none );
		$this->assertSame( array(), array_intersect( array_column( $first, 'id' ), array_column( $rest, 'id' ) ) );
		$this->assertNotSame( $first[0]['claim_token'], $rest[0]['claim_token'] );

		// The first dispatcher died: its rows come back once the lease has run out.
		$again = ( new Dispatcher() )->claim( 10, $now + Dispatcher::LEASE );
		$this->assertEqualsCanonicalizing( array_column( array_merge( $first, $rest ), 'id' ), array_column( $again, 'id' ) );
	}

	public function test_rows_not_yet_due_are_not_claimed(): void {
		Outbox::record( 'product.updated', 'product:30', array( 'id' => 30 ), '/webhook/product', 60 );
		$now = time();
		$this->assertCount( 0, ( new Dispatcher() )->claim( 10, $now ) );
		$this->assertCount( 1, ( new Dispatcher() )->claim( 10, $now + 61 ) );
	}

	public function test_a_payload_coalesced_while_in_flight_is_sent_again_under_its_new_event_id(): void {
		$old   = Outbox::record( 'order.paid', 'order:31', array( 'v' => 1 ), '/webhook/order' );
		$now   = time();
		$rows  = ( new Dispatcher() )->claim( 10, $now );
		$new   = Outbox::record( 'order.paid', 'order:31', array( 'v' => 2 ), '/webhook/order' );
		$state = ( new Dispatcher() )->complete( $rows[0], true, $now );

		$this->assertSame( 'released', $state );
		$row = $this->outbox_rows()[0];
		$this->assertSame( 'pending', $row['status'] );
		$this->assertSame( $new, $row['event_id'] );
		$this->assertNotSame( $old, $new );
		$this->assertNull( $row['claim_token'] );

		$this->capture_http(
			static function () {
				return array( 'status' => 202 );
			}
		);
		( new Dispatcher() )->run( 10, $now );
		$this->assertSame( '{"v":2}', $this->http[0]['args']['body'] );
		$this->assertSame( $new, $this->http[0]['args']['headers']['X-SyncHub-Event-Id'] );
		$this->assertSame( 'delivered', $this->outbox_rows()[0]['status'] );
	}

	public function test_concurrent_dispatcher_processes_send_every_row_exactly_once(): void {
		$expected = array();
		for ( $i = 1; $i <= 60; $i++ ) {
			$expected[] = Outbox::record( 'order.paid', "order:{$i}", array( 'id' => $i ), '/webhook/order' );
		}
		$log     = (string) tempnam( sys_get_temp_dir(), 'synchub-dispatch-' );
		$barrier = $log . '.barrier';
		mkdir( $barrier );
		$repo = dirname( __DIR__, 3 );

		$processes = array();
		$pipes     = array();
		for ( $p = 0; $p < 3; $p++ ) {
			$command     = array( PHP_BINARY, $repo . '/scripts/wordpress/run.php', ABSPATH, __DIR__ . '/../fixtures/dispatch-concurrently.php', $log, $barrier );
			$processes[] = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes_out );
			$pipes[]     = $pipes_out;
		}
		// Release all three at once, when each has WordPress loaded.
		$deadline = microtime( true ) + 30;
		while ( count( (array) glob( $barrier . '/ready-*' ) ) < 3 && microtime( true ) < $deadline ) {
			usleep( 5000 );
		}
		touch( $barrier . '/go' );
		$claimed = 0;
		$workers = 0;
		foreach ( $processes as $p => $process ) {
			$stdout = stream_get_contents( $pipes[ $p ][1] );
			$stderr = stream_get_contents( $pipes[ $p ][2] );
			$this->assertSame( 0, proc_close( $process ), $stdout . $stderr );
			$stats    = json_decode( (string) $stdout, true );
			$claimed += (int) $stats['claimed'];
			$workers += $stats['claimed'] > 0 ? 1 : 0;
		}

		$lines = array_filter( explode( "\n", (string) file_get_contents( $log ) ) );
		array_map( 'unlink', array_merge( array( $log ), (array) glob( $barrier . '/*' ) ) );
		rmdir( $barrier );
		$sent = array_map(
			static function ( string $line ): string {
				return explode( ' ', $line )[0];
			},
			$lines
		);
		$this->assertCount( 60, $sent, 'sends in total' );
		$this->assertEqualsCanonicalizing( $expected, $sent, 'every event exactly once' );
		$this->assertSame( 60, $claimed );
		$this->assertGreaterThan( 1, $workers, 'the processes really overlapped' );
		$this->assertSame( array( 'delivered' ), array_values( array_unique( array_column( $this->outbox_rows(), 'status' ) ) ) );
	}

	public function test_shutdown_hands_delivery_to_a_background_runner_only_when_the_request_recorded_something(): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 202 );
			}
		);
		wp_clear_scheduled_hook( Background::HOOK );
		global $wpdb;
		$wpdb->insert(
			\SyncHub\Install\Schema::outbox_table(),
			array(
				'event_id'        => wp_generate_uuid4(),
				'topic'           => 'order.paid',
				'resource_key'    => 'order:40',
				'pending_key'     => 'order:40',
				'payload'         => '{}',
				'destination'     => '/webhook/order',
				'next_attempt_at' => self::utc( time() ),
				'deadline_at'     => self::utc( time() + 3600 ),
				'created_at'      => self::utc( time() ),
				'updated_at'      => self::utc( time() ),
			)
		);

		Dispatcher::on_shutdown();
		$this->assertFalse( wp_next_scheduled( Background::HOOK ), 'nothing recorded in this request: no job' );

		Outbox::record( 'order.paid', 'order:41', array( 'id' => 41 ), '/webhook/order' );
		Dispatcher::on_shutdown();
		$this->assertCount( 0, $this->http, 'no network inside the request' );
		$this->assertFalse( Outbox::recorded_in_request() );
		// Without Action Scheduler (WordPress without WooCommerce): one WP-Cron single event, due now.
		$this->assertFalse( Background::has_action_scheduler() );
		$due = wp_next_scheduled( Background::HOOK );
		$this->assertIsInt( $due );
		$this->assertLessThanOrEqual( time(), $due );

		// A second request before the job ran asks for no second job.
		Outbox::record( 'order.paid', 'order:42', array( 'id' => 42 ), '/webhook/order' );
		Dispatcher::on_shutdown();
		$this->assertCount( 1, array_filter( _get_cron_array(), static function ( $hooks ) { return isset( $hooks[ Background::HOOK ] ); } ) );

		// The job, when WP-Cron runs it, delivers every due row.
		do_action( Background::HOOK );
		$this->assertCount( 3, $this->http );
		wp_clear_scheduled_hook( Background::HOOK );
	}

	public function test_dispatch_hooks_are_wired(): void {
		$this->assertSame( Dispatcher::SHUTDOWN_PRIORITY, has_action( 'shutdown', array( Dispatcher::class, 'on_shutdown' ) ) );
		$this->assertSame( 10, has_action( 'synchub_dispatch_outbox', array( Dispatcher::class, 'on_cron' ) ) );
		$this->assertSame( 10, has_action( Background::HOOK, array( Dispatcher::class, 'on_cron' ) ) );
		$event = wp_get_scheduled_event( 'synchub_dispatch_outbox' );
		$this->assertNotFalse( $event );
		$this->assertSame( 'every_minute', $event->schedule );
		$this->assertSame( 60, wp_get_schedules()['every_minute']['interval'] );
	}

	public function test_a_retry_is_signed_again_with_a_fresh_timestamp_and_the_same_event_id(): void {
		$delivery = new Delivery( self::WORKER_URL, self::SECRET );
		$row      = array( 'event_id' => wp_generate_uuid4(), 'topic' => 'order.paid', 'payload' => '{"id":3}', 'destination' => '/webhook/order' );
		$first    = $delivery->build_request( $row, 1000000000 )['args']['headers'];
		$later    = $delivery->build_request( $row, 1000003600 )['args']['headers'];
		$this->assertSame( $first['X-SyncHub-Event-Id'], $later['X-SyncHub-Event-Id'] );
		$this->assertSame( array( '1000000000', '1000003600' ), array( $first['X-SyncHub-Timestamp'], $later['X-SyncHub-Timestamp'] ) );
		$this->assertNotSame( $first['X-SyncHub-Signature'], $later['X-SyncHub-Signature'] );
	}
}
