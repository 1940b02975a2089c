/**
 * Fallback for the `react-jsx-runtime` script handle, which WordPress registers from 6.6 on.
 * Bundles built by current @wordpress/scripts import `react/jsx-runtime` as
 * `window.ReactJSXRuntime`; on older WordPress this shim provides it on top of `window.React`.
 */
( function ( window ) {
	'use strict';

	if ( window.ReactJSXRuntime || ! window.React ) {
		return;
	}

	var React = window.React;
	var hasOwn = Object.prototype.hasOwnProperty;

	function jsx( type, props, key ) {
		var config = {};
		var name;
		for ( name in props ) {
			if ( hasOwn.call( props, name ) ) {
				config[ name ] = props[ name ];
			}
		}
		if ( key !== undefined ) {
			config.key = '' + key;
		}
		// React.createElement takes props.children from config when no extra arguments are given.
		return React.createElement( type, config );
	}

	window.ReactJSXRuntime = {
		Fragment: React.Fragment,
		jsx: jsx,
		jsxs: jsx,
		jsxDEV: jsx,
	};
} )( window );
