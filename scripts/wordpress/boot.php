<?php
/**
 * Loads a harness site's WordPress in a CLI process. Include at GLOBAL scope (WordPress relies
 * on globals), after setting $synchub_wp_docroot or the SYNCHUB_WP_DOCROOT environment variable.
 *
 * Defines ABSPATH as the docroot so the docroot's own wp-config.php is used even though
 * wp-load.php is a symlink into /usr/share/wordpress.
 *
 * @package SyncHub
 */

if ( empty( $synchub_wp_docroot ) ) {
	$synchub_wp_docroot = (string) getenv( 'SYNCHUB_WP_DOCROOT' );
}
if ( '' === $synchub_wp_docroot || ! is_file( rtrim( $synchub_wp_docroot, '/' ) . '/.synchub-site.json' ) ) {
	fwrite( STDERR, "boot.php: set SYNCHUB_WP_DOCROOT to a site made by scripts/wordpress/install.php\n" );
	exit( 2 );
}
$synchub_wp_docroot = rtrim( $synchub_wp_docroot, '/' );
$synchub_wp_site    = json_decode( (string) file_get_contents( $synchub_wp_docroot . '/.synchub-site.json' ), true );

// Request facts WordPress reads even on the command line.
$synchub_wp_parts           = parse_url( $synchub_wp_site['url'] );
$_SERVER['HTTP_HOST']       = $synchub_wp_parts['host'] . ( isset( $synchub_wp_parts['port'] ) ? ':' . $synchub_wp_parts['port'] : '' );
$_SERVER['SERVER_NAME']     = $synchub_wp_parts['host'];
$_SERVER['SERVER_PORT']     = isset( $synchub_wp_parts['port'] ) ? (string) $synchub_wp_parts['port'] : '80';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', $synchub_wp_docroot . '/' );
}

global $table_prefix, $wpdb, $wp, $wp_query, $wp_the_query, $wp_rewrite, $wp_roles, $wp_locale, $wp_version, $wp_db_version, $wp_plugin_paths;
require_once ABSPATH . 'wp-load.php';
