// The admin page and its tests: WordPress's own rules (@wordpress/eslint-plugin, as
// `wp-scripts lint-js` applies them), including its Prettier formatting and i18n checks.
import wordpress from '@wordpress/eslint-plugin';

export default [
	{
		// The extractor's fixture holds, on purpose, what the i18n rules refuse, at fixed lines.
		ignores: [
			'node_modules/**',
			'admin-ui/vitest.config.ts',
			'admin-ui/webpack.config.js',
			'test/admin-ui/fixtures/**',
		],
	},
	...wordpress.configs.recommended,
	{
		rules: {
			// `_`-named parameters are the ones a signature needs and the body does not.
			'@typescript-eslint/no-unused-vars': [ 'error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true } ],
		},
	},
	{
		// The tests live beside the root package; their packages are the admin page's and the root's.
		files: [ 'test/admin-ui/**' ],
		rules: { 'import/no-extraneous-dependencies': [ 'error', { packageDir: [ '.', 'admin-ui' ] } ] },
	},
];
