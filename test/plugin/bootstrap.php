<?php
/**
 * PHPUnit bootstrap: WordPress must already be loaded (see load-wordpress.php).
 *
 * @package SyncHub\Tests
 */

if ( ! defined( 'ABSPATH' ) || ! function_exists( 'do_action' ) ) {
	fwrite( STDERR, "Run the plugin tests with scripts/wordpress/phpunit.sh (WordPress must load at global scope first).\n" );
	exit( 2 );
}
if ( ! class_exists( SyncHub\Plugin::class ) ) {
	fwrite( STDERR, "The Sync Hub plugin is not active in the test site.\n" );
	exit( 2 );
}

require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/user.php';
require_once __DIR__ . '/support/TestCase.php';
require_once __DIR__ . '/support/StandInServer.php';
require_once __DIR__ . '/support/RouteCatalog.php';
