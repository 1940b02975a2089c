<?php
/**
 * Admin page: menu entry, bundle loading, jsx-runtime fallback, page bootstrap data.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Admin;

use SyncHub\Admin\Page;
use SyncHub\Plugin;
use SyncHub\Tests\TestCase;

final class PageTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		wp_set_current_user( $this->make_user( 'administrator' ) );
	}

	public function test_bootstrap_data_for_the_react_page(): void {
		$data = Page::bootstrap_data();
		$this->assertSame( array( 'namespace', 'locale', 'isRtl', 'version', 'pluginUrl' ), array_keys( $data ) );
		$this->assertSame( 'sync-hub/v1', $data['namespace'] );
		$this->assertSame( get_user_locale(), $data['locale'] );
		$this->assertFalse( $data['isRtl'] );
		$this->assertSame( Plugin::VERSION, $data['version'] );
		$this->assertStringEndsWith( '/wp-content/plugins/sync-hub/', $data['pluginUrl'] );
	}

	public function test_jsx_runtime_shim_is_registered_only_where_wordpress_lacks_it(): void {
		$scripts = wp_scripts();
		$had     = $scripts->query( 'react-jsx-runtime', 'registered' );
		if ( $had ) {
			$original = $scripts->registered['react-jsx-runtime']->src;
			Page::register_jsx_runtime_fallback();
			$this->assertSame( $original, $scripts->registered['react-jsx-runtime']->src, 'core handle untouched (WordPress ≥ 6.6)' );
			return;
		}
		Page::register_jsx_runtime_fallback();
		$shim = $scripts->registered['react-jsx-runtime'];
		$this->assertStringEndsWith( '/sync-hub/assets/react-jsx-runtime.js', $shim->src );
		$this->assertSame( array( 'react' ), $shim->deps );
		$this->assertFileExists( Plugin::dir() . 'assets/react-jsx-runtime.js' );
		wp_deregister_script( 'react-jsx-runtime' );
	}

	public function test_menu_entry_requires_manage_woocommerce(): void {
		global $submenu;
		Page::on_admin_menu();
		$slugs = array_column( isset( $submenu['tools.php'] ) ? $submenu['tools.php'] : array(), 2 );
		$this->assertContains( 'sync-hub', $slugs, 'under Tools while WooCommerce is missing' );
		$entry = array_values( array_filter( $submenu['tools.php'], static function ( $item ) { return 'sync-hub' === $item[2]; } ) )[0];
		$this->assertSame( 'manage_woocommerce', $entry[1] );
	}

	public function test_bundle_translations_and_bootstrap_are_enqueued_on_the_page(): void {
		if ( ! is_readable( Plugin::dir() . 'build/index.asset.php' ) ) {
			$this->markTestSkipped( 'plugin/build is not built (npm run build -w admin-ui); npm test builds it first.' );
		}
		global $submenu;
		Page::on_admin_menu();
		$hook = get_plugin_page_hookname( 'sync-hub', 'tools.php' );
		Page::on_admin_enqueue_scripts( 'index.php' );
		$this->assertFalse( wp_script_is( Page::SCRIPT_HANDLE, 'enqueued' ), 'not on other admin pages' );

		Page::on_admin_enqueue_scripts( $hook );
		$this->assertTrue( wp_script_is( Page::SCRIPT_HANDLE, 'enqueued' ) );
		$script = wp_scripts()->registered[ Page::SCRIPT_HANDLE ];
		$asset  = include Plugin::dir() . 'build/index.asset.php';
		$this->assertSame( $asset['dependencies'], $script->deps );
		$this->assertSame( $asset['version'], $script->ver );
		$this->assertStringContainsString( 'window.syncHubAdmin = {"namespace":"sync-hub\/v1"', implode( '', $script->extra['before'] ) );
		$this->assertSame( 'sync-hub', $script->textdomain );
		$this->assertSame( Plugin::dir() . 'languages', $script->translations_path );
		foreach ( $asset['dependencies'] as $dependency ) {
			$this->assertTrue( wp_script_is( $dependency, 'registered' ), "dependency $dependency is available on this WordPress" );
		}
		wp_dequeue_script( Page::SCRIPT_HANDLE );
	}
}
