<?php
/**
 * YITH booking data of an order line item, in the shape the worker reads.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Bookings;

defined( 'ABSPATH' ) || exit;

/**
 * Reads what YITH Booking stores on an order item (`yith_booking_data`, `_booking_id`) and,
 * when YITH is active, the booking itself; returns start, end, persons, person types, booking id.
 *
 * YITH keeps `from`/`to` as the shop's wall-clock time encoded as a Unix timestamp read in UTC,
 * so `gmdate()` gives back the time the customer picked.
 *
 * Item meta arrives already unserialized by WordPress; a value is decoded at most once more (a
 * source that hands over the raw string), never with classes, and objects are dropped: order
 * item meta can be written by other plugins and customers' input, so it must not be able to
 * instantiate classes (object injection).
 */
final class BookingData {

	public const META_KEY = 'synchub_booking';

	/**
	 * Booking data of a line item, or null when the item is not a booking.
	 *
	 * @param object $item WC_Order_Item_Product.
	 * @return array<string, mixed>|null
	 */
	public static function from_item( $item ): ?array {
		if ( ! is_object( $item ) || ! method_exists( $item, 'get_meta_data' ) ) {
			return null;
		}
		$data       = null;
		$booking_id = 0;
		foreach ( $item->get_meta_data() as $meta ) {
			$entry = method_exists( $meta, 'get_data' ) ? $meta->get_data() : (array) $meta;
			$key   = isset( $entry['key'] ) ? (string) $entry['key'] : '';
			if ( 'yith_booking_data' === $key ) {
				$data = self::decode( $entry['value'] ?? null );
			} elseif ( '_booking_id' === $key && isset( $entry['value'] ) && is_scalar( $entry['value'] ) ) {
				$booking_id = absint( $entry['value'] );
			}
		}
		$booking = array();
		if ( $booking_id > 0 && function_exists( 'yith_get_booking' ) ) {
			$booking = self::from_yith_booking( yith_get_booking( $booking_id ) );
		}
		return self::from_values( null !== $data ? $data : array(), $booking_id, $booking );
	}

	/**
	 * A stored value as plain data: an array as it is, a serialized string decoded once without
	 * classes; objects anywhere inside are dropped. Anything else is null.
	 *
	 * @param mixed $value Meta value.
	 * @return array<mixed>|null
	 */
	public static function decode( $value ): ?array {
		if ( is_string( $value ) && is_serialized( $value ) ) {
			$value = @unserialize( trim( $value ), array( 'allowed_classes' => false ) ); // phpcs:ignore Generic.PHP.NoSilencedErrors.Forbidden,Generic.PHP.ForbiddenFunctions.FoundWithAlternative -- YITH stores PHP-serialized meta; classes off; a broken value is just not booking data.
		}
		return is_array( $value ) ? self::without_objects( $value ) : null;
	}

	/**
	 * The array with every object (at any depth) left out.
	 *
	 * @param array<mixed> $data Data.
	 * @return array<mixed>
	 */
	private static function without_objects( array $data ): array {
		$plain = array();
		foreach ( $data as $key => $value ) {
			if ( is_array( $value ) ) {
				$plain[ $key ] = self::without_objects( $value );
			} elseif ( ! is_object( $value ) ) {
				$plain[ $key ] = $value;
			}
		}
		return $plain;
	}

	/**
	 * Pure: item booking data (+ values read from the booking post) → the `synchub_booking` value.
	 *
	 * @param array<string, mixed> $data       `yith_booking_data` of the item.
	 * @param int                  $booking_id `_booking_id` of the item, 0 when none.
	 * @param array<string, mixed> $booking    Values read from the YITH booking (from, to, persons, person_types).
	 * @return array<string, mixed>|null
	 */
	public static function from_values( array $data, int $booking_id, array $booking = array() ): ?array {
		$values = array_merge( self::without_objects( $data ), array_filter( self::without_objects( $booking ), static function ( $value ) {
			return null !== $value && '' !== $value && array() !== $value;
		} ) );
		if ( ! isset( $values['from'] ) || ! is_numeric( $values['from'] ) ) {
			return null;
		}
		$types   = self::person_types( isset( $values['person_types'] ) ? $values['person_types'] : array() );
		$persons = isset( $values['persons'] ) && is_numeric( $values['persons'] ) ? (int) $values['persons'] : 0;
		if ( $persons <= 0 ) {
			$persons = max( 1, (int) array_sum( array_column( $types, 'number' ) ) );
		}
		$to = isset( $values['to'] ) && is_numeric( $values['to'] ) ? (int) $values['to'] : 0;
		return array(
			'booking_id'   => $booking_id > 0 ? $booking_id : null,
			'start'        => gmdate( 'Y-m-d H:i', (int) $values['from'] ),
			'end'          => $to > 0 ? gmdate( 'Y-m-d H:i', $to ) : null,
			'persons'      => $persons,
			'person_types' => $types,
		);
	}

	/**
	 * YITH person types: a map id ⇒ number in item data, a list of {id, title, number} on bookings.
	 *
	 * Already decoded with the data around it: a string here is not unserialized again.
	 *
	 * @param mixed $raw Person types as stored.
	 * @return array<int, array{id: int, title: string, number: int}>
	 */
	public static function person_types( $raw ): array {
		$types = array();
		if ( ! is_array( $raw ) ) {
			return $types;
		}
		foreach ( $raw as $key => $value ) {
			if ( is_array( $value ) && isset( $value['id'] ) ) {
				$id     = is_scalar( $value['id'] ) ? absint( $value['id'] ) : 0;
				$number = isset( $value['number'] ) && is_scalar( $value['number'] ) ? (int) $value['number'] : 0;
				$title  = isset( $value['title'] ) && is_scalar( $value['title'] ) ? (string) $value['title'] : '';
			} elseif ( ! is_scalar( $value ) ) {
				continue;
			} else {
				$id     = absint( $key );
				$number = (int) $value;
				$title  = '';
			}
			if ( $id <= 0 || $number <= 0 ) {
				continue;
			}
			if ( '' === $title && function_exists( 'get_the_title' ) ) {
				$title = (string) get_the_title( $id );
			}
			$types[] = array(
				'id'     => $id,
				'title'  => $title,
				'number' => $number,
			);
		}
		return $types;
	}

	/**
	 * Values of a YITH booking object, through its public getters when present.
	 *
	 * @param mixed $booking YITH_WCBK_Booking or false.
	 * @return array<string, mixed>
	 */
	private static function from_yith_booking( $booking ): array {
		if ( ! is_object( $booking ) ) {
			return array();
		}
		$values = array();
		foreach ( array( 'from' => 'get_from', 'to' => 'get_to', 'persons' => 'get_persons', 'person_types' => 'get_person_types' ) as $key => $getter ) {
			if ( method_exists( $booking, $getter ) ) {
				$values[ $key ] = $booking->$getter();
			}
		}
		return $values;
	}
}
