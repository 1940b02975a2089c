/**
 * External dependencies
 */
import {
	act,
	fireEvent,
	render,
	screen,
	waitFor,
	within,
} from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * WordPress dependencies
 */
import apiFetch from '@wordpress/api-fetch';

/**
 * Internal dependencies
 */
import {
	mergeChanges,
	type StockChange,
} from '../../../admin-ui/src/stock/data';
import { LiveFeedCard } from '../../../admin-ui/src/stock/live-feed-card';
import { fakeRest, type FakeRest } from '../support/fake-rest';
import { NS } from '../support/fixtures';
import { quietSystem, renderPage } from '../support/render-page';
import { until } from '../support/until';

const W = `${ NS }/worker/api/v1/stock`;
const HOOKS = `${ NS }/worker/api/webhooks`;
const SETTINGS = {
	enabled: true,
	source: 'settings',
	username: 'api@store.example',
	partner_id: 'SyncHub',
	api_url: 'https://api.siigo.com',
	has_access_key: true,
	warehouses: [],
	webhook_base_url: 'https://worker.example',
	company_key: null,
};
const STATS = {
	products: {
		total: 120,
		synced: 110,
		unknown_sku: 3,
		not_managed: 7,
		updated_today: 12,
	},
	webhooks: { total: 40, processed: 35, failed: 2, last_hour: 4 },
	last_sync: '2026-11-23T10:00:00.000Z',
	last_full_sync: null,
	last_sync_error: null,
	siigo_connection: true,
};
const change = (
	id: number,
	code: string,
	oldQuantity: number | null,
	newQuantity: number,
	source = 'webhook'
): StockChange => ( {
	id,
	code,
	name: `Product ${ code }`,
	old_quantity: oldQuantity,
	new_quantity: newQuantity,
	source,
	result: 'updated',
	created_at: '2026-11-23T10:00:00.000Z',
} );

function stockRoutes( rest: FakeRest ): void {
	quietSystem( rest );
	rest.on( 'GET', `${ W }/stats`, { body: STATS } );
	rest.on( 'GET', `${ W }/settings`, { body: SETTINGS } );
	rest.on( 'GET', `${ NS }/stock/settings`, {
		body: { manage_unmanaged: false },
	} );
	rest.on( 'GET', `${ W }/changes`, {
		body: {
			items: [
				change( 2, 'MUG-1', 10, 7 ),
				change( 1, 'CUP-2', null, 4, 'scheduled_sync' ),
			],
		},
	} );
	rest.on( 'GET', `${ HOOKS }/subscriptions`, { body: { items: [] } } );
	rest.on( 'GET', `${ HOOKS }/logs`, {
		body: {
			items: [
				{
					id: 9,
					topic: 'public.siigoapi.products.stock.update',
					product_code: 'MUG-1',
					status: 'processed',
					http_status: 202,
					message: 'stock updated',
					received_at: '2026-11-23T10:00:00.000Z',
				},
			],
		},
	} );
}

function card( className: string ): HTMLElement {
	const found = document.querySelector< HTMLElement >( `.${ className }` );
	if ( ! found ) {
		throw new Error( `No .${ className } on the page` );
	}
	return found;
}

describe( 'Stock screen', () => {
	beforeEach( () => {
		window.history.replaceState(
			null,
			'',
			'/wp-admin/admin.php?page=sync-hub&tab=stock'
		);
	} );
	afterEach( () => {
		vi.useRealTimers();
	} );

	it( 'shows the stats, the live feed (old → new, source) and the webhook log', async () => {
		const rest = fakeRest();
		stockRoutes( rest );
		renderPage();
		expect(
			await screen.findByText( 'SKUs missing in WooCommerce' )
		).toBeTruthy();
		const stats = card( 'synchub-stock-stats' );
		expect( within( stats ).getByText( '110' ) ).toBeTruthy();
		expect( within( stats ).getByText( 'SIIGO reachable' ) ).toBeTruthy();
		const feed = card( 'synchub-stock-live' );
		await waitFor( () =>
			expect( within( feed ).getByText( '10 → 7' ) ).toBeTruthy()
		);
		expect( within( feed ).getByText( '— → 4' ) ).toBeTruthy();
		expect( within( feed ).getByText( 'SIIGO webhook' ) ).toBeTruthy();
		expect( within( feed ).getByText( 'Scheduled sync' ) ).toBeTruthy();
		const logs = card( 'synchub-stock-logs' );
		await waitFor( () =>
			expect( within( logs ).getByText( 'stock updated' ) ).toBeTruthy()
		);
		expect(
			within( logs ).getByRole( 'cell', { name: 'Stock changed' } )
		).toBeTruthy();
	} );

	it( 'filters the webhook log by status and topic', async () => {
		const rest = fakeRest();
		stockRoutes( rest );
		renderPage();
		const logs = card( 'synchub-stock-logs' );
		fireEvent.change( await within( logs ).findByLabelText( 'Status' ), {
			target: { value: 'rejected' },
		} );
		fireEvent.change( within( logs ).getByLabelText( 'Topic' ), {
			target: { value: 'public.siigoapi.products.create' },
		} );
		await waitFor( () => {
			const last = rest.calls( 'GET', `${ HOOKS }/logs` ).at( -1 );
			expect( last?.query.get( 'status' ) ).toBe( 'rejected' );
			expect( last?.query.get( 'topic' ) ).toBe(
				'public.siigoapi.products.create'
			);
		} );
	} );

	it( 'Test connection explains wrong credentials in words', async () => {
		const rest = fakeRest();
		stockRoutes( rest );
		rest.on( 'POST', `${ W }/settings/test`, {
			body: {
				ok: false,
				error: {
					code: 'siigo_auth',
					message:
						'SIIGO refused the credentials: SIIGO refused the API user or access key',
				},
			},
		} );
		renderPage();
		fireEvent.click(
			await within( card( 'synchub-stock-connection' ) ).findByRole(
				'button',
				{ name: 'Test connection' }
			)
		);
		expect(
			(
				await within(
					card( 'synchub-stock-connection' )
				).findAllByText( /SIIGO refused the API user or access key/ )
			).length
		).toBeGreaterThan( 0 );
	} );

	it( 'lists warehouses after a successful test and saves the selection; the key is sent only when typed', async () => {
		const rest = fakeRest();
		stockRoutes( rest );
		rest.on( 'POST', `${ W }/settings/test`, {
			body: {
				ok: true,
				warehouses: [
					{ id: '1', name: 'Bodega principal' },
					{ id: '2', name: 'Bodega norte' },
				],
			},
		} );
		// apiFetch sends PUT as POST with X-HTTP-Method-Override (WordPress REST honours it).
		rest.on( 'POST', `${ W }/settings`, { body: { status: 'saved' } } );
		renderPage();
		const connection = card( 'synchub-stock-connection' );
		expect(
			(
				( await within( connection ).findByLabelText(
					'Access key'
				) ) as HTMLInputElement
			 ).value
		).toBe( '' );
		expect(
			within( connection ).getByText(
				'A key is saved. Leave blank to keep it.'
			)
		).toBeTruthy();
		fireEvent.click(
			within( connection ).getByRole( 'button', {
				name: 'Test connection',
			} )
		);
		expect(
			await within( connection ).findByText(
				'Connected to SIIGO: 2 warehouses found.'
			)
		).toBeTruthy();
		fireEvent.click(
			within( connection ).getByLabelText( 'Bodega norte' )
		);
		fireEvent.click(
			within( connection ).getByRole( 'button', {
				name: 'Save SIIGO settings',
			} )
		);
		await waitFor( () =>
			expect( rest.calls( 'POST', `${ W }/settings` ) ).toHaveLength( 1 )
		);
		expect( rest.calls( 'POST', `${ W }/settings` )[ 0 ]?.body ).toEqual( {
			credentials: {
				username: 'api@store.example',
				partner_id: 'SyncHub',
				api_url: 'https://api.siigo.com',
			},
			warehouses: [ '2' ],
		} );
		fireEvent.change( within( connection ).getByLabelText( 'Access key' ), {
			target: { value: 'new-key' },
		} );
		fireEvent.click(
			within( connection ).getByRole( 'button', {
				name: 'Save SIIGO settings',
			} )
		);
		await waitFor( () =>
			expect( rest.calls( 'POST', `${ W }/settings` ) ).toHaveLength( 2 )
		);
		expect(
			rest.calls( 'POST', `${ W }/settings` )[ 1 ]?.body
		).toMatchObject( { credentials: { access_key: 'new-key' } } );
	} );

	it( 'Subscribe calls the worker setup and shows the subscriptions SIIGO reports', async () => {
		const rest = fakeRest();
		stockRoutes( rest );
		let subscribed = false;
		rest.on( 'POST', `${ HOOKS }/setup`, () => {
			subscribed = true;
			return { status: 201, body: { created: [] } };
		} );
		rest.on( 'GET', `${ HOOKS }/subscriptions`, () => ( {
			body: {
				items: subscribed
					? [
							{
								id: 'a',
								topic: 'public.siigoapi.products.stock.update',
								url: 'https://worker.example/api/webhooks/receive/••••',
								active: true,
								ours: true,
							},
						]
					: [],
			},
		} ) );
		renderPage();
		const subscriptions = card( 'synchub-stock-subscriptions' );
		expect(
			await within( subscriptions ).findByText( 'No subscriptions yet.' )
		).toBeTruthy();
		fireEvent.click(
			within( subscriptions ).getByRole( 'button', { name: 'Subscribe' } )
		);
		expect(
			await within( subscriptions ).findByText( 'Stock changed' )
		).toBeTruthy();
		expect( rest.calls( 'POST', `${ HOOKS }/setup` ) ).toHaveLength( 1 );
	} );

	it( 'a manual full sync is queued from the stats card', async () => {
		const rest = fakeRest();
		stockRoutes( rest );
		rest.on( 'POST', `${ W }/sync`, {
			status: 202,
			body: { status: 'queued', job_id: '17', full: true },
		} );
		renderPage();
		fireEvent.click(
			await within( card( 'synchub-stock-stats' ) ).findByRole(
				'button',
				{ name: 'Full sync' }
			)
		);
		await waitFor( () =>
			expect( rest.calls( 'POST', `${ W }/sync` ) ).toHaveLength( 1 )
		);
		expect( rest.calls( 'POST', `${ W }/sync` )[ 0 ]?.body ).toEqual( {
			full: true,
		} );
	} );
} );

describe( 'Live feed', () => {
	afterEach( () => {
		vi.useRealTimers();
	} );

	it( 'asks only for changes after the newest one and puts them on top', async () => {
		vi.useFakeTimers( { toFake: [ 'setInterval', 'clearInterval' ] } );
		const rest = fakeRest();
		let round = 0;
		rest.on( 'GET', `${ W }/changes`, ( request ) => {
			round += 1;
			if ( request.query.get( 'since' ) === null ) {
				return { body: { items: [ change( 5, 'MUG-1', 10, 7 ) ] } };
			}
			return {
				body: {
					items: round === 2 ? [ change( 6, 'MUG-1', 7, 3 ) ] : [],
				},
			};
		} );
		render( <LiveFeedCard interval={ 1000 } /> );
		await until( () =>
			expect( screen.getByText( '10 → 7' ) ).toBeTruthy()
		);
		vi.advanceTimersByTime( 1000 );
		await until( () => expect( screen.getByText( '7 → 3' ) ).toBeTruthy() );
		const sinceCalls = rest
			.calls( 'GET', `${ W }/changes` )
			.filter( ( call ) => call.query.get( 'since' ) !== null );
		expect( sinceCalls[ 0 ]?.query.get( 'since' ) ).toBe( '5' );
		const items = screen.getAllByRole( 'listitem' );
		expect( items[ 0 ]?.textContent ).toContain( '7 → 3' );
		expect( items[ 0 ]?.className ).toContain( 'is-new' );
	} );

	it.each( [
		[
			'new first, no duplicates',
			[ change( 1, 'A', 1, 2 ) ],
			[ change( 2, 'B', 1, 2 ), change( 1, 'A', 1, 2 ) ],
			[ 2, 1 ],
		],
		[
			'keeps at most 50',
			Array.from( { length: 50 }, ( _, i ) =>
				change( i + 1, 'A', 0, i )
			),
			[ change( 51, 'B', 0, 1 ) ],
			[ 51, 50 ],
		],
	] )( 'mergeChanges: %s', ( _name, current, incoming, firstIds ) => {
		const merged = mergeChanges( current, incoming );
		expect( merged.slice( 0, 2 ).map( ( item ) => item.id ) ).toEqual(
			firstIds
		);
		expect( merged.length ).toBeLessThanOrEqual( 50 );
		expect( new Set( merged.map( ( item ) => item.id ) ).size ).toBe(
			merged.length
		);
	} );

	it( 'streams through the plugin relay when it can, and polls when the relay says the worker is unavailable', async () => {
		class FakeEventSource {
			static last: FakeEventSource | null = null;
			readonly listeners = new Map<
				string,
				Array< ( event: Event ) => void >
			>();
			closed = false;
			constructor( readonly url: string ) {
				FakeEventSource.last = this;
			}
			addEventListener(
				type: string,
				listener: ( event: Event ) => void
			): void {
				this.listeners.set( type, [
					...( this.listeners.get( type ) ?? [] ),
					listener,
				] );
			}
			close(): void {
				this.closed = true;
			}
			emit( type: string, data?: unknown ): void {
				const event =
					data === undefined
						? new Event( type )
						: new MessageEvent( type, {
								data: JSON.stringify( data ),
							} );
				( this.listeners.get( type ) ?? [] ).forEach( ( listener ) =>
					listener( event )
				);
			}
		}
		vi.stubGlobal( 'EventSource', FakeEventSource );
		apiFetch.nonceMiddleware = apiFetch.createNonceMiddleware( 'nonce123' );
		vi.useFakeTimers( { toFake: [ 'setInterval', 'clearInterval' ] } );
		window.history.replaceState(
			null,
			'',
			'/shop/wp-admin/admin.php?page=sync-hub&tab=stock'
		);
		const rest = fakeRest();
		rest.on( 'GET', `${ W }/changes`, ( request ) => ( {
			body: {
				items:
					request.query.get( 'since' ) === null
						? [ change( 5, 'MUG-1', 10, 7 ) ]
						: [ change( 9, 'CUP-2', 1, 0 ) ],
			},
		} ) );
		try {
			render( <LiveFeedCard interval={ 1000 } /> );
			await until( () => expect( FakeEventSource.last ).not.toBeNull() );
			const source = FakeEventSource.last as unknown as FakeEventSource;
			const url = new URL( source.url );
			expect( url.pathname ).toBe( '/shop/' );
			expect( url.searchParams.get( 'rest_route' ) ).toBe(
				'/sync-hub/v1/stock/stream'
			);
			expect( url.searchParams.get( '_wpnonce' ) ).toBe( 'nonce123' );
			expect( url.searchParams.get( 'since' ) ).toBe( '5' );
			act( () => source.emit( 'change', change( 6, 'MUG-1', 7, 2 ) ) );
			await until( () =>
				expect( screen.getByText( '7 → 2' ) ).toBeTruthy()
			);
			// No polling while streaming.
			vi.advanceTimersByTime( 3000 );
			expect(
				rest
					.calls( 'GET', `${ W }/changes` )
					.filter( ( call ) => call.query.get( 'since' ) !== null )
			).toHaveLength( 0 );
			act( () => source.emit( 'unavailable' ) );
			expect( source.closed ).toBe( true );
			vi.advanceTimersByTime( 1000 );
			await until( () =>
				expect( screen.getByText( '1 → 0' ) ).toBeTruthy()
			);
			expect(
				rest
					.calls( 'GET', `${ W }/changes` )
					.at( -1 )
					?.query.get( 'since' )
			).toBe( '6' );
		} finally {
			apiFetch.nonceMiddleware = undefined;
			window.history.replaceState(
				null,
				'',
				'/wp-admin/admin.php?page=sync-hub&tab=stock'
			);
		}
	} );
} );
