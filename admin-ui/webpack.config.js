/**
 * Build of the admin page: @wordpress/scripts' own configuration, with one change.
 *
 * The default configuration externalises `react/jsx-runtime` to the `react-jsx-runtime`
 * script, which WordPress only registers from 6.6 on. The plugin supports 6.1, whose React
 * is 17 and has no such script. So the JSX runtime is bundled instead, as a tiny shim over
 * `wp.element.createElement` (src/jsx-runtime.ts): elements are always created by the React
 * that WordPress itself loads, whatever its version.
 */

/**
 * External dependencies
 */
import { fileURLToPath } from 'node:url';

/**
 * WordPress dependencies
 */
import defaultConfig from '@wordpress/scripts/config/webpack.config.js';
import DependencyExtractionWebpackPlugin from '@wordpress/dependency-extraction-webpack-plugin';

const JSX_RUNTIME = fileURLToPath( new URL( './src/jsx-runtime.ts', import.meta.url ) );

export default {
	...defaultConfig,
	resolve: {
		...defaultConfig.resolve,
		alias: {
			...( defaultConfig.resolve && defaultConfig.resolve.alias ),
			'react/jsx-runtime': JSX_RUNTIME,
			'react/jsx-dev-runtime': JSX_RUNTIME,
		},
	},
	plugins: [
		...defaultConfig.plugins.filter(
			( plugin ) => ! ( plugin instanceof DependencyExtractionWebpackPlugin )
		),
		new DependencyExtractionWebpackPlugin( {
			requestToExternal( request ) {
				if ( request === 'react/jsx-runtime' || request === 'react/jsx-dev-runtime' ) {
					return false;
				}
				return undefined;
			},
		} ),
	],
};
