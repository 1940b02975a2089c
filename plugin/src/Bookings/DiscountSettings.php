<?php
/**
 * The cart volume discount rule, stored in the plugin settings.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Bookings;

defined( 'ABSPATH' ) || exit;

use WP_Error;

/**
 * `synchub_bookings_discount`: on/off, threshold (persons or classes) and percent.
 */
final class DiscountSettings {

	public const OPTION = 'synchub_bookings_discount';

	public const MAX_THRESHOLD = 1000;

	/**
	 * Defaults: 5 % from 4 persons or classes, on.
	 *
	 * @return array{enabled: bool, threshold: int, percent: float}
	 */
	public static function defaults(): array {
		return array(
			'enabled'   => true,
			'threshold' => 4,
			'percent'   => 5.0,
		);
	}

	/**
	 * The rule in force.
	 *
	 * @return array{enabled: bool, threshold: int, percent: float}
	 */
	public static function get(): array {
		$stored = get_option( self::OPTION, array() );
		$valid  = self::validate( is_array( $stored ) ? $stored : array() );
		return is_wp_error( $valid ) ? self::defaults() : $valid;
	}

	/**
	 * Validate a (partial) rule over the current one; every field error is named.
	 *
	 * @param array<string, mixed> $input Fields to change.
	 * @param array<string, mixed> $base  Values the input is merged over (defaults when empty).
	 * @return array{enabled: bool, threshold: int, percent: float}|WP_Error
	 */
	public static function validate( array $input, array $base = array() ) {
		$rule   = array_merge( self::defaults(), $base );
		$errors = array();
		if ( array_key_exists( 'enabled', $input ) ) {
			if ( is_bool( $input['enabled'] ) ) {
				$rule['enabled'] = $input['enabled'];
			} else {
				$errors['enabled'] = __( 'Must be true or false.', 'sync-hub' );
			}
		}
		if ( array_key_exists( 'threshold', $input ) ) {
			$threshold = $input['threshold'];
			if ( is_int( $threshold ) || ( is_string( $threshold ) && ctype_digit( $threshold ) ) ) {
				$threshold = (int) $threshold;
			}
			if ( is_int( $threshold ) && $threshold >= 1 && $threshold <= self::MAX_THRESHOLD ) {
				$rule['threshold'] = $threshold;
			} else {
				/* translators: %d: the largest threshold allowed. */
				$errors['threshold'] = sprintf( __( 'Must be a whole number from 1 to %d.', 'sync-hub' ), self::MAX_THRESHOLD );
			}
		}
		if ( array_key_exists( 'percent', $input ) ) {
			$percent = $input['percent'];
			if ( is_numeric( $percent ) && (float) $percent > 0 && (float) $percent <= 100 ) {
				$rule['percent'] = round( (float) $percent, 2 );
			} else {
				$errors['percent'] = __( 'Must be a number greater than 0 and at most 100.', 'sync-hub' );
			}
		}
		if ( $errors ) {
			return new WP_Error(
				'synchub_invalid_discount',
				__( 'The discount rule is not valid.', 'sync-hub' ),
				array(
					'status' => 400,
					'fields' => $errors,
				)
			);
		}
		return array(
			'enabled'   => (bool) $rule['enabled'],
			'threshold' => (int) $rule['threshold'],
			'percent'   => (float) $rule['percent'],
		);
	}

	/**
	 * Validate and store; nothing is written when a field is invalid.
	 *
	 * @param array<string, mixed> $input Fields to change.
	 * @return array{enabled: bool, threshold: int, percent: float}|WP_Error
	 */
	public static function save( array $input ) {
		$rule = self::validate( $input, self::get() );
		if ( is_wp_error( $rule ) ) {
			return $rule;
		}
		update_option( self::OPTION, $rule, false );
		return $rule;
	}
}
