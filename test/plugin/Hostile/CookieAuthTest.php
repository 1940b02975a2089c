<?php
/**
 * Every route of `sync-hub/v1` over real HTTP against the harness site: without credentials, with
 * an administrator's login cookie but no REST nonce, and with a forged nonce. None may act, write
 * or reach the worker.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Hostile;

use SyncHub\Settings\Settings;
use SyncHub\Tests\RouteCatalog;
use SyncHub\Tests\StandInServer;
use SyncHub\Tests\TestCase;

final class CookieAuthTest extends TestCase {

	/**
	 * The `php -S` process serving the site.
	 *
	 * @var resource|null
	 */
	private static $site;

	/**
	 * Base URL of the site.
	 *
	 * @var string
	 */
	private static $url = '';

	/**
	 * The administrator's login cookies.
	 *
	 * @var \WP_Http_Cookie[]
	 */
	private static $cookies = array();

	/**
	 * Records any request that reaches "the worker".
	 *
	 * @var StandInServer
	 */
	private $worker;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$url = untrailingslashit( home_url() );
		$port      = (int) wp_parse_url( self::$url, PHP_URL_PORT );
		$env       = getenv();
		unset( $env['PHP_CLI_SERVER_WORKERS'], $env['SYNCHUB_NO_WC_DOUBLE'] );
		self::$site = proc_open(
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
				break;
			}
			usleep( 50000 );
		}
		self::$cookies = self::log_in();
	}

	public static function tearDownAfterClass(): void {
		if ( is_resource( self::$site ) ) {
			proc_terminate( self::$site );
			proc_close( self::$site );
		}
		parent::tearDownAfterClass();
	}

	protected function setUp(): void {
		parent::setUp();
		$this->worker = StandInServer::start();
		update_option( Settings::OPTION, array_merge( Settings::all(), array( 'worker_url' => $this->worker->url() ) ) );
		\SyncHub\Outbox\Outbox::record( 'order.paid', 'order:1', array( 'id' => 1 ), '/webhook/order' );
	}

	protected function tearDown(): void {
		$this->worker->stop();
		parent::tearDown();
	}

	/**
	 * Log in as the site's administrator through wp-login.php.
	 *
	 * @return \WP_Http_Cookie[]
	 */
	private static function log_in(): array {
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
		return is_wp_error( $response ) ? array() : wp_remote_retrieve_cookies( $response );
	}

	/**
	 * One HTTP request to the site's REST API.
	 *
	 * @param string               $method  Method.
	 * @param string               $path    Route path.
	 * @param array<string, mixed> $params  Parameters (query for GET, JSON body otherwise).
	 * @param array<string, mixed> $options cookies, headers.
	 * @return array{status: int, body: mixed}
	 */
	private static function call( string $method, string $path, array $params, array $options = array() ): array {
		$url  = self::$url . '/wp-json' . $path;
		$args = array(
			'method'      => $method,
			'redirection' => 0,
			'timeout'     => 30,
			'cookies'     => $options['cookies'] ?? array(),
			'headers'     => $options['headers'] ?? array(),
		);
		if ( 'GET' === $method ) {
			$url = add_query_arg( $params, $url );
		} else {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = (string) wp_json_encode( array() === $params ? new \stdClass() : $params );
		}
		$response = wp_remote_request( $url, $args );
		if ( is_wp_error( $response ) ) {
			return array( 'status' => 0, 'body' => $response->get_error_message() );
		}
		return array(
			'status' => (int) wp_remote_retrieve_response_code( $response ),
			'body'   => json_decode( (string) wp_remote_retrieve_body( $response ), true ),
		);
	}

	public function test_the_login_cookie_with_the_rest_nonce_is_accepted(): void {
		$this->assertNotEmpty( self::$cookies, 'logged in' );
		$nonce    = wp_remote_retrieve_body( wp_remote_get( self::$url . '/wp-admin/admin-ajax.php?action=rest-nonce', array( 'cookies' => self::$cookies ) ) );
		$response = self::call( 'GET', '/sync-hub/v1/settings', array(), array( 'cookies' => self::$cookies, 'headers' => array( 'X-WP-Nonce' => $nonce ) ) );

		$this->assertSame( 200, $response['status'], 'the refusals below are about the nonce, not a broken login' );
		$this->assertTrue( $response['body']['can_edit'] );
	}

	/**
	 * @return array<string, array{0: array<string, mixed>}>
	 */
	public function endpoints(): array {
		$cases = array();
		foreach ( RouteCatalog::endpoints() as $name => $endpoint ) {
			$cases[ $name ] = array( $endpoint );
		}
		return $cases;
	}

	/**
	 * @dataProvider endpoints
	 *
	 * @param array<string, mixed> $endpoint Endpoint.
	 */
	public function test_no_credentials_a_missing_nonce_and_a_forged_nonce_are_refused( array $endpoint ): void {
		$before = RoutesTest::state();
		$params = RouteCatalog::required_sample( $endpoint['args'], $endpoint['route'] );
		$cases  = array(
			'no credentials'       => array( 401, array() ),
			'cookie without nonce' => array( 401, array( 'cookies' => self::$cookies ) ),
			'cookie, forged nonce' => array( 403, array( 'cookies' => self::$cookies, 'headers' => array( 'X-WP-Nonce' => 'a1b2c3d4e5' ) ) ),
		);
		foreach ( $cases as $case => list( $status, $options ) ) {
			$response = self::call( $endpoint['method'], $endpoint['path'], $params, $options );
			$this->assertSame( $status, $response['status'], $case . ': ' . wp_json_encode( $response['body'] ) );
			$this->assertIsArray( $response['body'], $case );
			$this->assertArrayHasKey( 'code', $response['body'], $case );
		}
		$this->assertSame( $before, RoutesTest::state(), 'nothing written' );
		$this->assertSame( array(), $this->worker->requests(), 'nothing reached the worker' );
	}
}
