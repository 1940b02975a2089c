<?php
/**
 * Who may call the sync-hub/v1 routes, role by role (after Query Monitor's CapsTest).
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Rest;

use SyncHub\Tests\TestCase;

final class CapsTest extends TestCase {

	/**
	 * Every route of the namespace with a request that passes validation, and whether it changes
	 * the connection (administrators only). test/plugin/Hostile covers every route generically.
	 *
	 * @return array<string, array{0: string, 1: string, 2: bool}>
	 */
	private static function routes(): array {
		return array(
			'GET settings'       => array( 'GET', '/sync-hub/v1/settings', false ),
			'POST settings'      => array( 'POST', '/sync-hub/v1/settings', true ),
			'POST settings/test' => array( 'POST', '/sync-hub/v1/settings/test', false ),
			'GET outbox'         => array( 'GET', '/sync-hub/v1/outbox', false ),
			'POST outbox retry'  => array( 'POST', '/sync-hub/v1/outbox/1/retry', false ),
			'GET worker proxy'   => array( 'GET', '/sync-hub/v1/worker/health', false ),
			'POST worker proxy'  => array( 'POST', '/sync-hub/v1/worker/sync/manual', false ),
		);
	}

	/**
	 * @return array<string, array{0: string|null, 1: bool, 2: bool}>
	 */
	public function roles(): array {
		return array(
			'logged out'   => array( null, false, false ),
			'subscriber'   => array( 'subscriber', false, false ),
			'contributor'  => array( 'contributor', false, false ),
			'author'       => array( 'author', false, false ),
			'editor'       => array( 'editor', false, false ),
			'shop manager' => array( 'synchub_test_shop_manager', true, false ),
			'admin'        => array( 'administrator', true, true ),
		);
	}

	/**
	 * @dataProvider roles
	 *
	 * @param string|null $role       Role, null for a visitor.
	 * @param bool        $allowed    Whether the role may use the day-to-day routes.
	 * @param bool        $connection Whether the role may change the connection settings.
	 */
	public function test_role_can_or_cannot_use_every_route( ?string $role, bool $allowed, bool $connection ): void {
		$this->capture_http(
			static function () {
				return array( 'status' => 200, 'body' => '{"status":"healthy"}' );
			}
		);
		if ( null !== $role ) {
			// Like WooCommerce's shop_manager: manage_woocommerce without manage_options.
			wp_set_current_user(
				$this->make_user(
					$role,
					array(
						'read'               => true,
						'manage_woocommerce' => true,
					)
				)
			);
		}

		$this->assertSame( $allowed, current_user_can( 'manage_woocommerce' ) );
		foreach ( self::routes() as $name => list( $method, $route, $changes_connection ) ) {
			$status = $this->rest( $method, $route )->get_status();
			if ( $allowed && $changes_connection && ! $connection ) {
				$this->assertSame( 403, $status, "$name as $role" );
			} elseif ( $allowed ) {
				$this->assertNotContains( $status, array( 401, 403 ), "$name as $role" );
			} else {
				$this->assertSame( null === $role ? 401 : 403, $status, "$name as " . ( $role ?? 'visitor' ) );
			}
		}
		if ( ! $allowed ) {
			$this->assertSame( array(), $this->http, 'a refused request never reaches the worker' );
		}
	}

	public function test_administrators_get_manage_woocommerce_only_while_woocommerce_is_missing(): void {
		$this->assertFalse( class_exists( 'WooCommerce', false ), 'this suite runs without WooCommerce' );
		$admin = get_role( 'administrator' );
		$this->assertFalse( $admin->has_cap( 'manage_woocommerce' ), 'the role itself is unchanged' );
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$this->assertTrue( current_user_can( 'manage_woocommerce' ) );
	}
}
