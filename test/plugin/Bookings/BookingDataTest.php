<?php
/**
 * YITH booking data → the `synchub_booking` item meta (pure parts, table-driven).
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Bookings;

use SyncHub\Bookings\BookingData;
use SyncHub\Tests\TestCase;

final class BookingDataTest extends TestCase {

	/**
	 * @return array<string, array{0: array<string, mixed>, 1: int, 2: array<string, mixed>, 3: array<string, mixed>|null}>
	 */
	public function values_provider(): array {
		$from = 1764613800; // 2025-12-01 18:30 wall clock.
		return array(
			'persons given'             => array( array( 'from' => $from, 'to' => $from + 3600, 'persons' => 3 ), 77, array(), array( 'booking_id' => 77, 'start' => '2025-12-01 18:30', 'end' => '2025-12-01 19:30', 'persons' => 3, 'person_types' => array() ) ),
			'persons from type map'     => array( array( 'from' => (string) $from, 'person_types' => array( 0 => 0 ) + array( 900001 => 2, 900002 => 1 ) ), 0, array(), array( 'booking_id' => null, 'start' => '2025-12-01 18:30', 'end' => null, 'persons' => 3, 'person_types' => array( array( 'id' => 900001, 'title' => '', 'number' => 2 ), array( 'id' => 900002, 'title' => '', 'number' => 1 ) ) ) ),
			'booking post wins'         => array( array( 'from' => $from, 'persons' => 1 ), 5, array( 'persons' => 4, 'person_types' => array( array( 'id' => 900003, 'title' => 'Adult', 'number' => 4 ) ) ), array( 'booking_id' => 5, 'start' => '2025-12-01 18:30', 'end' => null, 'persons' => 4, 'person_types' => array( array( 'id' => 900003, 'title' => 'Adult', 'number' => 4 ) ) ) ),
			'no persons at all'         => array( array( 'from' => $from ), 0, array(), array( 'booking_id' => null, 'start' => '2025-12-01 18:30', 'end' => null, 'persons' => 1, 'person_types' => array() ) ),
			'not a booking (no from)'   => array( array( 'persons' => 2 ), 9, array(), null ),
			'not a booking (bad from)'  => array( array( 'from' => 'tomorrow' ), 9, array(), null ),
		);
	}

	/**
	 * @dataProvider values_provider
	 *
	 * @param array<string, mixed>      $data       Item booking data.
	 * @param int                       $booking_id Booking id.
	 * @param array<string, mixed>      $booking    Booking values.
	 * @param array<string, mixed>|null $expected   Expected meta value.
	 */
	public function test_from_values( array $data, int $booking_id, array $booking, ?array $expected ): void {
		$this->assertSame( $expected, BookingData::from_values( $data, $booking_id, $booking ) );
	}

	public function test_from_item_reads_yith_meta_of_a_line_item(): void {
		$item = new \WC_Order_Item_Product(
			array(
				'id'        => 1,
				'meta_data' => array(
					array( 'key' => 'yith_booking_data', 'value' => serialize( array( 'from' => 1764613800, 'persons' => 2 ) ) ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_serialize
					array( 'key' => '_booking_id', 'value' => '321' ),
				),
			)
		);
		$this->assertSame( array( 'booking_id' => 321, 'start' => '2025-12-01 18:30', 'end' => null, 'persons' => 2, 'person_types' => array() ), BookingData::from_item( $item ) );
		$this->assertNull( BookingData::from_item( new \WC_Order_Item_Product( array( 'id' => 2, 'meta_data' => array() ) ) ) );
	}
}
