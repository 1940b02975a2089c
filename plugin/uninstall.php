<?php
/**
 * Uninstall: drop the outbox table and delete the plugin's options.
 *
 * @package SyncHub
 */

declare(strict_types=1);

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

require_once __DIR__ . '/src/autoload.php';

SyncHub\Install\Uninstaller::uninstall();
