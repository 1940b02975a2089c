<?php
/**
 * Loads the harness site named by SYNCHUB_WP_DOCROOT at global scope. scripts/wordpress/phpunit.sh
 * passes it as `auto_prepend_file`, because PHPUnit includes its bootstrap inside a function.
 *
 * @package SyncHub\Tests
 */

require dirname( __DIR__, 2 ) . '/scripts/wordpress/boot.php';
