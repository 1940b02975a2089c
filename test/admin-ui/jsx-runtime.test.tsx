/**
 * The JSX runtime the build bundles (admin-ui/src/jsx-runtime.ts) and the mount fallback for
 * WordPress 6.1, whose React 17 has no createRoot.
 */

/**
 * External dependencies
 */
import { act } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

/**
 * WordPress dependencies
 */
import { renderToString } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { Fragment, jsx, jsxs } from '../../admin-ui/src/jsx-runtime';
import { fakeRest } from './support/fake-rest';
import { quietSystem } from './support/render-page';

describe( 'bundled JSX runtime', () => {
	it( 'builds the same elements as JSX: props, children, keys, fragments', () => {
		const list = jsxs( 'ul', {
			className: 'list',
			children: [ 'a', 'b' ].map( ( item ) =>
				jsx( 'li', { children: item }, item )
			),
		} );
		expect( list.props ).toMatchObject( { className: 'list' } );
		const items = ( list.props as { children: Array< { key: string } > } )
			.children;
		expect( items.map( ( item ) => item.key ) ).toEqual( [ 'a', 'b' ] );
		expect(
			renderToString(
				jsx( Fragment, {
					children: [ list, jsx( 'p', { children: 'x' } ) ],
				} )
			)
		).toBe( '<ul class="list"><li>a</li><li>b</li></ul><p>x</p>' );
	} );
} );

describe( 'mount', () => {
	it( 'renders the page with render() where createRoot does not exist (WordPress 6.1)', async () => {
		vi.resetModules();
		const legacyRender = vi.fn();
		vi.doMock( '@wordpress/element', async ( importOriginal ) => {
			const original =
				await importOriginal< typeof import( '@wordpress/element' ) >();
			legacyRender.mockImplementation( original.render );
			// React 18 warns that render() is deprecated; on 6.1 it is the only way.
			vi.spyOn( console, 'error' ).mockImplementation( () => {} );
			return { ...original, createRoot: undefined, render: legacyRender };
		} );
		const rest = fakeRest();
		quietSystem( rest );
		const { mount } = await import( '../../admin-ui/src/index' );
		const container = document.createElement( 'div' );
		document.body.append( container );
		let unmount = (): void => {};
		await act( async () => {
			unmount = mount( container );
		} );
		await vi.waitFor( () =>
			expect(
				container.querySelector( '[data-status="healthy"]' )
			).not.toBeNull()
		);
		expect( legacyRender ).toHaveBeenCalledTimes( 1 );
		// A page left mounted keeps polling after the test environment is gone ("window is not defined").
		act( () => unmount() );
		expect( container.innerHTML ).toBe( '' );
		vi.doUnmock( '@wordpress/element' );
		container.remove();
	} );

	it( 'mounts into #synchub-admin-root when the page loads', async () => {
		vi.resetModules();
		const roots: Array< { unmount: () => void } > = [];
		vi.doMock( '@wordpress/element', async ( importOriginal ) => {
			const original =
				await importOriginal< typeof import( '@wordpress/element' ) >();
			const createRoot: typeof original.createRoot = ( ...args ) => {
				const created = original.createRoot( ...args );
				roots.push( created );
				return created;
			};
			return { ...original, createRoot };
		} );
		const rest = fakeRest();
		quietSystem( rest );
		const root = document.createElement( 'div' );
		root.id = 'synchub-admin-root';
		document.body.append( root );
		await act( async () => {
			await import( '../../admin-ui/src/index' );
		} );
		await vi.waitFor( () =>
			expect( root.querySelector( '.synchub-page' ) ).not.toBeNull()
		);
		expect( roots ).toHaveLength( 1 );
		act( () => roots.forEach( ( created ) => created.unmount() ) );
		vi.doUnmock( '@wordpress/element' );
		root.remove();
	} );
} );
