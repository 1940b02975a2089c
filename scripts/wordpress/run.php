<?php
/**
 * Run a PHP file inside a harness site's WordPress (CLI, global scope).
 *
 *   php scripts/wordpress/run.php <docroot> <file.php> [args…]
 *
 * The file sees WordPress fully loaded (plugins, mu-plugins, `init` done); its extra
 * arguments are in $synchub_args.
 *
 * @package SyncHub
 */

if ( $argc < 3 ) {
	fwrite( STDERR, "usage: php run.php <docroot> <file.php> [args…]\n" );
	exit( 2 );
}
$synchub_wp_docroot = $argv[1];
$synchub_run_file   = realpath( $argv[2] );
$synchub_args       = array_slice( $argv, 3 );
if ( false === $synchub_run_file ) {
	fwrite( STDERR, "run.php: no such file {$argv[2]}\n" );
	exit( 2 );
}
require __DIR__ . '/boot.php';
require $synchub_run_file;
