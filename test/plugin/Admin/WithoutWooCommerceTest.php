<?php
/**
 * Without WooCommerce (and without the test double): no fatal error, an admin notice,
 * settings and outbox still work. Exercised over real HTTP against the harness site.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Admin;

use SyncHub\Tests\TestCase;

final class WithoutWooCommerceTest extends TestCase {

	/**
	 * The `php -S` process serving the site without the WooCommerce double.
	 *
	 * @var resource|null
	 */
	private static $server;

	/**
	 * Base URL of that server.
	 *
	 * @var string
	 */
	private static $url = '';

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$url = untrailingslashit( home_url() );
		$port      = (int) wp_parse_url( self::$url, PHP_URL_PORT );
		$env       = array_merge( getenv(), array( 'SYNCHUB_NO_WC_DOUBLE' => '1' ) );
		unset( $env['PHP_CLI_SERVER_WORKERS'] );
		self::$server = proc_open(
			array( PHP_BINARY, '-S', "127.0.0.1:{$port}", '-t', ABSPATH, dirname( __DIR__, 3 ) . '/scripts/wordpress/router.php' ),
			array(
				1 => array( 'file', '/dev/null', 'w' ),
				2 => array( 'file', '/dev/null', 'w' ),
			),
			$pipes,
			null,
			$env
		);
		for ( $i = 0; $i < 100; $i++ ) {
			$socket = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.1 ); // phpcs:ignore
			if ( $socket ) {
				fclose( $socket );
				return;
			}
			usleep( 50000 );
		}
	}

	public static function tearDownAfterClass(): void {
		if ( is_resource( self::$server ) ) {
			proc_terminate( self::$server );
			proc_close( self::$server );
		}
		parent::tearDownAfterClass();
	}

	/**
	 * Log in as the site's administrator; return the auth cookies.
	 *
	 * @return \WP_Http_Cookie[]
	 */
	private function log_in(): array {
		$site     = json_decode( (string) file_get_contents( ABSPATH . '.synchub-site.json' ), true );
		$response = wp_remote_post(
			self::$url . '/wp-login.php',
			array(
				'redirection' => 0,
				'cookies'     => array( 'wordpress_test_cookie' => 'WP Cookie check' ),
				'body'        => array(
					'log'         => $site['admin_user'],
					'pwd'         => $site['admin_password'],
					'testcookie'  => '1',
					'redirect_to' => self::$url . '/wp-admin/',
				),
			)
		);
		$this->assertNotWPError( $response );
		$this->assertSame( 302, wp_remote_retrieve_response_code( $response ), 'login redirects' );
		$cookies = wp_remote_retrieve_cookies( $response );
		$this->assertNotEmpty( $cookies );
		return $cookies;
	}

	public function test_admin_page_renders_with_a_notice_instead_of_a_fatal(): void {
		$cookies  = $this->log_in();
		$response = wp_remote_get( self::$url . '/wp-admin/tools.php?page=sync-hub', array( 'cookies' => $cookies, 'redirection' => 0 ) );
		$this->assertNotWPError( $response );
		$html = wp_remote_retrieve_body( $response );

		$this->assertSame( 200, wp_remote_retrieve_response_code( $response ), substr( wp_strip_all_tags( $html ), 0, 500 ) );
		$this->assertStringContainsString( 'synchub-notice-no-woocommerce', $html );
		$this->assertStringContainsString( 'needs WooCommerce', $html );
		$this->assertStringContainsString( '<div id="synchub-admin-root"></div>', $html );
		$this->assertStringNotContainsString( 'critical error', $html );
		$this->assertStringContainsString( 'page=sync-hub', $html, 'menu entry under Tools' );
	}

	public function test_settings_and_outbox_routes_work_through_rest_with_a_nonce(): void {
		$cookies = $this->log_in();
		// What wp-api-fetch uses to refresh its nonce: admin-ajax.php?action=rest-nonce.
		$nonce = wp_remote_retrieve_body( wp_remote_get( self::$url . '/wp-admin/admin-ajax.php?action=rest-nonce', array( 'cookies' => $cookies ) ) );
		$this->assertSame( 1, preg_match( '/^[0-9a-f]{10}$/', $nonce ), $nonce );

		$without_nonce = wp_remote_get( self::$url . '/wp-json/sync-hub/v1/settings', array( 'cookies' => $cookies ) );
		$this->assertSame( 401, wp_remote_retrieve_response_code( $without_nonce ), 'cookie auth without the REST nonce is anonymous' );

		$settings = wp_remote_get( self::$url . '/wp-json/sync-hub/v1/settings', array( 'cookies' => $cookies, 'headers' => array( 'X-WP-Nonce' => $nonce ) ) );
		$this->assertSame( 200, wp_remote_retrieve_response_code( $settings ) );
		$data = json_decode( wp_remote_retrieve_body( $settings ), true );
		$this->assertArrayHasKey( 'has_webhook_secret', $data );
		$this->assertArrayNotHasKey( 'webhook_secret', $data );

		$outbox = wp_remote_get( self::$url . '/wp-json/sync-hub/v1/outbox', array( 'cookies' => $cookies, 'headers' => array( 'X-WP-Nonce' => $nonce ) ) );
		$this->assertSame( 200, wp_remote_retrieve_response_code( $outbox ) );
		$this->assertSame( array( 'pending', 'delivered', 'failed' ), array_keys( json_decode( wp_remote_retrieve_body( $outbox ), true )['counts'] ) );
	}

	public function test_order_hooks_do_nothing_and_do_not_fail_without_woocommerce(): void {
		$file = tempnam( sys_get_temp_dir(), 'synchub-nowc-' ) . '.php';
		file_put_contents(
			$file,
			'<?php echo wp_json_encode( array(
				"wc_order"    => class_exists( "WC_Order" ),
				"wc_get_order" => function_exists( "wc_get_order" ),
				"record_paid" => SyncHub\Orders\OrderEvents::record_paid( 12 ),
				"hook_ran"    => ( function () { do_action( "woocommerce_payment_complete", 12, "x" ); return true; } )(),
				"record"      => is_string( SyncHub\Outbox\Outbox::record( "order.paid", "order:12", array( "id" => 12 ), "/webhook/order" ) ),
			) );'
		);
		$command = array( PHP_BINARY, dirname( __DIR__, 3 ) . '/scripts/wordpress/run.php', ABSPATH, $file );
		$process = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes, null, array_merge( getenv(), array( 'SYNCHUB_NO_WC_DOUBLE' => '1' ) ) );
		$stdout  = stream_get_contents( $pipes[1] );
		$stderr  = stream_get_contents( $pipes[2] );
		$status  = proc_close( $process );
		unlink( $file );

		$this->assertSame( 0, $status, $stdout . $stderr );
		$this->assertSame(
			array(
				'wc_order'     => false,
				'wc_get_order' => false,
				'record_paid'  => null,
				'hook_ran'     => true,
				'record'       => true,
			),
			json_decode( (string) $stdout, true )
		);
	}

	/**
	 * @param mixed $value Value.
	 */
	private function assertNotWPError( $value ): void {
		$this->assertFalse( is_wp_error( $value ), is_wp_error( $value ) ? $value->get_error_message() : '' );
	}
}
