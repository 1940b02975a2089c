<?php
/**
 * Creates a throw-away WordPress site from Debian's `wordpress` package (or another unpacked
 * WordPress, such as the WordPress 6.5 + WooCommerce peer), without wp-cli.
 *
 *   php scripts/wordpress/install.php --docroot=/tmp/site --db=synchub_wp_x --url=http://127.0.0.1:8080 \
 *       [--admin-user=admin] [--admin-password=…] [--admin-email=…] [--plugin-dir=plugin] \
 *       [--mu-plugins=dir-or-file,…] [--fresh] [--db-host=127.0.0.1:3306] [--db-user=root] [--db-password=] \
 *       [--wp-source=/usr/share/wordpress] [--plugins=woocommerce,…] [--theme=twentytwentythree]
 *
 * --plugins names plugin folders of the source's wp-content/plugins: they are symlinked and
 * activated before Sync Hub. --theme names a theme folder of the source's wp-content/themes.
 *
 * The docroot symlinks everything of the WordPress source except wp-config.php and wp-content,
 * which are its own; our plugin is symlinked into wp-content/plugins/sync-hub. Because PHP
 * resolves symlinks in __FILE__, WordPress would find Debian's wp-config.php; every entry point
 * (router.php, boot.php) therefore defines ABSPATH as the docroot first.
 * Writes <docroot>/.synchub-site.json with what helpers need. Prints that JSON on success.
 *
 * @package SyncHub
 */

declare(strict_types=1);

$options = getopt(
	'',
	array( 'docroot:', 'db:', 'url:', 'admin-user::', 'admin-password::', 'admin-email::', 'plugin-dir::', 'mu-plugins::', 'fresh', 'db-host::', 'db-user::', 'db-password::', 'phase::', 'wp-source::', 'plugins::', 'theme::' )
);

$phase = isset( $options['phase'] ) ? (string) $options['phase'] : 'all';

if ( 'install' === $phase || 'activate' === $phase ) {
	// WordPress must load at global scope, so boot here rather than inside a function.
	if ( 'install' === $phase ) {
		define( 'WP_INSTALLING', true );
	}
	$synchub_wp_docroot = (string) $options['docroot'];
	require __DIR__ . '/boot.php';
	synchub_run_phase( $phase, $synchub_wp_docroot );
	exit( 0 );
}

foreach ( array( 'docroot', 'db', 'url' ) as $required ) {
	if ( empty( $options[ $required ] ) ) {
		fwrite( STDERR, "install.php: --{$required} is required\n" );
		exit( 2 );
	}
}

$repo = dirname( __DIR__, 2 );
$site = array(
	'docroot'        => rtrim( (string) $options['docroot'], '/' ),
	'db_name'        => (string) $options['db'],
	'db_host'        => isset( $options['db-host'] ) ? (string) $options['db-host'] : '127.0.0.1:3306',
	'db_user'        => isset( $options['db-user'] ) ? (string) $options['db-user'] : 'root',
	'db_password'    => isset( $options['db-password'] ) ? (string) $options['db-password'] : '',
	'url'            => rtrim( (string) $options['url'], '/' ),
	'admin_user'     => isset( $options['admin-user'] ) ? (string) $options['admin-user'] : 'admin',
	'admin_password' => isset( $options['admin-password'] ) ? (string) $options['admin-password'] : bin2hex( random_bytes( 12 ) ),
	'admin_email'    => isset( $options['admin-email'] ) ? (string) $options['admin-email'] : 'admin@example.test',
	'plugin_dir'     => realpath( isset( $options['plugin-dir'] ) ? (string) $options['plugin-dir'] : $repo . '/plugin' ),
	'mu_plugins'     => isset( $options['mu-plugins'] ) && '' !== $options['mu-plugins'] ? explode( ',', (string) $options['mu-plugins'] ) : array(),
	'wp_source'      => rtrim( isset( $options['wp-source'] ) && '' !== $options['wp-source'] ? (string) $options['wp-source'] : '/usr/share/wordpress', '/' ),
	'plugins'        => isset( $options['plugins'] ) && '' !== $options['plugins'] ? explode( ',', (string) $options['plugins'] ) : array(),
	'theme'          => isset( $options['theme'] ) ? (string) $options['theme'] : '',
);

if ( 1 !== preg_match( '/^[A-Za-z0-9_]{1,64}$/', $site['db_name'] ) ) {
	fwrite( STDERR, "install.php: --db must be letters, digits and underscores\n" );
	exit( 2 );
}
if ( false === $site['plugin_dir'] || ! is_file( $site['plugin_dir'] . '/sync-hub.php' ) ) {
	fwrite( STDERR, "install.php: plugin directory with sync-hub.php not found\n" );
	exit( 2 );
}
if ( ! is_file( $site['wp_source'] . '/wp-settings.php' ) ) {
	fwrite( STDERR, "install.php: --wp-source is not a WordPress tree: {$site['wp_source']}\n" );
	exit( 2 );
}
foreach ( $site['plugins'] as $plugin ) {
	if ( 1 !== preg_match( '/^[a-z0-9-]+$/', $plugin ) || ! is_dir( "{$site['wp_source']}/wp-content/plugins/{$plugin}" ) ) {
		fwrite( STDERR, "install.php: plugin folder {$plugin} not found in {$site['wp_source']}/wp-content/plugins\n" );
		exit( 2 );
	}
}
if ( '' !== $site['theme'] && ( 1 !== preg_match( '/^[a-z0-9-]+$/', $site['theme'] ) || ! is_dir( "{$site['wp_source']}/wp-content/themes/{$site['theme']}" ) ) ) {
	fwrite( STDERR, "install.php: theme {$site['theme']} not found in {$site['wp_source']}/wp-content/themes\n" );
	exit( 2 );
}

try {
	synchub_make_docroot( $site );
	synchub_write_config( $site );
	synchub_create_database( $site, isset( $options['fresh'] ) );
	file_put_contents( $site['docroot'] . '/.synchub-site.json', json_encode( $site, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
	synchub_spawn_phase( 'install', $site['docroot'] );
	synchub_spawn_phase( 'activate', $site['docroot'] );
} catch ( RuntimeException $e ) {
	fwrite( STDERR, 'install.php: ' . $e->getMessage() . "\n" );
	exit( 1 );
}

echo json_encode( $site, JSON_UNESCAPED_SLASHES ), "\n";
exit( 0 );

/**
 * Symlink WordPress into the docroot; give it its own wp-content.
 *
 * @param array<string, mixed> $site Site facts.
 */
function synchub_make_docroot( array $site ): void {
	$root = $site['docroot'];
	foreach ( array( $root, "$root/wp-content", "$root/wp-content/plugins", "$root/wp-content/mu-plugins", "$root/wp-content/uploads", "$root/wp-content/themes/synchub-blank" ) as $dir ) {
		if ( ! is_dir( $dir ) && ! mkdir( $dir, 0755, true ) ) {
			throw new RuntimeException( "cannot create $dir" );
		}
	}
	$source = $site['wp_source'];
	foreach ( scandir( $source ) as $entry ) {
		if ( in_array( $entry, array( '.', '..', 'wp-config.php', 'wp-content', 'wp-cron.php' ), true ) ) {
			continue;
		}
		synchub_symlink( $source . '/' . $entry, "$root/$entry" );
	}

	// wp-cron.php loads WordPress only `if ( ! defined( 'ABSPATH' ) )`, but the router defines
	// ABSPATH first (see above): give the site a copy that always loads it.
	$cron  = str_replace( "\r\n", "\n", (string) file_get_contents( $source . '/wp-cron.php' ) ); // Some trees ship CRLF.
	$guard = "if ( ! defined( 'ABSPATH' ) ) {\n\t/** Set up WordPress environment */\n\trequire_once __DIR__ . '/wp-load.php';\n}";
	if ( false === strpos( $cron, $guard ) ) {
		throw new RuntimeException( 'wp-cron.php of this WordPress version has an unexpected bootstrap; update install.php' );
	}
	if ( is_link( "$root/wp-cron.php" ) ) {
		unlink( "$root/wp-cron.php" );
	}
	file_put_contents( "$root/wp-cron.php", str_replace( $guard, "require_once ABSPATH . 'wp-load.php';", $cron ) );
	synchub_symlink( $site['plugin_dir'], "$root/wp-content/plugins/sync-hub" );
	foreach ( $site['plugins'] as $plugin ) {
		synchub_symlink( "$source/wp-content/plugins/$plugin", "$root/wp-content/plugins/$plugin" );
	}
	if ( '' !== $site['theme'] ) {
		synchub_symlink( "$source/wp-content/themes/{$site['theme']}", "$root/wp-content/themes/{$site['theme']}" );
	}

	// Core translations from Debian's wordpress-l10n, when installed (needed e.g. for is_rtl() in fa_IR).
	if ( is_dir( $source . '/wp-content/languages' ) ) {
		synchub_symlink( $source . '/wp-content/languages', "$root/wp-content/languages" );
	}

	foreach ( $site['mu_plugins'] as $source ) {
		$source = realpath( $source );
		if ( false === $source ) {
			continue;
		}
		$files = is_dir( $source ) ? glob( $source . '/*.php' ) : array( $source );
		foreach ( $files as $file ) {
			synchub_symlink( $file, "$root/wp-content/mu-plugins/" . basename( $file ) );
		}
	}

	// A blank theme, so the front end and wp-admin do not complain about a missing theme.
	file_put_contents( "$root/wp-content/themes/synchub-blank/style.css", "/*\nTheme Name: Sync Hub Blank\nDescription: Test-only theme.\n*/\n" );
	file_put_contents( "$root/wp-content/themes/synchub-blank/index.php", "<?php\n// Silence is golden.\n" );
}

/**
 * Create (or replace) a symlink.
 *
 * @param string $target Existing path.
 * @param string $link   Link to create.
 */
function synchub_symlink( string $target, string $link ): void {
	if ( is_link( $link ) ) {
		unlink( $link );
	}
	if ( ! file_exists( $link ) && ! symlink( $target, $link ) ) {
		throw new RuntimeException( "cannot link $link" );
	}
}

/**
 * Write the site's own wp-config.php.
 *
 * @param array<string, mixed> $site Site facts.
 */
function synchub_write_config( array $site ): void {
	$salts = '';
	foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $name ) {
		$salts .= sprintf( "define( '%s', '%s' );\n", $name, bin2hex( random_bytes( 32 ) ) );
	}
	$export = static function ( $value ): string {
		return var_export( $value, true );
	};
	$config = "<?php\n// Generated by scripts/wordpress/install.php for a test site. Do not commit.\n"
		. 'define( \'DB_NAME\', ' . $export( $site['db_name'] ) . " );\n"
		. 'define( \'DB_USER\', ' . $export( $site['db_user'] ) . " );\n"
		. 'define( \'DB_PASSWORD\', ' . $export( $site['db_password'] ) . " );\n"
		. 'define( \'DB_HOST\', ' . $export( $site['db_host'] ) . " );\n"
		. "define( 'DB_CHARSET', 'utf8mb4' );\ndefine( 'DB_COLLATE', '' );\n"
		. $salts
		. "\$table_prefix = 'wp_';\n"
		. 'define( \'WP_HOME\', ' . $export( $site['url'] ) . " );\n"
		. 'define( \'WP_SITEURL\', ' . $export( $site['url'] ) . " );\n"
		. "define( 'WP_DEBUG', true );\n"
		. "define( 'WP_DEBUG_DISPLAY', false );\n"
		. 'define( \'WP_DEBUG_LOG\', ' . $export( $site['docroot'] . '/debug.log' ) . " );\n"
		. "define( 'WP_ENVIRONMENT_TYPE', 'local' );\n"
		. "define( 'DISABLE_WP_CRON', true ); // Tests call wp-cron.php themselves.\n"
		. "define( 'AUTOMATIC_UPDATER_DISABLED', true );\n"
		. "define( 'WP_AUTO_UPDATE_CORE', false );\n"
		. "define( 'WP_HTTP_BLOCK_EXTERNAL', true ); // Loopback only; no network here.\n"
		. "define( 'WP_ACCESSIBLE_HOSTS', '127.0.0.1,localhost' );\n"
		. "define( 'CONCATENATE_SCRIPTS', false );\n"
		. "define( 'FS_METHOD', 'direct' );\n"
		. "define( 'WP_DISABLE_FATAL_ERROR_HANDLER', true ); // Plain PHP errors in tests, not the recovery page.\n"
		. "define( 'WP_DEFAULT_THEME', 'synchub-blank' );\n"
		. "if ( ! defined( 'ABSPATH' ) ) {\n\tdefine( 'ABSPATH', __DIR__ . '/' );\n}\n"
		. "require_once ABSPATH . 'wp-settings.php';\n";
	if ( false === file_put_contents( $site['docroot'] . '/wp-config.php', $config ) ) {
		throw new RuntimeException( 'cannot write wp-config.php' );
	}
}

/**
 * Create the site's database.
 *
 * @param array<string, mixed> $site  Site facts.
 * @param bool                 $fresh Drop it first.
 */
function synchub_create_database( array $site, bool $fresh ): void {
	list( $host, $port ) = array_pad( explode( ':', $site['db_host'], 2 ), 2, '3306' );
	mysqli_report( MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT );
	try {
		$db = new mysqli( $host, $site['db_user'], $site['db_password'], '', (int) $port );
		if ( $fresh ) {
			$db->query( "DROP DATABASE IF EXISTS `{$site['db_name']}`" );
		}
		$db->query( "CREATE DATABASE IF NOT EXISTS `{$site['db_name']}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" );
		$db->close();
	} catch ( mysqli_sql_exception $e ) {
		throw new RuntimeException( 'database: ' . $e->getMessage() );
	}
}

/**
 * Run one phase in a fresh PHP process (WordPress loads once per process).
 *
 * @param string $phase   'install' or 'activate'.
 * @param string $docroot Docroot.
 */
function synchub_spawn_phase( string $phase, string $docroot ): void {
	$command = escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( __FILE__ ) . ' --phase=' . $phase . ' --docroot=' . escapeshellarg( $docroot ) . ' 2>&1';
	exec( $command, $output, $status );
	if ( 0 !== $status ) {
		throw new RuntimeException( "phase $phase failed:\n" . implode( "\n", $output ) );
	}
}

/**
 * Inside a fresh process where WordPress is loaded: install it, or activate the plugin.
 *
 * @param string $phase   'install' or 'activate'.
 * @param string $docroot Docroot.
 */
function synchub_run_phase( string $phase, string $docroot ): void {
	$site = json_decode( (string) file_get_contents( rtrim( $docroot, '/' ) . '/.synchub-site.json' ), true );

	if ( 'install' === $phase ) {
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		if ( is_blog_installed() ) {
			return;
		}
		$result = wp_install( 'Sync Hub Test Store', $site['admin_user'], $site['admin_email'], false, '', wp_slash( $site['admin_password'] ) );
		if ( empty( $result['user_id'] ) ) {
			throw new RuntimeException( 'wp_install() created no user' );
		}
		update_option( 'permalink_structure', '/%postname%/' );
		$theme = '' !== (string) ( $site['theme'] ?? '' ) ? (string) $site['theme'] : 'synchub-blank';
		update_option( 'template', $theme );
		update_option( 'stylesheet', $theme );
		return;
	}

	require_once ABSPATH . 'wp-admin/includes/plugin.php';
	flush_rewrite_rules( false );
	foreach ( (array) ( $site['plugins'] ?? array() ) as $plugin ) {
		$file   = synchub_plugin_file( (string) $plugin );
		$result = activate_plugin( $file );
		if ( is_wp_error( $result ) ) {
			throw new RuntimeException( "activate_plugin($file): " . $result->get_error_message() );
		}
	}
	$result = activate_plugin( 'sync-hub/sync-hub.php' );
	if ( is_wp_error( $result ) ) {
		throw new RuntimeException( 'activate_plugin: ' . $result->get_error_message() );
	}
}

/**
 * The main file of a plugin folder (`woocommerce` → `woocommerce/woocommerce.php`).
 *
 * @param string $folder Plugin folder.
 */
function synchub_plugin_file( string $folder ): string {
	foreach ( array_keys( get_plugins( '/' . $folder ) ) as $file ) {
		return $folder . '/' . $file;
	}
	throw new RuntimeException( "no plugin header in wp-content/plugins/$folder" );
}
