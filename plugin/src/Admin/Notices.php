<?php
/**
 * Admin notices.
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub\Admin;

defined( 'ABSPATH' ) || exit;

use SyncHub\WooCommerce;

/**
 * Tells administrators what is missing instead of failing.
 */
final class Notices {

	/**
	 * On `admin_notices`: WooCommerce is not active.
	 */
	public static function on_admin_notices(): void {
		if ( WooCommerce::is_active() || ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		printf(
			'<div class="notice notice-warning synchub-notice-no-woocommerce"><p>%s</p></div>',
			esc_html__( 'Sync Hub for WooCommerce needs WooCommerce to record orders. Install and activate WooCommerce; until then the settings and the outbox keep working, but no order events are recorded.', 'sync-hub' )
		);
	}
}
