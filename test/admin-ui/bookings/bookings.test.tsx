/**
 * External dependencies
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * Internal dependencies
 */
import { fakeRest, wpError, type FakeRest } from '../support/fake-rest';
import { NS } from '../support/fixtures';
import { quietSystem, renderPage } from '../support/render-page';

const W = `${ NS }/worker/api/v1/bookings`;
const SAVED = {
	url: 'https://odoo.example.test',
	db: 'prod',
	username: 'bot@example.test',
	has_api_key: true,
	configured: true,
	confirm_orders: true,
	create_invoices: false,
	health: null,
};
const ORDERS = {
	synced: {
		counts: { pending: 0, synced: 1, failed: 1 },
		items: [
			{
				wc_order_id: 1001,
				order_number: '1001',
				status: 'synced',
				paid_at: '2026-11-20T10:00:00.000Z',
				attempts: 1,
				last_error: null,
				odoo_sale_order_id: 7,
				odoo_sale_order_name: 'S00007',
			},
		],
	},
	failed: {
		counts: { pending: 0, synced: 1, failed: 1 },
		items: [
			{
				wc_order_id: 1005,
				order_number: '1005',
				status: 'failed',
				paid_at: '2026-11-20T10:00:00.000Z',
				attempts: 1,
				last_error:
					'Order #1005 has no customer email (billing.email).',
				odoo_sale_order_id: null,
				odoo_sale_order_name: null,
			},
		],
	},
};

function bookingsRoutes( rest: FakeRest ): void {
	quietSystem( rest );
	rest.on( 'GET', `${ W }/settings`, { body: SAVED } );
	rest.on( 'GET', `${ NS }/bookings/discount`, {
		body: { enabled: true, threshold: 4, percent: 5 },
	} );
	const byStatus: Record< string, unknown > = {
		failed: ORDERS.failed,
		synced: ORDERS.synced,
	};
	rest.on( 'GET', `${ W }/orders`, ( request ) => ( {
		body: byStatus[ request.query.get( 'status' ) ?? '' ] ?? {
			counts: ORDERS.synced.counts,
			items: [],
		},
	} ) );
}

function card( className: string ): HTMLElement {
	const found = document.querySelector< HTMLElement >( `.${ className }` );
	if ( ! found ) {
		throw new Error( `No .${ className } on the page` );
	}
	return found;
}

/** Queries inside the page (not the copy the a11y live region speaks). */
const page = () => within( card( 'synchub-page' ) );

describe( 'Bookings screen', () => {
	beforeEach( () => {
		window.history.replaceState(
			null,
			'',
			'/wp-admin/admin.php?page=sync-hub&tab=bookings'
		);
	} );

	it( 'shows the saved connection without the key, and Test shows Odoo version and user', async () => {
		const rest = fakeRest();
		bookingsRoutes( rest );
		rest.on( 'POST', `${ W }/test-connection`, {
			body: {
				ok: true,
				version: '17.0',
				user: { id: 2, name: 'Sync Bot', login: 'bot@example.test' },
			},
		} );
		renderPage();
		const url = ( await screen.findByLabelText(
			'Odoo URL'
		) ) as HTMLInputElement;
		expect( url.value ).toBe( 'https://odoo.example.test' );
		expect(
			( screen.getByLabelText( 'API key' ) as HTMLInputElement ).value
		).toBe( '' );
		expect(
			page().getByText( 'A key is saved. Leave blank to keep it.' )
		).toBeTruthy();
		fireEvent.click(
			within( card( 'synchub-bookings-connection' ) ).getByRole(
				'button',
				{ name: 'Test connection' }
			)
		);
		expect(
			await page().findByText(
				'Connected to Odoo 17.0 as Sync Bot (bot@example.test).'
			)
		).toBeTruthy();
	} );

	it( 'says in words why the connection test failed', async () => {
		const rest = fakeRest();
		bookingsRoutes( rest );
		rest.on( 'POST', `${ W }/test-connection`, {
			body: {
				ok: false,
				error: 'Odoo rejected the login "bot@example.test" on database "prod": the username or API key is wrong.',
			},
		} );
		renderPage();
		fireEvent.click(
			await within( card( 'synchub-bookings-connection' ) ).findByRole(
				'button',
				{ name: 'Test connection' }
			)
		);
		expect(
			await page().findByText( /the username or API key is wrong/ )
		).toBeTruthy();
	} );

	it( 'saves the connection, sending the key only when typed', async () => {
		const rest = fakeRest();
		bookingsRoutes( rest );
		// apiFetch sends PUT as POST with X-HTTP-Method-Override.
		rest.on( 'POST', `${ W }/settings`, {
			body: { status: 'saved', configured: true },
		} );
		renderPage();
		const db = await screen.findByLabelText( 'Database' );
		fireEvent.change( db, { target: { value: 'staging' } } );
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Save Odoo settings' } )
		);
		await waitFor( () =>
			expect( rest.calls( 'POST', `${ W }/settings` ) ).toHaveLength( 1 )
		);
		expect( rest.calls( 'POST', `${ W }/settings` )[ 0 ]?.body ).toEqual( {
			url: 'https://odoo.example.test',
			db: 'staging',
			username: 'bot@example.test',
			confirm_orders: true,
			create_invoices: false,
		} );
		fireEvent.change( screen.getByLabelText( 'API key' ), {
			target: { value: 'new-key' },
		} );
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Save Odoo settings' } )
		);
		await waitFor( () =>
			expect( rest.calls( 'POST', `${ W }/settings` ) ).toHaveLength( 2 )
		);
		expect(
			rest.calls( 'POST', `${ W }/settings` )[ 1 ]?.body
		).toMatchObject( { api_key: 'new-key' } );
	} );

	it( 'saves the discount rule and shows the server error for a bad one', async () => {
		const rest = fakeRest();
		bookingsRoutes( rest );
		rest.on( 'POST', `${ NS }/bookings/discount`, ( request ) =>
			( request.body as { percent: number } ).percent === 50
				? wpError(
						400,
						'synchub_invalid_discount',
						'The discount rule is not valid.'
					)
				: { body: request.body }
		);
		renderPage();
		const percent = await screen.findByLabelText( 'Discount (%)' );
		fireEvent.change( percent, { target: { value: '7.5' } } );
		fireEvent.change(
			screen.getByLabelText( 'From this many persons or classes' ),
			{ target: { value: '6' } }
		);
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Save discount rule' } )
		);
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ NS }/bookings/discount` )
			).toHaveLength( 1 )
		);
		expect(
			rest.calls( 'POST', `${ NS }/bookings/discount` )[ 0 ]?.body
		).toEqual( { enabled: true, threshold: 6, percent: 7.5 } );
		fireEvent.change( screen.getByLabelText( 'Discount (%)' ), {
			target: { value: '50' },
		} );
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Save discount rule' } )
		);
		expect(
			await page().findByText(
				'The discount rule was not saved: The discount rule is not valid.'
			)
		).toBeTruthy();
	} );

	it( 'lists synced orders with their Odoo names, failures with Retry', async () => {
		const rest = fakeRest();
		bookingsRoutes( rest );
		rest.on( 'POST', `${ W }/orders/1005/retry`, {
			status: 202,
			body: { status: 'queued', orders: 1 },
		} );
		renderPage();
		const synced = await page().findByText( 'S00007' );
		expect( synced.closest( 'tr' )?.getAttribute( 'data-order' ) ).toBe(
			'1001'
		);
		fireEvent.click( screen.getByRole( 'tab', { name: 'Failed' } ) );
		expect(
			await page().findByText(
				'Order #1005 has no customer email (billing.email).'
			)
		).toBeTruthy();
		fireEvent.click( screen.getByRole( 'button', { name: 'Retry' } ) );
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ W }/orders/1005/retry` )
			).toHaveLength( 1 )
		);
		expect(
			await page().findByText( 'Order #1005 will be sent to Odoo again.' )
		).toBeTruthy();
	} );

	it( 'sends a test order and starts a sync of all unsynced orders', async () => {
		const rest = fakeRest();
		bookingsRoutes( rest );
		rest.on( 'POST', `${ NS }/bookings/test-order`, {
			status: 202,
			body: { event_id: 'e', order_id: 1234, bookings: 1 },
		} );
		rest.on( 'POST', `${ NS }/worker/sync/manual`, {
			status: 202,
			body: { status: 'queued', orders: 3, jobs: 3, mode: 'single' },
		} );
		renderPage();
		fireEvent.change(
			await screen.findByLabelText(
				'Order number for the test (optional)'
			),
			{ target: { value: '1234' } }
		);
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Send test order' } )
		);
		expect(
			await page().findByText( 'Test order #1234 sent to the worker.' )
		).toBeTruthy();
		expect(
			rest.calls( 'POST', `${ NS }/bookings/test-order` )[ 0 ]?.body
		).toEqual( { order_id: 1234 } );
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Sync all unsynced orders' } )
		);
		expect(
			await page().findByText( 'Unsynced orders queued: 3.' )
		).toBeTruthy();
	} );
} );
