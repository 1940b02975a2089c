<?php
/**
 * A `php -S` process on a free loopback port, serving a fixture script, that records requests.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests;

/**
 * Start with start(), read what reached it with requests(), end with stop().
 */
final class StandInServer {

	/** @var resource|null */
	private $process;

	/** @var int */
	public $port = 0;

	/** @var string */
	private $record = '';

	/**
	 * Serve $script (a router script; the recording stand-in by default) on a free port.
	 *
	 * @param string|null $script Router script.
	 * @param string|null $docroot Document root (null: the script's directory).
	 */
	public static function start( ?string $script = null, ?string $docroot = null ): self {
		$server         = new self();
		$probe          = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name           = (string) stream_socket_get_name( $probe, false );
		fclose( $probe );
		$server->port   = (int) substr( $name, (int) strrpos( $name, ':' ) + 1 );
		$server->record = (string) tempnam( sys_get_temp_dir(), 'synchub-record-' );
		$script         = null !== $script ? $script : dirname( __DIR__ ) . '/fixtures/recording-server.php';
		$env            = array_merge( getenv(), array( 'SYNCHUB_RECORD_FILE' => $server->record ) );
		unset( $env['PHP_CLI_SERVER_WORKERS'] );
		$command        = array( PHP_BINARY, '-S', '127.0.0.1:' . $server->port );
		if ( null !== $docroot ) {
			array_push( $command, '-t', $docroot );
		}
		$command[]       = $script;
		$server->process = proc_open( $command, array( array( 'pipe', 'r' ), array( 'file', '/dev/null', 'w' ), array( 'file', '/dev/null', 'w' ) ), $pipes, null, $env );
		$deadline        = microtime( true ) + 10;
		while ( microtime( true ) < $deadline ) {
			$socket = @fsockopen( '127.0.0.1', $server->port ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
			if ( $socket ) {
				fclose( $socket );
				return $server;
			}
			usleep( 50000 );
		}
		$server->stop();
		throw new \RuntimeException( 'the stand-in server did not start' );
	}

	/**
	 * `http://127.0.0.1:<port>`.
	 */
	public function url(): string {
		return 'http://127.0.0.1:' . $this->port;
	}

	/**
	 * Requests recorded so far (recording stand-in only).
	 *
	 * @return array<int, array{method: string, uri: string, authorization: string}>
	 */
	public function requests(): array {
		$lines = file( $this->record, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES );
		return array_map(
			static function ( string $line ): array {
				return (array) json_decode( $line, true );
			},
			false === $lines ? array() : $lines
		);
	}

	public function stop(): void {
		if ( is_resource( $this->process ) ) {
			proc_terminate( $this->process );
			proc_close( $this->process );
		}
		$this->process = null;
		if ( '' !== $this->record && is_file( $this->record ) ) {
			unlink( $this->record );
		}
	}
}
