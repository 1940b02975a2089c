<?php
/**
 * The live-feed relay: worker Server-Sent Events streamed through the plugin.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Stock;

use SyncHub\Settings\Settings;
use SyncHub\Stock\StockStream;
use SyncHub\Tests\TestCase;

final class StockStreamTest extends TestCase {

	/** @var resource|null */
	private $server;

	/** @var int */
	private $port = 0;

	protected function setUp(): void {
		parent::setUp();
		$probe = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name  = stream_socket_get_name( $probe, false );
		fclose( $probe );
		$this->port   = (int) substr( (string) $name, (int) strrpos( (string) $name, ':' ) + 1 );
		// The stand-in is the configured worker: the relay reads from no other origin.
		update_option( Settings::OPTION, array_merge( Settings::all(), array( 'worker_url' => 'http://127.0.0.1:' . $this->port ) ) );
		$fixture      = dirname( __DIR__ ) . '/fixtures/stock-sse.php';
		$this->server = proc_open( array( PHP_BINARY, '-S', '127.0.0.1:' . $this->port, $fixture ), array( array( 'pipe', 'r' ), array( 'file', '/dev/null', 'w' ), array( 'file', '/dev/null', 'w' ) ), $pipes );
		$deadline     = microtime( true ) + 5;
		while ( microtime( true ) < $deadline ) {
			$socket = @fsockopen( '127.0.0.1', $this->port ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
			if ( $socket ) {
				fclose( $socket );
				return;
			}
			usleep( 50000 );
		}
		$this->fail( 'the stand-in worker did not start' );
	}

	protected function tearDown(): void {
		if ( is_resource( $this->server ) ) {
			proc_terminate( $this->server );
			proc_close( $this->server );
		}
		parent::tearDown();
	}

	private function url(): string {
		return 'http://127.0.0.1:' . $this->port . StockStream::WORKER_PATH;
	}

	public function test_relays_the_event_stream_with_the_token_and_last_event_id(): void {
		$out    = '';
		$result = StockStream::relay( $this->url(), 'relay-token', '40', function ( string $chunk ) use ( &$out ): void { $out .= $chunk; }, 5 );
		$this->assertTrue( $result );
		$this->assertStringContainsString( "id: 41\nevent: change\ndata: {\"id\":41,\"code\":\"SKU-1\",\"new_quantity\":3}\n\n", $out );
		$this->assertStringContainsString( '"code":"after-40"', $out );
	}

	public function test_a_refused_token_relays_nothing_and_says_why(): void {
		$out    = '';
		$result = StockStream::relay( $this->url(), 'wrong', '', function ( string $chunk ) use ( &$out ): void { $out .= $chunk; }, 5 );
		$this->assertWPError( $result );
		$this->assertSame( '', $out );
	}

	public function test_an_unreachable_worker_is_an_error(): void {
		update_option( Settings::OPTION, array_merge( Settings::all(), array( 'worker_url' => self::WORKER_URL ) ) );
		$result = StockStream::relay( 'http://127.0.0.1:9' . StockStream::WORKER_PATH, 'relay-token', '', static function (): void {}, 2 );
		$this->assertWPError( $result );
		$this->assertSame( 'synchub_stream_unavailable', $result->get_error_code() );
	}

	public function test_the_token_is_never_relayed_to_a_server_other_than_the_configured_worker(): void {
		update_option( Settings::OPTION, array_merge( Settings::all(), array( 'worker_url' => self::WORKER_URL ) ) );
		$out    = '';
		$result = StockStream::relay( $this->url(), 'relay-token', '', function ( string $chunk ) use ( &$out ): void { $out .= $chunk; }, 5 );
		$this->assertWPError( $result );
		$this->assertSame( 'synchub_stream_refused', $result->get_error_code() );
		$this->assertSame( '', $out, 'the other server was never asked' );
	}

	public function test_the_stream_route_needs_manage_woocommerce(): void {
		wp_set_current_user( $this->make_user( 'subscriber' ) );
		$this->assertContains( $this->rest( 'GET', '/sync-hub/v1/stock/stream' )->get_status(), array( 401, 403 ) );
		wp_set_current_user( 0 );
		$this->assertContains( $this->rest( 'GET', '/sync-hub/v1/stock/stream' )->get_status(), array( 401, 403 ) );
	}

	/**
	 * @param mixed $value Value.
	 */
	private function assertWPError( $value ): void {
		$this->assertInstanceOf( \WP_Error::class, $value );
	}
}
