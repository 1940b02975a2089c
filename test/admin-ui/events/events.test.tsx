/**
 * External dependencies
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * Internal dependencies
 */
import { validateConfiguration } from '../../../admin-ui/src/events/configuration-form';
import { fakeRest, type FakeRest } from '../support/fake-rest';
import { NS } from '../support/fixtures';
import { quietSystem, renderPage } from '../support/render-page';

const W = `${ NS }/worker/api/v1/sync-woocommerce`;
const CONFIGURATION = {
	id: 3,
	name: 'Año Nuevo',
	woocommerce_product_id: 10,
	event_name: 'Concierto',
	event_description: '',
	organizer_email: 'eventos@example.co',
	organizer_name: 'Eventos',
	service_fee_percentage: 5,
	sync_frequency: 'daily',
	is_active: true,
	is_paused: false,
	is_migration: true,
	tier_name_template: 'Tickets {EventName} (Migrados WooCommerce)',
	last_sync_at: null,
};
const RUNNING = {
	id: 9,
	configuration_id: 3,
	status: 'running',
	started_at: '2026-11-23T10:00:00.000Z',
	finished_at: null,
	orders_processed: 250,
	tickets_processed: 600,
	new_orders: 250,
	updated_orders: 0,
	new_tickets: 600,
	updated_tickets: 0,
	execution_time: '00:00:12',
	error_message: null,
	progress: { processed: 250, total: 1000, percent: 25 },
};

// jsdom has no layout: the picker's suggestion list scrolls its selected option into view.
Element.prototype.scrollIntoView ??= function scrollIntoView() {};

const STORE_PRODUCTS = [
	{ id: 10, name: 'Gala ticket', sku: 'GALA-10', type: 'simple' },
	{ id: 999, name: 'Old gala', sku: 'GALA-999', type: 'variable' },
];

function routes( rest: FakeRest, executions: unknown[] = [ RUNNING ] ): void {
	quietSystem( rest );
	// The product picker searches the store by name or SKU, or loads the saved choice by id.
	rest.on( 'GET', `${ NS }/store-products`, ( request ) => {
		const include = Number( request.query.get( 'id' ) ?? 0 );
		const search = ( request.query.get( 'search' ) ?? '' ).toLowerCase();
		return {
			body: STORE_PRODUCTS.filter( ( product ) =>
				include > 0
					? product.id === include
					: `${ product.name } ${ product.sku }`
							.toLowerCase()
							.includes( search )
			),
		};
	} );
	rest.on( 'GET', `${ W }/configurations/`, {
		body: { count: 1, results: [ CONFIGURATION ] },
	} );
	rest.on( 'GET', `${ W }/executions/`, {
		body: { count: executions.length, results: executions },
	} );
}

/**
 * Types into the product picker and picks the option that shows `text`, as a person would.
 * @param dialog
 * @param typed
 * @param option
 */
async function pickProduct(
	dialog: ReturnType< typeof within >,
	typed: string,
	option: RegExp
): Promise< void > {
	const input = dialog.getByLabelText( 'Event product' );
	fireEvent.focus( input );
	fireEvent.change( input, { target: { value: typed } } );
	fireEvent.click(
		await dialog.findByRole( 'option', { name: option }, { timeout: 3000 } )
	);
}

const card = ( className: string ) => {
	const found = document.querySelector< HTMLElement >( `.${ className }` );
	if ( ! found ) {
		throw new Error( `No .${ className }` );
	}
	return within( found );
};

describe( 'Events screen', () => {
	beforeEach( () => {
		window.history.replaceState(
			null,
			'',
			'/wp-admin/admin.php?page=sync-hub&tab=events'
		);
	} );

	it( 'lists configurations and shows a live progress bar for a running execution', async () => {
		const rest = fakeRest();
		routes( rest );
		renderPage();
		await screen.findByText( 'Concierto' );
		expect(
			await screen.findByText( '250 of 1,000 orders (25%)' )
		).toBeTruthy();
		expect(
			card( 'synchub-events-executions' ).getByText( 'Año Nuevo' )
		).toBeTruthy();
		expect(
			document.querySelector(
				'.synchub-events-progress progress, .synchub-events-progress [role="progressbar"]'
			)
		).not.toBeNull();
		expect(
			card( 'synchub-events-executions' ).getByText( 'Running' )
		).toBeTruthy();
	} );

	it( 'says how many orders a forced re-scan found unchanged and did not re-read', async () => {
		const rest = fakeRest();
		const finished = {
			...RUNNING,
			status: 'completed',
			finished_at: '2026-11-23T10:00:06.000Z',
			orders_processed: 1000,
			new_orders: 0,
			updated_orders: 2,
			progress: { processed: 1000, total: 1000, percent: 100 },
		};
		routes( rest, [
			{ ...finished, id: 11, unchanged_orders: 998 },
			{ ...finished, id: 10, updated_orders: 0 },
		] );
		renderPage();
		const rescan = await screen.findByText(
			'998 orders unchanged in the store, not re-read'
		);
		expect(
			rescan
				.closest( '[data-execution]' )
				?.getAttribute( 'data-execution' )
		).toBe( '11' );
		// An execution without the field (a worker before fingerprints) or with none skipped shows no line.
		expect(
			document.querySelectorAll( '.synchub-events-unchanged' )
		).toHaveLength( 1 );
	} );

	it( 'triggers, pauses and tests a configuration through the plugin proxy', async () => {
		const rest = fakeRest();
		routes( rest, [] );
		rest.on( 'POST', `${ W }/configurations/3/trigger_sync/`, {
			status: 202,
			body: RUNNING,
		} );
		rest.on( 'POST', `${ W }/configurations/3/pause_sync/`, {
			body: { ...CONFIGURATION, is_paused: true },
		} );
		rest.on( 'POST', `${ W }/configurations/3/test_connection/`, {
			body: {
				ok: true,
				database_reachable: true,
				storage_mode: 'hpos',
				product_found: true,
				product_name: 'Concierto',
				matching_paid_orders: 1234,
			},
		} );
		renderPage();
		await screen.findByText( 'Concierto' );
		fireEvent.click( screen.getByRole( 'button', { name: 'Trigger' } ) );
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ W }/configurations/3/trigger_sync/` )
			).toHaveLength( 1 )
		);
		fireEvent.click( screen.getByRole( 'button', { name: 'Pause' } ) );
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ W }/configurations/3/pause_sync/` )
			).toHaveLength( 1 )
		);
		fireEvent.click( screen.getByRole( 'button', { name: 'Test' } ) );
		expect(
			(
				await screen.findAllByText(
					'Database reachable (hpos storage). Product: Concierto. Paid orders to sync: 1,234.'
				)
			).length
		).toBeGreaterThan( 0 );
	} );

	it( 'shows the worker’s per-field messages and keeps the form open', async () => {
		const rest = fakeRest();
		routes( rest, [] );
		rest.on( 'POST', `${ W }/configurations/`, {
			status: 400,
			body: {
				error: {
					code: 'validation_error',
					message: 'The request is not valid.',
					details: {
						fields: {
							woocommerce_product_id: [
								'No WooCommerce product or variation with id 999.',
							],
						},
					},
				},
			},
		} );
		renderPage();
		await screen.findByText( 'Concierto' );
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Add configuration' } )
		);
		const dialog = within( await screen.findByRole( 'dialog' ) );
		fireEvent.click( dialog.getByRole( 'button', { name: 'Save' } ) );
		expect( await dialog.findByText( 'Enter a name.' ) ).toBeTruthy();
		expect( rest.calls( 'POST', `${ W }/configurations/` ) ).toHaveLength(
			0
		);

		fireEvent.change( dialog.getByLabelText( 'Name' ), {
			target: { value: 'Gala' },
		} );
		await pickProduct( dialog, 'GALA-999', /Old gala \(GALA-999\)/ );
		fireEvent.change( dialog.getByLabelText( 'Event name' ), {
			target: { value: 'Gala' },
		} );
		fireEvent.change( dialog.getByLabelText( 'Organizer email' ), {
			target: { value: 'gala@example.co' },
		} );
		fireEvent.change( dialog.getByLabelText( 'Organizer name' ), {
			target: { value: 'Gala' },
		} );
		fireEvent.click( dialog.getByRole( 'button', { name: 'Save' } ) );
		expect(
			await dialog.findByText(
				'No WooCommerce product or variation with id 999.'
			)
		).toBeTruthy();
		expect(
			rest.calls( 'POST', `${ W }/configurations/` )[ 0 ]?.body
		).toMatchObject( {
			name: 'Gala',
			woocommerce_product_id: 999,
			sync_frequency: 'manual',
		} );
		expect( screen.getByRole( 'dialog' ) ).toBeTruthy();
	} );
	it( 'creates from a name and a product only: the worker fills in the rest from the store', async () => {
		const rest = fakeRest();
		routes( rest, [] );
		rest.on( 'POST', `${ W }/configurations/`, {
			status: 201,
			body: { ...CONFIGURATION, id: 4, name: 'Gala' },
		} );
		renderPage();
		await screen.findByText( 'Concierto' );
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Add configuration' } )
		);
		const dialog = within( await screen.findByRole( 'dialog' ) );
		fireEvent.change( dialog.getByLabelText( 'Name' ), {
			target: { value: 'Gala' },
		} );
		await pickProduct( dialog, 'gala ti', /Gala ticket \(GALA-10\) — #10/ );
		fireEvent.click( dialog.getByRole( 'button', { name: 'Save' } ) );
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ W }/configurations/` )
			).toHaveLength( 1 )
		);
		const body = rest.calls( 'POST', `${ W }/configurations/` )[ 0 ]
			?.body as Record< string, unknown >;
		expect( body ).toMatchObject( {
			name: 'Gala',
			woocommerce_product_id: 10,
			tier_name_template: '',
		} );
		for ( const key of [
			'event_name',
			'organizer_email',
			'organizer_name',
		] ) {
			expect( body ).not.toHaveProperty( key );
		}
	} );

	// apiFetch sends PUT as POST with X-HTTP-Method-Override.
	it( 'edits the ticket tier name', async () => {
		const rest = fakeRest();
		routes( rest, [] );
		rest.on( 'POST', `${ W }/configurations/3/`, {
			body: {
				...CONFIGURATION,
				tier_name_template: 'Boletas {EventName}',
			},
		} );
		renderPage();
		await screen.findByText( 'Concierto' );
		fireEvent.click( screen.getByRole( 'button', { name: 'Edit' } ) );
		const dialog = within( await screen.findByRole( 'dialog' ) );
		const field = dialog.getByLabelText(
			'Ticket tier name'
		) as HTMLInputElement;
		expect( field.value ).toBe(
			'Tickets {EventName} (Migrados WooCommerce)'
		);
		fireEvent.change( field, { target: { value: 'Boletas {EventName}' } } );
		fireEvent.click( dialog.getByRole( 'button', { name: 'Save' } ) );
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ W }/configurations/3/` )
			).toHaveLength( 1 )
		);
		expect(
			rest.calls( 'POST', `${ W }/configurations/3/` )[ 0 ]?.body
		).toMatchObject( {
			tier_name_template: 'Boletas {EventName}',
			event_name: 'Concierto',
		} );
	} );
} );

describe( 'validateConfiguration', () => {
	const valid = {
		name: 'A',
		woocommerce_product_id: 1,
		event_name: 'E',
		event_description: '',
		organizer_email: 'a@b.co',
		organizer_name: 'O',
		service_fee_percentage: 0,
		sync_frequency: 'manual' as const,
		is_active: true,
		is_migration: false,
		tier_name_template: '',
	};
	it.each( [
		[ {}, [] ],
		[ { name: ' ' }, [ 'name' ] ],
		[ { woocommerce_product_id: 0 }, [ 'woocommerce_product_id' ] ],
		[ { woocommerce_product_id: 1.5 }, [ 'woocommerce_product_id' ] ],
		[ { organizer_email: 'nope' }, [ 'organizer_email' ] ],
		[ { service_fee_percentage: 101 }, [ 'service_fee_percentage' ] ],
		[
			{ service_fee_percentage: -1, event_name: '' },
			[ 'event_name', 'service_fee_percentage' ],
		],
	] )( '%j → %j', ( overrides, fields ) => {
		expect(
			Object.keys(
				validateConfiguration( { ...valid, ...overrides } )
			).sort()
		).toEqual( fields );
	} );
	it.each( [
		[ { event_name: '', organizer_email: '', organizer_name: '' }, [] ],
		[ { organizer_email: 'nope' }, [ 'organizer_email' ] ],
		[ { name: '' }, [ 'name' ] ],
	] )( 'creating: %j → %j', ( overrides, fields ) => {
		expect(
			Object.keys(
				validateConfiguration( { ...valid, ...overrides }, false )
			).sort()
		).toEqual( fields );
	} );
} );
