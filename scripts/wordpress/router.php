<?php
/**
 * Router for `php -S 127.0.0.1:<port> -t <docroot> scripts/wordpress/router.php`.
 *
 * Serves static files as they are, runs PHP entry points, and sends everything else to
 * index.php (pretty permalinks, /wp-json/). Defines ABSPATH as the docroot first so the
 * site's own wp-config.php is used (WordPress' files are symlinks into /usr/share/wordpress).
 *
 * @package SyncHub
 */

$synchub_root = rtrim( (string) $_SERVER['DOCUMENT_ROOT'], '/' );
$synchub_path = rawurldecode( (string) parse_url( (string) $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );

if ( false !== strpos( $synchub_path, '..' ) || false !== strpos( $synchub_path, "\0" ) ) {
	http_response_code( 400 );
	return true;
}

// Dot files (the site facts with the admin password, .htaccess) and the config are never served.
if ( 1 === preg_match( '#/\.|^/wp-config\.php$#', $synchub_path ) ) {
	http_response_code( 404 );
	return true;
}

$synchub_file = $synchub_root . $synchub_path;
if ( is_dir( $synchub_file ) ) {
	if ( '/' !== substr( $synchub_path, -1 ) ) {
		$synchub_query = (string) parse_url( (string) $_SERVER['REQUEST_URI'], PHP_URL_QUERY );
		header( 'Location: ' . $synchub_path . '/' . ( '' !== $synchub_query ? '?' . $synchub_query : '' ), true, 301 );
		return true;
	}
	$synchub_file = rtrim( $synchub_file, '/' ) . '/index.php';
}

if ( is_file( $synchub_file ) && '.php' !== substr( $synchub_file, -4 ) ) {
	return false; // Static file: let the built-in server send it.
}

$synchub_script = is_file( $synchub_file ) ? $synchub_file : $synchub_root . '/index.php';
define( 'ABSPATH', $synchub_root . '/' );
$_SERVER['SCRIPT_FILENAME'] = $synchub_script;
$_SERVER['SCRIPT_NAME']     = substr( $synchub_script, strlen( $synchub_root ) );
$_SERVER['PHP_SELF']        = $_SERVER['SCRIPT_NAME'];
chdir( dirname( $synchub_script ) );
unset( $synchub_root, $synchub_path, $synchub_file, $synchub_query );

require $synchub_script;
