/**
 * Entry of the admin page: mounts the app into `#synchub-admin-root`.
 */

/**
 * WordPress dependencies
 */
import domReady from '@wordpress/dom-ready';
import { createRoot, render, unmountComponentAtNode } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { App } from './app/app';
import './index.scss';

export const ROOT_ID = 'synchub-admin-root';

/**
 * Mounts the page: `createRoot` where WordPress has React 18 (6.2+), `render` on 6.1 (React 17).
 *
 * @param container The root element.
 * @return Unmounts the page again, stopping its polling (tests; a page that navigates away needs none).
 */
export function mount( container: Element ): () => void {
	if ( typeof createRoot === 'function' ) {
		const root = createRoot( container );
		root.render( <App /> );
		return () => root.unmount();
	}
	render( <App />, container );
	return () => {
		unmountComponentAtNode( container );
	};
}

domReady( () => {
	const container = document.getElementById( ROOT_ID );
	if ( container ) {
		mount( container );
	}
} );
