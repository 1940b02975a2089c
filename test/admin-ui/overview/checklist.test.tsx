/**
 * External dependencies
 */
import { waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * Internal dependencies
 */
import { checklistItems } from '../../../admin-ui/src/data/checklist';
import { fakeRest } from '../support/fake-rest';
import { HEALTHY, NS, SETTINGS } from '../support/fixtures';
import { quietSystem, renderPage } from '../support/render-page';

const W = `${ NS }/worker/api`;

describe( 'checklistItems', () => {
	it( 'nothing is done when nothing could be read', () => {
		expect(
			checklistItems( { workerReachable: false } ).filter(
				( item ) => item.done
			)
		).toEqual( [] );
	} );

	it( 'the store database, Odoo and SIIGO count only when configured and their connection is up', () => {
		const base = {
			workerReachable: true,
			storeDatabase: { host: 'db' },
			odoo: { configured: true },
			siigo: { has_access_key: true, username: 'u' },
		};
		const done = ( facts: Parameters< typeof checklistItems >[ 0 ] ) =>
			checklistItems( facts )
				.filter( ( item ) => item.done )
				.map( ( item ) => item.id );
		expect(
			done( {
				...base,
				health: {
					store_connection: false,
					odoo_connection: false,
					siigo_connection: null,
				},
			} )
		).toEqual( [ 'worker' ] );
		expect(
			done( {
				...base,
				health: {
					store_connection: true,
					odoo_connection: true,
					siigo_connection: true,
				},
			} )
		).toEqual( [ 'worker', 'store_database', 'odoo', 'siigo' ] );
		expect(
			done( {
				...base,
				storeDatabase: { host: '' },
				health: { store_connection: true },
			} )
		).toEqual( [ 'worker' ] );
	} );

	it( 'the products feed counts once a token exists and the plugin reached the endpoint with it', () => {
		const done = ( facts: Parameters< typeof checklistItems >[ 0 ] ) =>
			checklistItems( facts ).find( ( item ) => item.id === 'products' )
				?.done;
		expect( done( { workerReachable: true, tokens: 1 } ) ).toBe( false );
		expect(
			done( {
				workerReachable: true,
				tokens: 1,
				productsFeed: { verified_at: null },
			} )
		).toBe( false );
		expect(
			done( {
				workerReachable: true,
				tokens: 0,
				productsFeed: { verified_at: '2026-01-01T00:00:00+00:00' },
			} )
		).toBe( false );
		expect(
			done( {
				workerReachable: true,
				tokens: 1,
				productsFeed: { verified_at: '2026-01-01T00:00:00+00:00' },
			} )
		).toBe( true );
	} );
} );

describe( 'Overview setup checklist', () => {
	beforeEach( () => {
		window.history.replaceState(
			null,
			'',
			'/wp-admin/admin.php?page=sync-hub'
		);
	} );

	it( 'turns green item by item and links each open step to its tab', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'GET', `${ NS }/worker/health`, {
			body: {
				...HEALTHY,
				store_connection: true,
				odoo_connection: true,
				siigo_connection: false,
			},
		} );
		rest.on( 'GET', `${ NS }/settings`, {
			body: {
				...SETTINGS,
				has_admin_token: true,
				has_webhook_secret: false,
			},
		} );
		rest.on( 'GET', `${ W }/v1/sync-woocommerce/store-connection/`, {
			body: { host: '127.0.0.1' },
		} );
		rest.on( 'GET', `${ W }/v1/bookings/settings`, {
			body: { configured: true },
		} );
		rest.on( 'GET', `${ W }/v1/stock/settings`, {
			body: { has_access_key: true, username: 'api@store' },
		} );
		rest.on( 'GET', `${ W }/v1/integrations/tokens/`, {
			body: { count: 0, results: [] },
		} );
		rest.on( 'GET', `${ W }/webhooks/subscriptions`, {
			body: { items: [ { id: 'a', ours: true } ] },
		} );
		rest.on( 'GET', `${ W }/v1/activity`, {
			body: {
				bucket: 'day',
				buckets: [ 'a', 'b' ],
				series: [
					{
						chart: 'stock_changes',
						key: 'webhook',
						values: [ 0, 2 ],
					},
				],
			},
		} );
		renderPage();
		const card = await waitFor( () => {
			const found = document
				.querySelector< HTMLElement >(
					'.synchub-checklist [data-item]'
				)
				?.closest< HTMLElement >( '.synchub-checklist' );
			expect( found ).toBeTruthy();
			return found as HTMLElement;
		} );
		const state = ( id: string ) =>
			card
				.querySelector( `[data-item="${ id }"]` )
				?.className.includes( 'is-done' );
		await waitFor( () => expect( state( 'first_sync' ) ).toBe( true ) );
		expect(
			[
				'worker',
				'admin_token',
				'store_database',
				'odoo',
				'siigo_webhooks',
			].map( state )
		).toEqual( [ true, true, true, true, true ] );
		expect(
			[ 'webhook_secret', 'siigo', 'products' ].map( state )
		).toEqual( [ false, false, false ] );
		expect( within( card ).getByText( '6 of 9 done' ) ).toBeTruthy();
		const link = within(
			card.querySelector( '[data-item="siigo"]' ) as HTMLElement
		).getByRole( 'link', { name: 'Set up in Stock' } );
		expect(
			new URL( ( link as HTMLAnchorElement ).href ).searchParams.get(
				'tab'
			)
		).toBe( 'stock' );
	} );
} );
