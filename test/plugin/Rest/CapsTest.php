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
	 * Every route of the namespace with a request that passes validation.
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	private static function routes(): array {
		return array(
			'GET settings'       => array( 'GET', '/sync-hub/v1/settings' ),
			'POST settings'      => array( 'POST', '/sync-hub/v1/settings' ),
			'POST settings/test' => array( 'POST', '/sync-hub/v1/settings/test' ),
			'GET outbox'         => array( 'GET', '/sync-hub/v1/outbox' ),
			'POST outbox retry'  => array( 'POST', '/sync-hub/v1/outbox/1/retry' ),
			'GET worker proxy'   => array( 'GET', '/sync-hub/v1/worker/health' ),
			'POST worker proxy'  => array( 'POST', '/sync-hub/v1/worker/sync/manual' ),
		);
	}

	/**
	 * @return array<string, array{0: string|null, 1: bool}>
	 */
	public function roles(): array {
		return array(
			'logged out'   => array( null, false ),
			'subscriber'   => array( 'subscriber', false ),
			'contributor'  => array( 'contributor', false ),
			'author'       => array( 'author', false ),
			'editor'       => array( 'editor', false ),
			'shop manager' => array( 'synchub_test_shop_manager', true ),
			'admin'        => array( 'administrator', true ),
		);
	}

	/**
	 * @dataProvider roles
	 *
	 * @param string|null $role    Role, null for a visitor.
	 * @param bool        $allowed Whether the role may use the routes.
	 */
	public function test_role_can_or_cannot_use_every_route( ?string $role, bool $allowed ): void {
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
		foreach ( self::routes() as $name => list( $method, $route ) ) {
			$status = $this->rest( $method, $route )->get_status();
			if ( $allowed ) {
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
