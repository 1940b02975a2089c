/**
 * The JSX runtime of the built page (see ../webpack.config.js): `jsx()` over
 * `wp.element.createElement`, so the page works with the React of every supported WordPress
 * (17 on 6.1, 18 later) without needing the `react-jsx-runtime` script of WordPress 6.6+.
 * Tests run the real `react/jsx-runtime`; only the webpack build aliases to this file.
 */

/**
 * External dependencies
 */
import type { ElementType, ReactElement } from 'react';

/**
 * WordPress dependencies
 */
import { createElement, Fragment } from '@wordpress/element';

type Props = Record< string, unknown >;

const create = createElement as (
	type: ElementType,
	props: Props
) => ReactElement;

/**
 * Automatic-runtime entry: children arrive inside `props`, the key separately.
 *
 * @param type  Element type.
 * @param props Props, including `children`.
 * @param key   The element key, when the JSX gave one.
 * @return The element.
 */
export function jsx(
	type: ElementType,
	props: Props,
	key?: string | number
): ReactElement {
	return create( type, key === undefined ? props : { ...props, key } );
}

export { jsx as jsxs, jsx as jsxDEV, Fragment };
