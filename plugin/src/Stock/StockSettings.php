<?php
/**
 * The `synchub_stock` option: whether stock writes switch on stock management.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Stock;

defined( 'ABSPATH' ) || exit;

/**
 * Settings of the stock endpoint (the SIIGO credentials live in the worker, sealed).
 */
final class StockSettings {

	public const OPTION = 'synchub_stock';

	/**
	 * Stored values with defaults filled in.
	 *
	 * @return array{manage_unmanaged: bool}
	 */
	public static function all(): array {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		return array(
			'manage_unmanaged' => ! empty( $stored['manage_unmanaged'] ),
		);
	}

	/**
	 * Whether a product that does not manage stock gets stock management turned on before the write.
	 */
	public static function manage_unmanaged(): bool {
		return self::all()['manage_unmanaged'];
	}

	/**
	 * Save validated values.
	 *
	 * @param array{manage_unmanaged?: bool} $input Values to change.
	 */
	public static function update( array $input ): void {
		$all = self::all();
		if ( array_key_exists( 'manage_unmanaged', $input ) ) {
			$all['manage_unmanaged'] = (bool) $input['manage_unmanaged'];
		}
		update_option( self::OPTION, $all, false );
	}
}
