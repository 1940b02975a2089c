/**
 * External dependencies
 */
import {
	fireEvent,
	render,
	screen,
	waitFor,
	within,
} from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

/**
 * Internal dependencies
 */
import { ProductsScreen } from '../../../admin-ui/src/products';
import { fakeRest, workerError, type FakeRest } from '../support/fake-rest';
import { NS } from '../support/fixtures';

const W = `${ NS }/worker/api/v1`;
const TOKEN = `wc_sk_live_${ 'A'.repeat( 40 ) }`;

const DEFAULT_ENDPOINT =
	'http://127.0.0.1:8787/api/integrations/woocommerce/webhook/';
const SIGNING_KEY = `products-signing-key-${ 'k'.repeat( 30 ) }`;
const FEED = {
	endpoint_url: '',
	effective_url: DEFAULT_ENDPOINT,
	default_endpoint_url: DEFAULT_ENDPOINT,
	has_token: false,
	token_needs_reentry: false,
	has_signing_key: true,
	signing_key: SIGNING_KEY,
	can_edit_connection: true,
	debounce: 30,
};

const tokenRecord = ( id: number, over: Record< string, unknown > = {} ) => ( {
	id,
	name: `Backend ${ id }`,
	owner: 'default',
	preview: 'wc_sk_live_AAAA…AAAA',
	is_active: true,
	expires_at: null,
	last_used_at: null,
	usage_count: 3,
	created_at: '2026-11-23T10:00:00.000Z',
	...over,
} );

function quietProducts( rest: FakeRest ): void {
	rest.on( 'GET', `${ W }/products/stats/`, {
		body: {
			total: 12,
			active: 9,
			deleted: 3,
			awaiting_embedding: 2,
			chunks: 40,
		},
	} );
	rest.on( 'GET', `${ W }/integrations/tokens/`, {
		body: { count: 1, results: [ tokenRecord( 1 ) ] },
	} );
	rest.on( 'GET', `${ W }/integrations/woocommerce/events/`, {
		body: {
			count: 2,
			results: [
				{
					id: 2,
					event_id: 'e2',
					event_type: 'product.deleted',
					product_id: 7,
					status: 'processed',
					success: true,
					error: null,
					processing_ms: 4,
					source_ip: '127.0.0.1',
					received_at: '2026-11-23T10:00:02.000Z',
				},
				{
					id: 1,
					event_id: 'e1',
					event_type: 'product.updated',
					product_id: 7,
					status: 'stale',
					success: true,
					error: 'a newer state of this product is already stored',
					processing_ms: 3,
					source_ip: '127.0.0.1',
					received_at: '2026-11-23T10:00:01.000Z',
				},
			],
		},
	} );
	rest.on( 'GET', `${ NS }/products/settings`, { body: FEED } );
	rest.on( 'GET', `${ NS }/products/backfill`, {
		body: { status: 'idle', page: 1, processed: 0, total: 0, errors: 0 },
	} );
}

function card( className: string ): HTMLElement {
	const found = document.querySelector< HTMLElement >( `.${ className }` );
	if ( ! found ) {
		throw new Error( `No .${ className }` );
	}
	return found;
}

describe( 'Products screen', () => {
	it( 'shows the counts of the product store', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		render( <ProductsScreen /> );
		await waitFor( () =>
			expect(
				card( 'synchub-products-counts' ).querySelector(
					'[data-count="awaiting_embedding"] dd'
				)?.textContent
			).toBe( '2' )
		);
		expect(
			card( 'synchub-products-counts' ).querySelector(
				'[data-count="active"] dd'
			)?.textContent
		).toBe( '9' );
		expect(
			card( 'synchub-products-counts' ).querySelector(
				'[data-count="deleted"] dd'
			)?.textContent
		).toBe( '3' );
	} );

	it( 'generates a token, shows it once with a copy button, and forgets it', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		rest.on( 'POST', `${ W }/integrations/tokens/generate/`, {
			status: 201,
			body: { ...tokenRecord( 2, { name: 'Search' } ), token: TOKEN },
		} );
		const writeText = vi.fn( async () => undefined );
		Object.defineProperty( navigator, 'clipboard', {
			value: { writeText },
			configurable: true,
		} );
		render( <ProductsScreen /> );
		const tokens = card( 'synchub-products-tokens' );
		await within( tokens ).findByText( 'Backend 1' );
		fireEvent.change( within( tokens ).getByLabelText( 'Token name' ), {
			target: { value: 'Search' },
		} );
		fireEvent.click( within( tokens ).getByText( 'Generate token' ) );
		expect( await within( tokens ).findByText( TOKEN ) ).toBeTruthy();
		expect(
			rest.calls( 'POST', `${ W }/integrations/tokens/generate/` )[ 0 ]
				?.body
		).toEqual( { name: 'Search' } );
		fireEvent.click( within( tokens ).getByText( 'Copy token' ) );
		await waitFor( () =>
			expect( writeText ).toHaveBeenCalledWith( TOKEN )
		);
		expect( await within( tokens ).findByText( 'Copied' ) ).toBeTruthy();
		fireEvent.click( within( tokens ).getByText( 'Done' ) );
		expect( within( tokens ).queryByText( TOKEN ) ).toBeNull();
	} );

	it( 'revokes a token and reloads the list', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		let revoked = false;
		// apiFetch sends DELETE as POST + X-HTTP-Method-Override, which WordPress honours.
		rest.on( 'POST', `${ W }/integrations/tokens/1/`, () => {
			revoked = true;
			return { body: { status: 'revoked' } };
		} );
		rest.on( 'GET', `${ W }/integrations/tokens/`, () => ( {
			body: {
				count: 1,
				results: [ tokenRecord( 1, { is_active: ! revoked } ) ],
			},
		} ) );
		render( <ProductsScreen /> );
		const tokens = card( 'synchub-products-tokens' );
		fireEvent.click( await within( tokens ).findByText( 'Revoke' ) );
		expect( await within( tokens ).findByText( 'Revoked' ) ).toBeTruthy();
		expect( within( tokens ).queryByText( 'Revoke' ) ).toBeNull();
	} );

	it( 'lists events and sends the filters to the worker', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		render( <ProductsScreen /> );
		const events = card( 'synchub-products-events' );
		expect(
			await within( events ).findByText( 'Older than stored' )
		).toBeTruthy();
		expect(
			within( events ).getByText(
				'a newer state of this product is already stored'
			)
		).toBeTruthy();
		fireEvent.change( within( events ).getByLabelText( 'Type' ), {
			target: { value: 'product.deleted' },
		} );
		fireEvent.change( within( events ).getByLabelText( 'Result' ), {
			target: { value: 'false' },
		} );
		await waitFor( () => {
			const last = rest
				.calls( 'GET', `${ W }/integrations/woocommerce/events/` )
				.at( -1 );
			expect( last?.query.get( 'event_type' ) ).toBe( 'product.deleted' );
			expect( last?.query.get( 'success' ) ).toBe( 'false' );
		} );
	} );

	it( 'shows a worker error with a retry button', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		rest.on(
			'GET',
			`${ W }/integrations/tokens/`,
			workerError(
				502,
				'synchub_worker_unreachable',
				'The Sync Hub worker could not be reached.'
			)
		);
		render( <ProductsScreen /> );
		const tokens = card( 'synchub-products-tokens' );
		expect(
			await within( tokens ).findByText( /could not be reached/ )
		).toBeTruthy();
	} );

	it( 'runs the backfill page by page with a progress bar until done', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		let page = 0;
		rest.on( 'POST', `${ NS }/products/backfill`, () => {
			page += 1;
			const processed = Math.min( 250, page * 100 );
			return {
				body: {
					status: processed >= 250 ? 'done' : 'running',
					page: page + 1,
					processed,
					total: 250,
					errors: 0,
				},
			};
		} );
		render( <ProductsScreen /> );
		const backfill = card( 'synchub-products-backfill' );
		fireEvent.click(
			await within( backfill ).findByRole( 'button', {
				name: 'Sync all products',
			} )
		);
		expect(
			await within( backfill ).findByText( '250 of 250 products sent' )
		).toBeTruthy();
		expect( within( backfill ).getByText( 'Done.' ) ).toBeTruthy();
		const calls = rest.calls( 'POST', `${ NS }/products/backfill` );
		expect( calls.map( ( call ) => call.body ) ).toEqual( [
			{ restart: true },
			{ restart: false },
			{ restart: false },
		] );
		expect(
			backfill.querySelector( 'progress' )?.getAttribute( 'value' )
		).toBe( '100' );
	} );

	it( 'offers Resume when a backfill stopped half way', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		rest.on( 'GET', `${ NS }/products/backfill`, {
			body: {
				status: 'running',
				page: 3,
				processed: 200,
				total: 450,
				errors: 0,
			},
		} );
		rest.on( 'POST', `${ NS }/products/backfill`, {
			body: {
				status: 'done',
				page: 6,
				processed: 450,
				total: 450,
				errors: 0,
			},
		} );
		render( <ProductsScreen /> );
		const backfill = card( 'synchub-products-backfill' );
		expect(
			await within( backfill ).findByText( '200 of 450 products sent' )
		).toBeTruthy();
		fireEvent.click( within( backfill ).getByText( 'Resume' ) );
		expect(
			await within( backfill ).findByText( '450 of 450 products sent' )
		).toBeTruthy();
		expect(
			rest.calls( 'POST', `${ NS }/products/backfill` )[ 0 ]?.body
		).toEqual( { restart: false } );
	} );

	it( 'saves the feed without resending an empty token and tests the connection', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		rest.on( 'POST', `${ NS }/products/settings`, ( request ) => ( {
			body: {
				...FEED,
				endpoint_url: ( request.body as { endpoint_url: string } )
					.endpoint_url,
				effective_url:
					'https://kb.example/api/integrations/woocommerce/webhook/',
				has_token: true,
				debounce: 10,
			},
		} ) );
		rest.on( 'POST', `${ NS }/products/settings/test`, {
			body: {
				ok: false,
				error: 'The endpoint answered HTTP 401. The integration token has been revoked.',
			},
		} );
		render( <ProductsScreen /> );
		const feed = card( 'synchub-products-feed' );
		fireEvent.change(
			await within( feed ).findByLabelText( 'Endpoint URL' ),
			{
				target: {
					value: 'https://kb.example/api/integrations/woocommerce/webhook/',
				},
			}
		);
		fireEvent.change(
			within( feed ).getByLabelText(
				'Wait for further changes (seconds)'
			),
			{ target: { value: '10' } }
		);
		fireEvent.click( within( feed ).getByText( 'Save' ) );
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ NS }/products/settings` )
			).toHaveLength( 1 )
		);
		expect(
			rest.calls( 'POST', `${ NS }/products/settings` )[ 0 ]?.body
		).toEqual( {
			endpoint_url:
				'https://kb.example/api/integrations/woocommerce/webhook/',
			debounce: 10,
		} );
		fireEvent.click( within( feed ).getByText( 'Test connection' ) );
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ NS }/products/settings/test` )
			).toHaveLength( 1 )
		);
	} );

	it( 'refuses a debounce outside 0–3600 before sending anything', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		render( <ProductsScreen /> );
		const feed = card( 'synchub-products-feed' );
		fireEvent.change(
			await within( feed ).findByLabelText(
				'Wait for further changes (seconds)'
			),
			{ target: { value: '99999' } }
		);
		expect(
			within( feed ).getByText( 'Enter a whole number from 0 to 3600.' )
		).toBeTruthy();
		expect(
			( within( feed ).getByText( 'Save' ) as HTMLButtonElement ).disabled
		).toBe( true );
	} );

	it( 'asks for the saved token again before pointing the feed at another endpoint', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		rest.on( 'GET', `${ NS }/products/settings`, {
			body: { ...FEED, has_token: true },
		} );
		rest.on( 'POST', `${ NS }/products/settings`, {
			body: { ...FEED, has_token: true },
		} );
		render( <ProductsScreen /> );
		const feed = card( 'synchub-products-feed' );
		const save = () =>
			within( feed ).getByText( 'Save' ) as HTMLButtonElement;
		fireEvent.change(
			await within( feed ).findByLabelText( 'Endpoint URL' ),
			{ target: { value: 'https://attacker.example/hook/' } }
		);
		expect(
			within( feed ).getByText( 'Enter it again: the endpoint changed.' )
		).toBeTruthy();
		expect( save().disabled ).toBe( true );
		// Back to the default: the same endpoint, nothing to enter again.
		fireEvent.change( within( feed ).getByLabelText( 'Endpoint URL' ), {
			target: { value: '' },
		} );
		expect( save().disabled ).toBe( false );

		fireEvent.change( within( feed ).getByLabelText( 'Endpoint URL' ), {
			target: { value: 'https://kb.example/hook/' },
		} );
		fireEvent.change(
			within( feed ).getByLabelText( 'Integration token' ),
			{ target: { value: TOKEN } }
		);
		expect( save().disabled ).toBe( false );
		fireEvent.click( save() );
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ NS }/products/settings` )
			).toHaveLength( 1 )
		);
		expect(
			rest.calls( 'POST', `${ NS }/products/settings` )[ 0 ]?.body
		).toEqual( {
			endpoint_url: 'https://kb.example/hook/',
			token: TOKEN,
			debounce: 30,
		} );
	} );

	it( 'says when events wait for the token to be entered again', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		rest.on( 'GET', `${ NS }/products/settings`, {
			body: { ...FEED, has_token: true, token_needs_reentry: true },
		} );
		render( <ProductsScreen /> );
		expect(
			await within( card( 'synchub-products-feed' ) ).findByText(
				'The endpoint changed since the integration token was saved: product events wait until the token is entered again.'
			)
		).toBeTruthy();
	} );

	it( 'lets users who may not change the connection tune the debounce only', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		const { signing_key: _hidden, ...withoutKey } = FEED;
		rest.on( 'GET', `${ NS }/products/settings`, {
			body: {
				...withoutKey,
				can_edit_connection: false,
				has_token: true,
			},
		} );
		rest.on( 'POST', `${ NS }/products/settings`, {
			body: {
				...withoutKey,
				can_edit_connection: false,
				has_token: true,
				debounce: 5,
			},
		} );
		render( <ProductsScreen /> );
		const feed = card( 'synchub-products-feed' );
		const endpoint = ( await within( feed ).findByLabelText(
			'Endpoint URL'
		) ) as HTMLInputElement;
		expect( endpoint.disabled ).toBe( true );
		expect(
			within( feed ).getByText(
				'Only administrators can change where product events go.'
			)
		).toBeTruthy();
		expect(
			within( feed ).queryByLabelText( 'Integration token' )
		).toBeNull();
		expect( within( feed ).queryByLabelText( 'Signing key' ) ).toBeNull();
		expect(
			within( feed ).queryByText( 'Generate a new signing key' )
		).toBeNull();

		fireEvent.change(
			within( feed ).getByLabelText(
				'Wait for further changes (seconds)'
			),
			{ target: { value: '5' } }
		);
		fireEvent.click( within( feed ).getByText( 'Save' ) );
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ NS }/products/settings` )
			).toHaveLength( 1 )
		);
		expect(
			rest.calls( 'POST', `${ NS }/products/settings` )[ 0 ]?.body
		).toEqual( { debounce: 5 } );
	} );

	it( 'shows the signing key to administrators and generates a new one', async () => {
		const rest = fakeRest();
		quietProducts( rest );
		const renewed = `renewed-signing-key-${ 'r'.repeat( 30 ) }`;
		rest.on( 'POST', `${ NS }/products/settings`, ( request ) => {
			rest.on( 'GET', `${ NS }/products/settings`, {
				body: { ...FEED, signing_key: renewed },
			} );
			return {
				body: {
					...FEED,
					signing_key: (
						request.body as { regenerate_signing_key?: boolean }
					 ).regenerate_signing_key
						? renewed
						: SIGNING_KEY,
				},
			};
		} );
		render( <ProductsScreen /> );
		const feed = card( 'synchub-products-feed' );
		expect(
			(
				( await within( feed ).findByLabelText(
					'Signing key'
				) ) as HTMLInputElement
			 ).value
		).toBe( SIGNING_KEY );
		fireEvent.click(
			within( feed ).getByText( 'Generate a new signing key' )
		);
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ NS }/products/settings` )
			).toHaveLength( 1 )
		);
		expect(
			rest.calls( 'POST', `${ NS }/products/settings` )[ 0 ]?.body
		).toEqual( { regenerate_signing_key: true } );
		await waitFor( () =>
			expect(
				(
					within( feed ).getByLabelText(
						'Signing key'
					) as HTMLInputElement
				 ).value
			).toBe( renewed )
		);
	} );
} );

void screen;
