/**
 * The write side every resource hook is built on: one action, its request state, and what
 * happens after it (a notice, a reload).
 */

/**
 * WordPress dependencies
 */
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { ApiError, toApiError } from './errors';
import type { MutationState } from './request-state';

export interface MutationOptions< Args, Result > {
	onSuccess?: ( result: Result, args: Args ) => void | Promise< void >;
	onError?: ( error: ApiError, args: Args ) => void;
}

export interface Mutation< Args, Result > extends MutationState<
	Args,
	Result
> {
	/** Runs the action; resolves with its result, or undefined when it failed (never rejects). */
	mutate: ( args: Args ) => Promise< Result | undefined >;
}

/**
 * @param perform The request.
 * @param options Callbacks after success or failure.
 * @return State and mutate().
 */
export function useMutation< Args, Result >(
	perform: ( args: Args ) => Promise< Result >,
	options: MutationOptions< Args, Result > = {}
): Mutation< Args, Result > {
	const [ state, setState ] = useState< MutationState< Args, Result > >( {
		status: 'idle',
		variables: undefined,
		result: undefined,
		error: undefined,
	} );
	const latest = useRef( { perform, options } );
	latest.current = { perform, options };
	const mounted = useRef( true );
	const calls = useRef( 0 );

	useEffect( () => {
		mounted.current = true;
		return () => {
			mounted.current = false;
		};
	}, [] );

	const mutate = useCallback(
		async ( args: Args ): Promise< Result | undefined > => {
			const call = ++calls.current;
			const settle = ( next: MutationState< Args, Result > ) => {
				if ( mounted.current && call === calls.current ) {
					setState( next );
				}
			};
			settle( {
				status: 'resolving',
				variables: args,
				result: undefined,
				error: undefined,
			} );
			let result: Result;
			try {
				result = await latest.current.perform( args );
			} catch ( thrown ) {
				const error = toApiError( thrown );
				settle( {
					status: 'error',
					variables: args,
					result: undefined,
					error,
				} );
				latest.current.options.onError?.( error, args );
				return undefined;
			}
			settle( {
				status: 'finished',
				variables: args,
				result,
				error: undefined,
			} );
			await latest.current.options.onSuccess?.( result, args );
			return result;
		},
		[]
	);

	return { ...state, mutate };
}
