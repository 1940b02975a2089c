/**
 * External dependencies
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

/**
 * Internal dependencies
 */
import { request } from '../../../admin-ui/src/data/api';
import type { ApiError } from '../../../admin-ui/src/data/errors';
import { useMutation } from '../../../admin-ui/src/data/use-mutation';
import { fakeRest, wpError } from '../support/fake-rest';
import { NS } from '../support/fixtures';

function useRetry(
	onSuccess: () => void,
	onError: ( error: ApiError ) => void
) {
	return useMutation(
		( id: number ) =>
			request( `${ NS }/outbox/${ id }/retry`, { method: 'POST' } ),
		{ onSuccess, onError }
	);
}

describe( 'useMutation', () => {
	it( 'goes idle → resolving → finished and remembers what it ran with', async () => {
		const rest = fakeRest();
		rest.on( 'POST', `${ NS }/outbox/7/retry`, {
			body: { id: 7, status: 'pending' },
		} );
		const held = rest.hold( 'POST', `${ NS }/outbox/7/retry` );
		const onSuccess = vi.fn();
		const onError = vi.fn();
		const { result } = renderHook( () => useRetry( onSuccess, onError ) );
		expect( result.current.status ).toBe( 'idle' );

		let done: Promise< unknown > = Promise.resolve();
		act( () => {
			done = result.current.mutate( 7 );
		} );
		await waitFor( () =>
			expect( result.current.status ).toBe( 'resolving' )
		);
		expect( result.current.variables ).toBe( 7 );
		held.release();
		await act( async () => {
			await expect( done ).resolves.toEqual( {
				id: 7,
				status: 'pending',
			} );
		} );
		expect( result.current.status ).toBe( 'finished' );
		expect( onSuccess ).toHaveBeenCalledWith(
			{ id: 7, status: 'pending' },
			7
		);
		expect( onError ).not.toHaveBeenCalled();
		expect( rest.calls( 'POST', `${ NS }/outbox/7/retry` ) ).toHaveLength(
			1
		);
	} );

	it( 'ends in error, never rejects, and hands the server message to onError', async () => {
		const rest = fakeRest();
		rest.on(
			'POST',
			`${ NS }/outbox/8/retry`,
			wpError(
				409,
				'synchub_not_failed',
				'Only failed rows can be retried.'
			)
		);
		const onSuccess = vi.fn();
		const onError = vi.fn();
		const { result } = renderHook( () => useRetry( onSuccess, onError ) );
		let outcome: unknown = 'unset';
		await act( async () => {
			outcome = await result.current.mutate( 8 );
		} );
		expect( outcome ).toBeUndefined();
		expect( result.current.status ).toBe( 'error' );
		expect( result.current.error?.message ).toBe(
			'Only failed rows can be retried.'
		);
		expect( onError ).toHaveBeenCalledTimes( 1 );
		expect( onError.mock.calls[ 0 ]?.[ 1 ] ).toBe( 8 );
		expect( onSuccess ).not.toHaveBeenCalled();
	} );
} );
