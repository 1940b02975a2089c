/**
 * External dependencies
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * Internal dependencies
 */
import {
	parseActivity,
	parseDriftOverview,
} from '../../../admin-ui/src/sync-status/data';
import { fakeRest, type FakeRest } from '../support/fake-rest';
import { NS } from '../support/fixtures';
import { quietSystem, renderPage } from '../support/render-page';

const W = `${ NS }/worker/api/v1`;
const checkedAt = new Date( Date.now() - 60_000 ).toISOString();
const DAY = 86_400_000;
const buckets = ( count: number ) =>
	Array.from( { length: count }, ( _value, index ) =>
		new Date(
			Math.floor( Date.now() / DAY ) * DAY - ( count - 1 - index ) * DAY
		).toISOString()
	);

const stockReport = {
	domain: 'stock',
	status: 'drift',
	compared: 4,
	differing: 2,
	kinds: { quantity_differs: 1, only_in_siigo: 1 },
	items: [
		{
			id: 'SKU00002',
			kind: 'quantity_differs',
			detail: { woocommerce_quantity: 7, siigo_quantity: 10 },
			resyncable: true,
		},
		{
			id: 'SKU00004',
			kind: 'only_in_siigo',
			detail: { siigo_quantity: 10 },
			resyncable: false,
		},
	],
	sources: {},
	message: null,
	checkedAt,
	durationMs: 12,
};

function driftBody(
	running: null | { progress: number; domains: string[] } = null
) {
	return {
		schedule: '17 */6 * * *',
		next_check_at: new Date( Date.now() + 3_600_000 ).toISOString(),
		running,
		domains: [
			{
				domain: 'events',
				report: {
					...stockReport,
					domain: 'events',
					status: 'in_sync',
					differing: 0,
					kinds: {},
					items: [],
				},
			},
			{
				domain: 'bookings',
				report: {
					...stockReport,
					domain: 'bookings',
					status: 'not_configured',
					differing: 0,
					kinds: {},
					items: [],
					message: 'Odoo is not configured.',
				},
			},
			{ domain: 'stock', report: stockReport },
			{ domain: 'products', report: null },
		],
	};
}

function activityBody( bucket: 'day' | 'hour', count: number ) {
	const zero = Array.from( { length: count }, () => 0 );
	// The last bucket 3, the first 1, the rest 0.
	const some = zero.map( ( _value, index ) => {
		if ( index === count - 1 ) {
			return 3;
		}
		return index === 0 ? 1 : 0;
	} );
	return {
		bucket,
		timezone: 'UTC',
		buckets: buckets( count ),
		series: [
			{
				domain: 'stock',
				chart: 'stock_changes',
				key: 'webhook',
				values: some,
			},
			{
				domain: 'stock',
				chart: 'stock_changes',
				key: 'scheduled_sync',
				values: zero,
			},
			{
				domain: 'stock',
				chart: 'stock_changes',
				key: 'manual',
				values: zero,
			},
			{
				domain: 'events',
				chart: 'events_synced',
				key: 'orders',
				values: zero,
			},
			{
				domain: 'events',
				chart: 'events_synced',
				key: 'tickets',
				values: zero,
			},
		],
	};
}

function routes( rest: FakeRest ) {
	quietSystem( rest );
	rest.on( 'GET', `${ W }/drift`, { body: driftBody() } );
	rest.on( 'GET', `${ W }/activity`, ( request ) => ( {
		body:
			request.query.get( 'bucket' ) === 'hour'
				? activityBody( 'hour', 48 )
				: activityBody( 'day', 14 ),
	} ) );
	rest.on( 'GET', `${ NS }/outbox/activity`, ( request ) => {
		const count = request.query.get( 'bucket' ) === 'hour' ? 48 : 14;
		const values = Array.from( { length: count }, ( _value, index ) =>
			index === count - 1 ? 5 : 0
		);
		return {
			body: {
				bucket: request.query.get( 'bucket' ) ?? 'day',
				buckets: buckets( count ),
				series: {
					delivered: values,
					failed: values.map( ( value ) => value / 5 ),
				},
			},
		};
	} );
}

const card = ( className: string ) =>
	document.querySelector< HTMLElement >( `.${ className }` ) as HTMLElement;

describe( 'parsers', () => {
	it( 'refuse a body that is not a drift report or an activity', () => {
		expect( () => parseDriftOverview( { nope: true } ) ).toThrow();
		expect( () => parseActivity( { buckets: 'x' } ) ).toThrow();
	} );

	it( 'align series with the buckets and read unknown statuses as errors', () => {
		const activity = parseActivity( {
			bucket: 'hour',
			buckets: [ 'a', 'b' ],
			series: [ { chart: 'c', key: 'k', values: [ 1 ] } ],
		} );
		expect( activity.series[ 0 ]?.values ).toEqual( [ 1, 0 ] );
		const drift = parseDriftOverview( {
			domains: [ { domain: 'stock', report: { status: 'weird' } } ],
			running: null,
		} );
		expect( drift.domains[ 0 ]?.report?.status ).toBe( 'error' );
	} );
} );

describe( 'Sync status screen', () => {
	beforeEach( () => {
		window.history.replaceState(
			null,
			'',
			'/wp-admin/admin.php?page=sync-hub&tab=status'
		);
	} );

	it( "shows each domain's last report, the first items that differ and the next check", async () => {
		const rest = fakeRest();
		routes( rest );
		renderPage();
		const drift = card( 'synchub-drift' );
		await waitFor( () =>
			expect(
				within( drift ).getAllByText(
					'WooCommerce stock differs from SIIGO'
				)
			).toHaveLength( 2 )
		);
		const stock = drift.querySelector< HTMLElement >(
			'[data-domain="stock"]'
		) as HTMLElement;
		expect( within( stock ).getByText( '2 differ' ) ).toBeTruthy();
		expect(
			within( stock ).getByRole( 'cell', { name: 'SKU00002' } )
		).toBeTruthy();
		expect(
			within( stock ).getByText(
				'WooCommerce stock: 7 · SIIGO stock: 10'
			)
		).toBeTruthy();
		expect(
			within(
				drift.querySelector< HTMLElement >(
					'[data-domain="events"]'
				) as HTMLElement
			).getByText( 'In sync' )
		).toBeTruthy();
		// A report that compared nothing says what to set up, in the user's language; the worker's reason is its title.
		expect(
			within(
				drift.querySelector< HTMLElement >(
					'[data-domain="bookings"]'
				) as HTMLElement
			)
				.getByText(
					'Odoo is not connected yet: set it up on the Bookings page.'
				)
				.getAttribute( 'title' )
		).toBe( 'Odoo is not configured.' );
		expect(
			within(
				drift.querySelector< HTMLElement >(
					'[data-domain="products"]'
				) as HTMLElement
			).getByText( 'Not checked yet' )
		).toBeTruthy();
		expect(
			within( drift ).getByText( /Next scheduled check/ )
		).toBeTruthy();
	} );

	it( '"Check now" starts a check and shows its progress; "Re-sync these" sends only what can be fixed', async () => {
		const rest = fakeRest();
		routes( rest );
		rest.on( 'POST', `${ W }/drift/check`, () => {
			rest.on( 'GET', `${ W }/drift`, {
				body: driftBody( {
					progress: 40,
					domains: [ 'events', 'bookings', 'stock', 'products' ],
				} ),
			} );
			return { status: 202, body: { status: 'queued', job_id: '1' } };
		} );
		rest.on( 'POST', `${ W }/drift/stock/resync`, {
			status: 202,
			body: { status: 'queued', enqueued: 1, skipped: [] },
		} );
		renderPage();
		const drift = card( 'synchub-drift' );
		fireEvent.click(
			await within( drift ).findByRole( 'button', { name: 'Check now' } )
		);
		await waitFor( () =>
			expect( within( drift ).getByText( 'Checking… 40%' ) ).toBeTruthy()
		);
		expect(
			(
				within( drift ).getByRole(
					'progressbar'
				) as HTMLProgressElement
			 ).value
		).toBe( 40 );
		expect(
			( await screen.findAllByText( 'Drift check started.' ) ).length
		).toBeGreaterThan( 0 );

		fireEvent.click(
			within( drift ).getByRole( 'button', { name: 'Re-sync this one' } )
		);
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ W }/drift/stock/resync` )
			).toHaveLength( 1 )
		);
		expect(
			rest.calls( 'POST', `${ W }/drift/stock/resync` )[ 0 ]?.body
		).toEqual( { ids: [ 'SKU00002' ] } );
		expect(
			(
				await screen.findAllByText(
					'Re-sync queued (1). Check again once it has run.'
				)
			).length
		).toBeGreaterThan( 0 );
	} );

	it( 'draws a labelled chart per activity, an empty state where nothing happened, and switches to hours', async () => {
		const rest = fakeRest();
		routes( rest );
		renderPage();
		const charts = card( 'synchub-activity' );
		const stock = await waitFor( () => {
			const found = charts.querySelector< HTMLElement >(
				'[data-chart="stock_changes"]'
			);
			expect( found ).toBeTruthy();
			return found as HTMLElement;
		} );
		const image = within( stock ).getByRole( 'img' );
		expect( image.getAttribute( 'aria-label' ) ).toBe(
			'Stock changes by source. Totals: Webhook: 4, Sweep: 0, Manual: 0.'
		);
		expect( stock.querySelectorAll( 'rect' ) ).toHaveLength( 14 * 3 );
		expect( within( stock ).getByRole( 'table' ) ).toBeTruthy();
		// The plugin's outbox, read from its own route, joins the worker's charts.
		const outbox = await waitFor( () =>
			within(
				charts.querySelector< HTMLElement >(
					'[data-chart="outbox"]'
				) as HTMLElement
			).getByRole( 'img' )
		);
		expect( outbox.getAttribute( 'aria-label' ) ).toBe(
			'Outbox deliveries. Totals: Delivered: 5, Failed: 1.'
		);
		const events = charts.querySelector< HTMLElement >(
			'[data-chart="events_synced"]'
		) as HTMLElement;
		expect(
			within( events ).getByText( 'Nothing in this period.' )
		).toBeTruthy();

		fireEvent.click(
			within( charts ).getByRole( 'button', { name: 'Hour (last 48)' } )
		);
		await waitFor( () =>
			expect(
				charts.querySelectorAll( '[data-chart="stock_changes"] rect' )
			).toHaveLength( 48 * 3 )
		);
		expect(
			rest
				.calls( 'GET', `${ W }/activity` )
				.at( -1 )
				?.query.get( 'bucket' )
		).toBe( 'hour' );
	} );

	it( 'runs time from right to left in a right-to-left language', async () => {
		window.syncHubAdmin = { ...window.syncHubAdmin, isRtl: true };
		const rest = fakeRest();
		routes( rest );
		renderPage();
		const charts = card( 'synchub-activity' );
		const bars = await waitFor( () => {
			const found = [
				...charts.querySelectorAll< SVGRectElement >(
					'[data-chart="stock_changes"] rect'
				),
			];
			expect( found.length ).toBeGreaterThan( 0 );
			return found;
		} );
		// The oldest bucket's group sits right of the newest one.
		const groupX = ( rect: SVGRectElement ) =>
			Number(
				/translate\(([-\d.]+)/.exec(
					rect.parentElement?.getAttribute( 'transform' ) ?? ''
				)?.[ 1 ]
			);
		expect( groupX( bars[ 0 ] as SVGRectElement ) ).toBeGreaterThan(
			groupX( bars[ bars.length - 1 ] as SVGRectElement )
		);
	} );

	it( 'shows the server message when the drift report cannot be read', async () => {
		const rest = fakeRest();
		routes( rest );
		rest.on( 'GET', `${ W }/drift`, {
			status: 502,
			body: {
				code: 'worker_unreachable',
				message: 'The worker did not answer.',
			},
		} );
		renderPage();
		expect(
			await within( card( 'synchub-drift' ) ).findByText(
				'The worker did not answer.'
			)
		).toBeTruthy();
	} );
} );
