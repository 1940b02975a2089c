/**
 * External dependencies
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Internal dependencies
 */
import { request, restPath } from '../../../admin-ui/src/data/api';
import {
	HEALTH_REFRESH_MS,
	useWorkerHealth,
} from '../../../admin-ui/src/data/health';
import { useResource } from '../../../admin-ui/src/data/use-resource';
import { fakeRest, workerError, wpError } from '../support/fake-rest';
import { HEALTHY, NS } from '../support/fixtures';
import { until } from '../support/until';

function useThing( key: string | null ) {
	return useResource( key, ( signal ) =>
		request( `${ NS }/${ key ?? '' }`, { signal } )
	);
}

describe( 'useResource', () => {
	afterEach( () => {
		vi.useRealTimers();
	} );

	it( 'goes idle → resolving → finished and keeps the data', async () => {
		const rest = fakeRest();
		rest.on( 'GET', `${ NS }/thing`, { body: { answer: 42 } } );
		const held = rest.hold( 'GET', `${ NS }/thing` );
		const seen: string[] = [];
		const { result } = renderHook( () => {
			const state = useThing( 'thing' );
			seen.push( state.status );
			return state;
		} );
		expect( seen[ 0 ] ).toBe( 'idle' );
		await waitFor( () =>
			expect( result.current.status ).toBe( 'resolving' )
		);
		expect( result.current.data ).toBeUndefined();
		act( () => held.release() );
		await waitFor( () =>
			expect( result.current.status ).toBe( 'finished' )
		);
		expect( result.current.data ).toEqual( { answer: 42 } );
		expect( result.current.error ).toBeUndefined();
	} );

	it( 'stays idle without a key and sends nothing', async () => {
		const rest = fakeRest();
		const { result } = renderHook( () => useThing( null ) );
		await act( async () => {} );
		expect( result.current.status ).toBe( 'idle' );
		expect( rest.requests ).toHaveLength( 0 );
	} );

	it( 'ends in error with the message of a WordPress REST error', async () => {
		const rest = fakeRest();
		rest.on(
			'GET',
			`${ NS }/thing`,
			wpError(
				403,
				'rest_forbidden',
				'Sorry, you are not allowed to do that.'
			)
		);
		const { result } = renderHook( () => useThing( 'thing' ) );
		await waitFor( () => expect( result.current.status ).toBe( 'error' ) );
		expect( result.current.error?.code ).toBe( 'rest_forbidden' );
		expect( result.current.error?.message ).toBe(
			'Sorry, you are not allowed to do that.'
		);
		expect( result.current.error?.status ).toBe( 403 );
	} );

	it( 'ends in error with the message of a proxied worker error', async () => {
		const rest = fakeRest();
		rest.on(
			'GET',
			`${ NS }/thing`,
			workerError( 401, 'unauthorized', 'Invalid admin token' )
		);
		const { result } = renderHook( () => useThing( 'thing' ) );
		await waitFor( () => expect( result.current.status ).toBe( 'error' ) );
		expect( result.current.error?.code ).toBe( 'unauthorized' );
		expect( result.current.error?.message ).toBe( 'Invalid admin token' );
	} );

	it( 'keeps the last data while refreshing and after a failed refresh', async () => {
		const rest = fakeRest();
		rest.on( 'GET', `${ NS }/thing`, { body: { n: 1 } } );
		const { result } = renderHook( () => useThing( 'thing' ) );
		await waitFor( () =>
			expect( result.current.status ).toBe( 'finished' )
		);

		rest.on( 'GET', `${ NS }/thing`, wpError( 500, 'boom', 'It broke.' ) );
		const held = rest.hold( 'GET', `${ NS }/thing` );
		let refreshed: Promise< void > = Promise.resolve();
		act( () => {
			refreshed = result.current.refresh();
		} );
		await waitFor( () =>
			expect( result.current.status ).toBe( 'resolving' )
		);
		expect( result.current.data ).toEqual( { n: 1 } );
		held.release();
		await act( () => refreshed );
		expect( result.current.status ).toBe( 'error' );
		expect( result.current.data ).toEqual( { n: 1 } );
		expect( result.current.error?.message ).toBe( 'It broke.' );
	} );

	it( 'drops the answer of a request superseded by a new key', async () => {
		const rest = fakeRest();
		rest.on( 'GET', `${ NS }/first`, { body: 'first' } );
		rest.on( 'GET', `${ NS }/second`, { body: 'second' } );
		const held = rest.hold( 'GET', `${ NS }/first` );
		const { result, rerender } = renderHook(
			( { key }: { key: string } ) => useThing( key ),
			{
				initialProps: { key: 'first' },
			}
		);
		await waitFor( () =>
			expect( result.current.status ).toBe( 'resolving' )
		);
		rerender( { key: 'second' } );
		await waitFor( () => expect( result.current.data ).toBe( 'second' ) );
		act( () => held.release() );
		await act( async () => {
			await new Promise( ( resolve ) => setTimeout( resolve, 20 ) );
		} );
		expect( result.current.data ).toBe( 'second' );
		expect( result.current.status ).toBe( 'finished' );
	} );
} );

describe( 'useWorkerHealth', () => {
	afterEach( () => {
		vi.useRealTimers();
	} );

	it( 'reads the proxied health and reloads it every 10 seconds', async () => {
		// Only intervals are faked; until() polls on real timeouts.
		expect( HEALTH_REFRESH_MS ).toBe( 10_000 );
		vi.useFakeTimers( { toFake: [ 'setInterval', 'clearInterval' ] } );
		const rest = fakeRest();
		rest.on( 'GET', `${ NS }/worker/health`, { body: HEALTHY } );
		const { result } = renderHook( () => useWorkerHealth() );
		await until( () => expect( result.current.status ).toBe( 'finished' ) );
		expect( result.current.data?.status ).toBe( 'healthy' );
		expect( result.current.data?.queues.bookings ).toEqual( {
			waiting: 2,
			active: 1,
			failed: 3,
			delayed: 0,
		} );
		expect( rest.calls( 'GET', `${ NS }/worker/health` ) ).toHaveLength(
			1
		);

		act( () => {
			vi.advanceTimersByTime( HEALTH_REFRESH_MS - 1 );
		} );
		expect( rest.calls( 'GET', `${ NS }/worker/health` ) ).toHaveLength(
			1
		);

		rest.on( 'GET', `${ NS }/worker/health`, {
			body: { ...HEALTHY, status: 'degraded' },
		} );
		await act( async () => {
			vi.advanceTimersByTime( 1 );
		} );
		await until( () =>
			expect( result.current.data?.status ).toBe( 'degraded' )
		);
		expect( rest.calls( 'GET', `${ NS }/worker/health` ) ).toHaveLength(
			2
		);
	} );

	it( 'takes a 503 that carries a health body as a degraded worker, not an error', async () => {
		const rest = fakeRest();
		rest.on( 'GET', `${ NS }/worker/health`, {
			status: 503,
			body: { ...HEALTHY, status: 'degraded', redis: false },
		} );
		const { result } = renderHook( () => useWorkerHealth() );
		await waitFor( () =>
			expect( result.current.status ).toBe( 'finished' )
		);
		expect( result.current.data?.status ).toBe( 'degraded' );
		expect( result.current.data?.redis ).toBe( false );
	} );

	it( 'rejects a body that is not a health report', async () => {
		const rest = fakeRest();
		rest.on( 'GET', `${ NS }/worker/health`, { body: { hello: 'world' } } );
		const { result } = renderHook( () => useWorkerHealth() );
		await waitFor( () => expect( result.current.status ).toBe( 'error' ) );
		expect( result.current.error?.code ).toBe( 'invalid_response' );
	} );
} );

describe( 'restPath', () => {
	it( 'builds paths under the namespace from the page bootstrap', () => {
		window.syncHubAdmin = { namespace: '/sync-hub/v1/' };
		expect(
			restPath( 'outbox', { status: 'failed', page: undefined } )
		).toBe( '/sync-hub/v1/outbox?status=failed' );
	} );
} );
