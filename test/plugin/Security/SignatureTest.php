<?php
/**
 * The v2 signature in PHP: the same vectors as the worker's test, and every way to get it wrong.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Security;

use SyncHub\Security\Signature;
use SyncHub\Tests\TestCase;

final class SignatureTest extends TestCase {

	private const VECTOR_SECRET = 'synchub-test-vector-secret-0123456789';

	private const EVENT_ID = '8c6f2a7e-3b1d-4c55-9a0e-2f4b6d8e1a93';

	private const T = 1767225600;

	/**
	 * The vectors of test/worker/core/signing.test.ts (computed with openssl): both ends agree.
	 *
	 * @return array<string, array{0: string, 1: string, 2: string, 3: string}>
	 */
	public function vectors(): array {
		return array(
			'plugin to worker' => array( Signature::PLUGIN_TO_WORKER, 'order.paid', '{"id":1}', 'v2=aRX6WY3PdlYXm9F/yflYDYN03GnnSEwA2W5+Ll6Rylk=' ),
			'worker to plugin' => array( Signature::WORKER_TO_PLUGIN, 'stock.update', '{"items":[{"sku":"A","stock_quantity":1}]}', 'v2=uS8gKy1BG5zRoGcjJzaQXNPv3Z0SeBAt2hgf991I1Z8=' ),
		);
	}

	/**
	 * @dataProvider vectors
	 *
	 * @param string $purpose  Direction.
	 * @param string $topic    Topic.
	 * @param string $body     Body.
	 * @param string $expected Signature header value.
	 */
	public function test_matches_the_worker_byte_for_byte( string $purpose, string $topic, string $body, string $expected ): void {
		$this->assertSame( $expected, Signature::sign( self::VECTOR_SECRET, $purpose, self::T, self::EVENT_ID, $topic, $body ) );
	}

	/**
	 * [headers changed after signing, clock at verification relative to T, expected error code or null].
	 *
	 * @return array<string, array{0: array<string, string>, 1: int, 2: string|null, 3?: string}>
	 */
	public function cases(): array {
		$w = Signature::WINDOW;
		return array(
			'signed now'                 => array( array(), 0, null ),
			'at the old edge'            => array( array(), $w, null ),
			'at the future edge'         => array( array(), -$w, null ),
			'one second too old'         => array( array(), $w + 1, 'synchub_signature_expired' ),
			'one second too far ahead'   => array( array(), -$w - 1, 'synchub_signature_expired' ),
			'event id swapped'           => array( array( 'X-SyncHub-Event-Id' => 'another-event' ), 0, 'synchub_invalid_signature' ),
			'topic swapped'              => array( array( 'X-SyncHub-Topic' => 'order.refunded' ), 0, 'synchub_invalid_signature' ),
			'timestamp moved'            => array( array( 'X-SyncHub-Timestamp' => (string) ( self::T + 1 ) ), 0, 'synchub_invalid_signature' ),
			'no signature'               => array( array( 'X-SyncHub-Signature' => '' ), 0, 'synchub_missing_signature' ),
			'no version prefix'          => array( array( 'X-SyncHub-Signature' => 'aRX6WY3PdlYXm9F/yflYDYN03GnnSEwA2W5+Ll6Rylk=' ), 0, 'synchub_invalid_signature' ),
			'empty v2'                   => array( array( 'X-SyncHub-Signature' => 'v2=' ), 0, 'synchub_invalid_signature' ),
			'no timestamp'               => array( array( 'X-SyncHub-Timestamp' => '' ), 0, 'synchub_incomplete_signature' ),
			'no event id'                => array( array( 'X-SyncHub-Event-Id' => '' ), 0, 'synchub_incomplete_signature' ),
			'no topic'                   => array( array( 'X-SyncHub-Topic' => '' ), 0, 'synchub_incomplete_signature' ),
			'other direction'            => array( array(), 0, 'synchub_invalid_signature', Signature::WORKER_TO_PLUGIN ),
		);
	}

	/**
	 * @dataProvider cases
	 *
	 * @param array<string, string> $changes  Headers replaced after signing.
	 * @param int                   $offset   Verification clock minus the signing time.
	 * @param string|null           $expected Error code, or null when valid.
	 * @param string                $purpose  Direction the verifier accepts.
	 */
	public function test_verify( array $changes, int $offset, ?string $expected, string $purpose = Signature::PLUGIN_TO_WORKER ): void {
		$body    = '{"id":1}';
		$headers = array_merge( Signature::headers( self::VECTOR_SECRET, Signature::PLUGIN_TO_WORKER, self::EVENT_ID, 'order.paid', $body, self::T ), $changes );
		$result  = Signature::verify(
			static function ( string $name ) use ( $headers ) {
				return $headers[ $name ] ?? null;
			},
			$body,
			self::VECTOR_SECRET,
			$purpose,
			self::T + $offset
		);
		if ( null === $expected ) {
			$this->assertSame( array( 'timestamp' => self::T, 'event_id' => self::EVENT_ID, 'topic' => 'order.paid' ), $result );
			return;
		}
		$this->assertWPError( $result, $expected );
	}

	public function test_the_body_is_covered_byte_for_byte(): void {
		$headers = Signature::headers( self::VECTOR_SECRET, Signature::PLUGIN_TO_WORKER, self::EVENT_ID, 'order.paid', '{"id":1}', self::T );
		$read    = static function ( string $name ) use ( $headers ) {
			return $headers[ $name ] ?? null;
		};
		$this->assertWPError( Signature::verify( $read, '{"id":1} ', self::VECTOR_SECRET, Signature::PLUGIN_TO_WORKER, self::T ), 'synchub_invalid_signature' );
		$this->assertWPError( Signature::verify( $read, '{"id":1}', self::VECTOR_SECRET . 'x', Signature::PLUGIN_TO_WORKER, self::T ), 'synchub_invalid_signature' );
	}

	/**
	 * @param mixed  $result Verification result.
	 * @param string $code   Expected code.
	 */
	private function assertWPError( $result, string $code ): void {
		$this->assertInstanceOf( \WP_Error::class, $result );
		$this->assertSame( $code, $result->get_error_code() );
		$this->assertSame( 401, $result->get_error_data()['status'] );
	}
}
