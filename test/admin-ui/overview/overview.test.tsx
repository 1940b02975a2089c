/**
 * External dependencies
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

/**
 * Internal dependencies
 */
import { fakeRest, workerError, wpError } from '../support/fake-rest';
import { DEAD_LETTERS, DEGRADED, FAILED_OUTBOX, NS } from '../support/fixtures';
import { quietSystem, renderPage } from '../support/render-page';

/**
 * A notice of the page (not the copy that the a11y live region speaks).
 * @param text
 */
function findNotice( text: string ): Promise< HTMLElement > {
	return within( card( 'synchub-page' ) ).findByText( text );
}

function card( className: string ): HTMLElement {
	const found = document.querySelector< HTMLElement >( `.${ className }` );
	if ( ! found ) {
		throw new Error( `No .${ className } on the page` );
	}
	return found;
}

describe( 'Overview', () => {
	it( 'shows loading states while the server has not answered', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		const held = [
			rest.hold( 'GET', `${ NS }/worker/health` ),
			rest.hold( 'GET', `${ NS }/outbox` ),
		];
		renderPage();
		expect(
			await screen.findByText( 'Checking the worker…' )
		).toBeTruthy();
		expect( screen.getByText( 'Loading the outbox…' ) ).toBeTruthy();
		held.forEach( ( hold ) => hold.release() );
		await screen.findByText( 'Healthy' );
		expect( screen.queryByText( 'Checking the worker…' ) ).toBeNull();
	} );

	it( 'shows a healthy worker, its queues and the empty states', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		renderPage();
		const badge = await screen.findByText( 'Healthy' );
		expect( badge.getAttribute( 'data-status' ) ).toBe( 'healthy' );

		const health = card( 'synchub-health' );
		expect( within( health ).getByText( 'Database' ) ).toBeTruthy();
		expect( within( health ).getByText( 'Redis' ) ).toBeTruthy();
		// Connectors reported as null are not configured, so not shown.
		expect( within( health ).queryByText( 'Odoo' ) ).toBeNull();
		const bookings = health.querySelector( 'tr[data-queue="bookings"]' );
		expect( bookings?.textContent ).toBe( 'Bookings2130' );

		expect(
			await screen.findByText( 'No failed deliveries.' )
		).toBeTruthy();
		expect( await screen.findByText( 'No failed jobs.' ) ).toBeTruthy();
		const counts = card( 'synchub-outbox' ).querySelector(
			'[data-count="delivered"] dd'
		);
		expect( counts?.textContent ).toBe( '12' );
	} );

	it( 'shows a degraded worker with the failing dependencies', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'GET', `${ NS }/worker/health`, {
			status: 503,
			body: DEGRADED,
		} );
		renderPage();
		const badge = await screen.findByText( 'Degraded' );
		expect( badge.getAttribute( 'data-status' ) ).toBe( 'degraded' );
		const health = card( 'synchub-health' );
		const odoo = within( health ).getByText( 'Odoo' ).closest( 'li' );
		expect( odoo?.textContent ).toContain( 'Unavailable' );
		const redis = within( health ).getByText( 'Redis' ).closest( 'li' );
		expect( redis?.textContent ).toContain( 'Unavailable' );
	} );

	it( 'shows the server message when the worker cannot be reached, and recovers on retry', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on(
			'GET',
			`${ NS }/worker/health`,
			wpError(
				502,
				'synchub_worker_unreachable',
				'The worker at http://127.0.0.1:8787 did not answer.'
			)
		);
		renderPage();
		const health = card( 'synchub-health' );
		expect(
			await within( health ).findByText(
				'The worker at http://127.0.0.1:8787 did not answer.'
			)
		).toBeTruthy();
		expect( within( health ).queryByText( 'Healthy' ) ).toBeNull();

		quietSystem( rest );
		fireEvent.click(
			within( health ).getByRole( 'button', { name: 'Try again' } )
		);
		expect( await within( health ).findByText( 'Healthy' ) ).toBeTruthy();
	} );

	it( 'lists failed outbox rows and retries one, ending in a notice', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'GET', `${ NS }/outbox`, { body: FAILED_OUTBOX } );
		rest.on( 'POST', `${ NS }/outbox/7/retry`, {
			body: { id: 7, status: 'pending' },
		} );
		renderPage();
		const outbox = card( 'synchub-outbox' );
		expect( await within( outbox ).findByText( 'HTTP 500' ) ).toBeTruthy();
		expect(
			rest.calls( 'GET', `${ NS }/outbox` )[ 0 ]?.query.get( 'status' )
		).toBe( 'failed' );
		expect(
			outbox.querySelector( '[data-count="failed"] dd' )?.textContent
		).toBe( '2' );

		const row = outbox.querySelector< HTMLElement >( 'tr[data-row="7"]' );
		if ( ! row ) {
			throw new Error( 'row 7 missing' );
		}
		fireEvent.click(
			within( row ).getByRole( 'button', { name: 'Retry row #7 now' } )
		);
		expect(
			await findNotice( 'Row #7 will be delivered again.' )
		).toBeTruthy();
		expect( rest.calls( 'POST', `${ NS }/outbox/7/retry` ) ).toHaveLength(
			1
		);
		// The list is loaded again after the retry.
		await waitFor( () =>
			expect( rest.calls( 'GET', `${ NS }/outbox` ) ).toHaveLength( 2 )
		);
	} );

	it( 'switches the outbox list to pending rows', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		renderPage();
		const outbox = card( 'synchub-outbox' );
		await within( outbox ).findByText( 'No failed deliveries.' );
		fireEvent.change( within( outbox ).getByLabelText( 'Show rows' ), {
			target: { value: 'pending' },
		} );
		expect(
			await within( outbox ).findByText(
				'Nothing is waiting to be delivered.'
			)
		).toBeTruthy();
		expect(
			rest
				.calls( 'GET', `${ NS }/outbox` )
				.at( -1 )
				?.query.get( 'status' )
		).toBe( 'pending' );
	} );

	it( 'lists the dead letters of every queue and replays one', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'GET', `${ NS }/worker/api/v1/jobs/failed`, {
			body: DEAD_LETTERS,
		} );
		const replayPath = `${ NS }/worker/api/v1/jobs/bookings/repeat%3Abookings-sweep%3A1735815600000/retry`;
		rest.on( 'POST', replayPath, {
			status: 202,
			body: { status: 'retrying' },
		} );
		renderPage();
		const deadLetters = card( 'synchub-dead-letters' );
		expect(
			await within( deadLetters ).findByText(
				'Odoo answered: Access Denied'
			)
		).toBeTruthy();
		expect(
			within( deadLetters ).getByText(
				'Event store rejected the ticket tier'
			)
		).toBeTruthy();
		// Every queue: no queue argument.
		expect(
			rest
				.calls( 'GET', `${ NS }/worker/api/v1/jobs/failed` )[ 0 ]
				?.query.has( 'queue' )
		).toBe( false );

		fireEvent.click(
			within( deadLetters ).getByRole( 'button', {
				name: 'Replay job repeat:bookings-sweep:1735815600000',
			} )
		);
		expect(
			await findNotice(
				'Job repeat:bookings-sweep:1735815600000 was sent back to its queue.'
			)
		).toBeTruthy();
		expect( rest.calls( 'POST', replayPath ) ).toHaveLength( 1 );
		await waitFor( () =>
			expect(
				rest.calls( 'GET', `${ NS }/worker/api/v1/jobs/failed` )
			).toHaveLength( 2 )
		);
	} );

	it( 'narrows the dead letters to one queue, with failed counts from the health', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'GET', `${ NS }/worker/api/v1/jobs/failed`, ( request ) => ( {
			body:
				request.query.get( 'queue' ) === 'stock'
					? { items: [] }
					: DEAD_LETTERS,
		} ) );
		renderPage();
		await screen.findByText( 'Healthy' );
		const deadLetters = card( 'synchub-dead-letters' );
		const select =
			within( deadLetters ).getByLabelText< HTMLSelectElement >(
				'Queue'
			);
		expect( select.value ).toBe( '' );
		expect(
			within( select ).getByText( 'Bookings (3 failed)' )
		).toBeTruthy();
		expect( within( select ).getByText( 'Stock' ) ).toBeTruthy();

		fireEvent.change( select, { target: { value: 'stock' } } );
		expect(
			await within( deadLetters ).findByText(
				'No failed jobs in this queue.'
			)
		).toBeTruthy();
		expect(
			rest
				.calls( 'GET', `${ NS }/worker/api/v1/jobs/failed` )
				.at( -1 )
				?.query.get( 'queue' )
		).toBe( 'stock' );
	} );

	it( 'shows the worker message when a replay is refused', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'GET', `${ NS }/worker/api/v1/jobs/failed`, {
			body: DEAD_LETTERS,
		} );
		rest.on(
			'POST',
			`${ NS }/worker/api/v1/jobs/events/inbound-42/retry`,
			workerError(
				409,
				'not_failed',
				'Job inbound-42 is waiting, not failed; only failed jobs can be replayed.'
			)
		);
		renderPage();
		const deadLetters = card( 'synchub-dead-letters' );
		fireEvent.click(
			await within( deadLetters ).findByRole( 'button', {
				name: 'Replay job inbound-42',
			} )
		);
		expect(
			await findNotice(
				'Job inbound-42 could not be replayed: Job inbound-42 is waiting, not failed; only failed jobs can be replayed.'
			)
		).toBeTruthy();
	} );

	it( 'shows a proxied worker error in the dead letters card', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on(
			'GET',
			`${ NS }/worker/api/v1/jobs/failed`,
			workerError(
				401,
				'unauthorized',
				'Missing or invalid bearer token'
			)
		);
		renderPage();
		const deadLetters = card( 'synchub-dead-letters' );
		expect(
			await within( deadLetters ).findByText(
				'Missing or invalid bearer token'
			)
		).toBeTruthy();
		expect(
			within( deadLetters ).queryByText( 'No failed jobs.' )
		).toBeNull();
	} );
} );
