<?php
/**
 * Remove a harness site: drop its database and delete its docroot.
 *
 *   php scripts/wordpress/destroy.php <docroot>
 *
 * @package SyncHub
 */

declare(strict_types=1);

$docroot = rtrim( $argv[1] ?? '', '/' );
$facts   = $docroot . '/.synchub-site.json';
if ( '' === $docroot || ! is_file( $facts ) ) {
	fwrite( STDERR, "destroy.php: not a harness site: {$docroot}\n" );
	exit( 2 );
}
$site = json_decode( (string) file_get_contents( $facts ), true );

if ( 1 === preg_match( '/^[A-Za-z0-9_]{1,64}$/', (string) $site['db_name'] ) ) {
	list( $host, $port ) = array_pad( explode( ':', (string) $site['db_host'], 2 ), 2, '3306' );
	mysqli_report( MYSQLI_REPORT_OFF );
	$db = @new mysqli( $host, (string) $site['db_user'], (string) $site['db_password'], '', (int) $port );
	if ( ! $db->connect_errno ) {
		$db->query( "DROP DATABASE IF EXISTS `{$site['db_name']}`" );
		$db->close();
	}
}

// Delete the docroot without following its symlinks into /usr/share/wordpress or the repo.
$remove = static function ( string $path ) use ( &$remove ): void {
	if ( is_link( $path ) || is_file( $path ) ) {
		unlink( $path );
		return;
	}
	if ( is_dir( $path ) ) {
		foreach ( scandir( $path ) as $entry ) {
			if ( '.' !== $entry && '..' !== $entry ) {
				$remove( $path . '/' . $entry );
			}
		}
		rmdir( $path );
	}
};
$remove( $docroot );
