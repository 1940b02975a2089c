<?php
/**
 * Plugin Name:          Sync Hub for WooCommerce
 * Description:          Keeps a WooCommerce store in sync with an events store, Odoo, SIIGO and a product ingestion API through a companion worker. Orders and products are written to a durable outbox and delivered as signed webhooks.
 * Version:              0.1.0
 * Requires at least:    6.1
 * Requires PHP:         7.4
 * WC requires at least: 7.1
 * Author:               Sync Hub
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          sync-hub
 * Domain Path:          /languages
 *
 * @package SyncHub
 */

declare(strict_types=1);

namespace SyncHub;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

if ( version_compare( PHP_VERSION, '7.4', '<' ) ) {
	return;
}

if ( defined( 'SYNCHUB_PLUGIN_FILE' ) ) {
	// Another copy of the plugin is already loaded.
	return;
}

define( 'SYNCHUB_PLUGIN_FILE', __FILE__ );

require_once __DIR__ . '/src/autoload.php';
require_once __DIR__ . '/src/bootstrap.php';

init_hooks( __FILE__ );
