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

/**
 * A class whose magic methods report being run: unserializing booking data must never
 * instantiate it.
 */
final class BookingDataProbe {

	/** @var string[] */
	public static $ran = array();

	/** @var string */
	public $name = 'probe';

	public function __wakeup() {
		self::$ran[] = '__wakeup';
	}

	public function __destruct() {
		self::$ran[] = '__destruct';
	}
}

final class BookingDataTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		BookingDataProbe::$ran = array();
	}

	/**
	 * Fail when $value holds an object anywhere.
	 *
	 * @param mixed $value Value.
	 */
	private function assertPlain( $value ): void {
		$this->assertIsNotObject( $value );
		if ( is_array( $value ) ) {
			array_walk_recursive(
				$value,
				function ( $item ): void {
					$this->assertIsNotObject( $item );
				}
			);
		}
	}

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

	/**
	 * @return array<string, array{0: mixed}>
	 */
	public function hostile_values(): array {
		$probe = serialize( new BookingDataProbe() ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_serialize
		return array(
			'a stdClass'                  => array( 'O:8:"stdClass":1:{s:4:"from";i:1764613800;}' ),
			'a class with __wakeup'       => array( $probe ),
			'an object inside the array'  => array( 'a:2:{s:4:"from";i:1764613800;s:5:"extra";' . $probe . '}' ),
			'serialized twice'            => array( serialize( $probe ) ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_serialize
			'an already decoded object'   => array( new \stdClass() ),
			'broken'                      => array( 'a:1:{s:4:"from";' ),
		);
	}

	/**
	 * @dataProvider hostile_values
	 *
	 * @param mixed $value A stored meta value.
	 */
	public function test_decoding_never_makes_an_object( $value ): void {
		$decoded = BookingData::decode( $value );

		$this->assertPlain( $decoded );
		$this->assertSame( array(), BookingDataProbe::$ran, 'no magic method ran' );
	}

	public function test_an_object_in_the_item_meta_comes_out_as_plain_booking_data(): void {
		$probe = serialize( new BookingDataProbe() ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_serialize
		BookingDataProbe::$ran = array();
		$item  = new \WC_Order_Item_Product(
			array(
				'id'        => 3,
				'meta_data' => array(
					array( 'key' => 'yith_booking_data', 'value' => 'a:3:{s:4:"from";i:1764613800;s:7:"persons";i:2;s:5:"extra";' . $probe . '}' ),
				),
			)
		);

		$booking = BookingData::from_item( $item );

		$this->assertSame( array( 'booking_id' => null, 'start' => '2025-12-01 18:30', 'end' => null, 'persons' => 2, 'person_types' => array() ), $booking );
		$this->assertSame( array(), BookingDataProbe::$ran );
	}

	public function test_a_nested_serialized_value_is_not_unserialized_a_second_time(): void {
		// WordPress hands item meta over already unserialized; a string inside it stays a string.
		$probe = serialize( array( 900001 => new BookingDataProbe() ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_serialize
		BookingDataProbe::$ran = array();
		$item  = new \WC_Order_Item_Product(
			array(
				'id'        => 4,
				'meta_data' => array(
					array( 'key' => 'yith_booking_data', 'value' => array( 'from' => 1764613800, 'person_types' => $probe ) ),
				),
			)
		);

		$booking = BookingData::from_item( $item );

		$this->assertSame( array(), BookingDataProbe::$ran );
		$this->assertPlain( $booking );
		$this->assertSame( array(), $booking['person_types'] );
		$this->assertSame( array(), BookingData::person_types( $probe ) );
	}

	public function test_objects_from_the_booking_are_left_out(): void {
		$booking = BookingData::from_values( array( 'from' => 1764613800 ), 5, array( 'person_types' => array( new \stdClass(), array( 'id' => new \stdClass(), 'number' => 2 ), array( 'id' => 900003, 'title' => 'Adult', 'number' => 2 ) ) ) );

		$this->assertPlain( $booking );
		$this->assertSame( array( array( 'id' => 900003, 'title' => 'Adult', 'number' => 2 ) ), $booking['person_types'] );
		$this->assertSame( 2, $booking['persons'] );
	}
}
