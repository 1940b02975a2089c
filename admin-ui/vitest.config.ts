/**
 * Unit tests of the admin page: test/admin-ui/**, in jsdom.
 * Run from the repository root: `npx vitest run -c admin-ui/vitest.config.ts`.
 */

/**
 * External dependencies
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath( new URL( '..', import.meta.url ) );

export default defineConfig( {
	root,
	test: {
		name: 'admin-ui',
		environment: 'jsdom',
		include: [ 'test/admin-ui/**/*.test.{ts,tsx}' ],
		setupFiles: [ 'test/admin-ui/support/setup.ts' ],
		restoreMocks: true,
		unstubGlobals: true,
		testTimeout: 15_000,
	},
} );
