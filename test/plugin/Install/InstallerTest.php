<?php
/**
 * Activation, schema upgrade and uninstall.
 *
 * @package SyncHub\Tests
 */

declare(strict_types=1);

namespace SyncHub\Tests\Install;

use SyncHub\Install\Installer;
use SyncHub\Install\Schema;
use SyncHub\Outbox\Cron;
use SyncHub\Products\ProductSettings;
use SyncHub\Settings\Settings;
use SyncHub\Tests\TestCase;

final class InstallerTest extends TestCase {

	public function test_activation_created_the_outbox_table_with_its_indexes(): void {
		global $wpdb;
		$table   = Schema::outbox_table();
		$columns = $wpdb->get_col( "SHOW COLUMNS FROM {$table}" ); // phpcs:ignore
		foreach ( array( 'id', 'event_id', 'topic', 'resource_key', 'pending_key', 'payload', 'destination', 'status', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'delivered_at' ) as $column ) {
			$this->assertContains( $column, $columns );
		}

		$indexes = array();
		foreach ( $wpdb->get_results( "SHOW INDEX FROM {$table}", ARRAY_A ) as $index ) { // phpcs:ignore
			$indexes[ $index['Key_name'] ]['unique']    = '0' === (string) $index['Non_unique'];
			$indexes[ $index['Key_name'] ]['columns'][] = $index['Column_name'];
		}
		$this->assertSame( array( 'status', 'next_attempt_at' ), $indexes['status_next_attempt']['columns'] );
		$this->assertTrue( $indexes['pending_key']['unique'] );
		$this->assertTrue( $indexes['event_id']['unique'] );
	}

	public function test_activation_created_the_replay_guard_table_keyed_by_event_id(): void {
		global $wpdb;
		$table   = Schema::seen_requests_table();
		$primary = $wpdb->get_col( "SHOW INDEX FROM {$table} WHERE Key_name = 'PRIMARY'", 4 ); // phpcs:ignore -- column 4: Column_name.
		$this->assertSame( array( 'event_id' ), $primary );
	}

	public function test_activation_generated_a_webhook_secret_once(): void {
		delete_option( Settings::OPTION );
		Installer::install();
		$secret = Settings::get( 'webhook_secret' );
		$this->assertSame( 64, strlen( $secret ) );
		$this->assertGreaterThanOrEqual( Settings::MIN_WEBHOOK_SECRET_LENGTH, strlen( $secret ), 'the worker accepts it as WEBHOOK_SECRET' );
		$this->assertSame( Settings::DEFAULT_WORKER_URL, Settings::worker_url() );

		Installer::install();
		$this->assertSame( $secret, Settings::get( 'webhook_secret' ), 'a second run keeps the secret' );
		$this->assertNotSame( $secret, Settings::generate_secret() );
	}

	public function test_plugins_loaded_upgrades_when_the_schema_version_changed(): void {
		$this->assertSame( 10, has_action( 'plugins_loaded', array( Installer::class, 'maybe_upgrade' ) ) );
		update_option( Schema::VERSION_OPTION, '0' );
		Cron::unschedule();

		Installer::maybe_upgrade();

		$this->assertSame( Schema::VERSION, get_option( Schema::VERSION_OPTION ) );
		$this->assertNotFalse( wp_next_scheduled( Cron::HOOK ) );
	}

	public function test_deactivation_stops_the_schedule(): void {
		Installer::deactivate();
		$this->assertFalse( wp_next_scheduled( Cron::HOOK ) );
		Cron::ensure_scheduled();
		$this->assertNotFalse( wp_next_scheduled( Cron::HOOK ) );
	}

	public function test_uninstall_removes_tables_options_and_schedule(): void {
		global $wpdb;
		$table = Schema::outbox_table();
		// What a later domain might add without telling the uninstaller.
		update_option( 'synchub_some_domain_settings', array( 'x' => 1 ) );
		set_transient( 'synchub_some_cache', 'v', 60 );
		$wpdb->query( "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}synchub_some_domain (id int)" ); // phpcs:ignore
		try {
			$this->assertTrue( uninstall_plugin( 'sync-hub/sync-hub.php' ) );

			$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ) );
			$this->assertSame( array(), $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'synchub_' ) . '%' ) ) );
			$this->assertFalse( get_transient( 'synchub_some_cache' ) );
			$this->assertFalse( get_option( Settings::OPTION ) );
			$this->assertFalse( get_option( Schema::VERSION_OPTION ) );
			$this->assertFalse( wp_next_scheduled( Cron::HOOK ) );
			$leftovers = $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%synchub\\_%'" );
			$this->assertSame( array(), $leftovers );
		} finally {
			Installer::install();
		}
		$this->assertSame( $table, $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ) );
	}

	/**
	 * Secret options WordPress would load on every request (read fresh from the database).
	 *
	 * @return string[]
	 */
	private static function autoloaded_secret_options(): array {
		wp_cache_delete( 'alloptions', 'options' );
		return array_values( array_intersect( Installer::SECRET_OPTIONS, array_keys( wp_load_alloptions() ) ) );
	}

	/**
	 * Put the secret options back the way older versions stored them: autoloaded.
	 */
	private static function store_secrets_autoloaded(): void {
		foreach ( array(
			Settings::OPTION        => array( 'worker_url' => self::WORKER_URL, 'admin_token' => self::ADMIN_TOKEN, 'webhook_secret' => self::SECRET ),
			ProductSettings::OPTION => array( 'token' => 'wc_sk_live_0123456789abcdef', 'debounce' => 30 ),
		) as $option => $value ) {
			delete_option( $option );
			add_option( $option, $value, '', 'yes' );
		}
	}

	public function test_the_secret_options_are_not_autoloaded_after_a_fresh_activation(): void {
		foreach ( Installer::SECRET_OPTIONS as $option ) {
			delete_option( $option );
		}
		Installer::install();

		$this->assertSame( 64, strlen( Settings::get( 'webhook_secret' ) ) );
		$this->assertSame( 64, strlen( ProductSettings::signing_key() ) );
		$this->assertSame( array(), self::autoloaded_secret_options() );
	}

	public function test_an_upgrade_stops_autoloading_the_secrets_and_keeps_their_values(): void {
		self::store_secrets_autoloaded();
		$this->assertSame( Installer::SECRET_OPTIONS, self::autoloaded_secret_options(), 'the old state' );
		update_option( Schema::VERSION_OPTION, '1' );

		Installer::maybe_upgrade();

		$this->assertSame( array(), self::autoloaded_secret_options() );
		wp_cache_flush();
		$this->assertSame( self::ADMIN_TOKEN, Settings::get( 'admin_token' ) );
		$this->assertSame( self::SECRET, Settings::get( 'webhook_secret' ) );
		$this->assertSame( 'wc_sk_live_0123456789abcdef', ProductSettings::token() );
		$this->assertSame( 30, ProductSettings::debounce() );
	}

	public function test_saving_the_settings_keeps_the_secrets_out_of_autoload(): void {
		self::store_secrets_autoloaded();
		wp_set_current_user( $this->make_user( 'administrator' ) );

		$settings = $this->rest( 'POST', '/sync-hub/v1/settings', array(), array( 'admin_token' => 'another-admin-token-0123456789' ) );
		$products = $this->rest( 'POST', '/sync-hub/v1/products/settings', array(), array( 'token' => 'wc_sk_live_another-0123456789' ) );

		$this->assertSame( array( 200, 200 ), array( $settings->get_status(), $products->get_status() ) );
		$this->assertSame( array(), self::autoloaded_secret_options() );
		wp_cache_flush();
		$this->assertSame( 'another-admin-token-0123456789', Settings::get( 'admin_token' ) );
	}
}
