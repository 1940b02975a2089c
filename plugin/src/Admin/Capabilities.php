<?php
/**
 * Who may manage Sync Hub.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Admin;

defined( 'ABSPATH' ) || exit;

use SyncHub\Rest\Controller;
use SyncHub\WooCommerce;

/**
 * The plugin uses WooCommerce's `manage_woocommerce` capability (administrators and shop
 * managers). Without WooCommerce no role holds it, so users who can `manage_options` are given
 * it; the settings and outbox pages stay usable while WooCommerce is missing.
 */
final class Capabilities {

	/**
	 * On `user_has_cap`.
	 *
	 * @param array<string, bool> $allcaps The user's primitive capabilities.
	 * @param string[]            $caps    Primitive capabilities being checked.
	 * @return array<string, bool>
	 */
	public static function on_user_has_cap( $allcaps, $caps ): array {
		$allcaps = (array) $allcaps;
		if (
			in_array( Controller::CAPABILITY, (array) $caps, true )
			&& empty( $allcaps[ Controller::CAPABILITY ] )
			&& ! empty( $allcaps['manage_options'] )
			&& ! WooCommerce::is_active()
		) {
			$allcaps[ Controller::CAPABILITY ] = true;
		}
		return $allcaps;
	}
}
