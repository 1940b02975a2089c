/**
 * The live feed of stock changes. The worker serves them as Server-Sent Events to admin clients;
 * the browser cannot hold the worker's admin token, so the page asks the plugin's proxy for the
 * changes after the newest one it has, every few seconds while the page is visible.
 */

/**
 * WordPress dependencies
 */
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { toApiError, type ApiError } from '../data/errors';
import { fetchChanges, mergeChanges, type StockChange } from './data';

export interface LiveChanges {
	changes: StockChange[];
	status: 'idle' | 'resolving' | 'finished' | 'error';
	error: ApiError | undefined;
	/** Ids that arrived after the first load, for highlighting. */
	fresh: Set< number >;
}

export const POLL_INTERVAL = 5_000;

export function useLiveChanges( interval = POLL_INTERVAL ): LiveChanges {
	const [ state, setState ] = useState< LiveChanges >( { changes: [], status: 'idle', error: undefined, fresh: new Set() } );
	const newest = useRef< number | null >( null );
	const loaded = useRef( false );
	const busy = useRef( false );

	const poll = useCallback( async ( signal: AbortSignal ) => {
		if ( busy.current ) {
			return;
		}
		busy.current = true;
		try {
			const incoming = await fetchChanges( loaded.current ? newest.current ?? 0 : null, signal );
			const first = ! loaded.current;
			loaded.current = true;
			if ( incoming.length > 0 ) {
				newest.current = Math.max( newest.current ?? 0, ...incoming.map( ( change ) => change.id ) );
			}
			setState( ( previous ) => ( {
				changes: mergeChanges( previous.changes, incoming ),
				status: 'finished',
				error: undefined,
				fresh: first ? previous.fresh : new Set( [ ...previous.fresh, ...incoming.map( ( change ) => change.id ) ] ),
			} ) );
		} catch ( thrown ) {
			if ( ! signal.aborted ) {
				setState( ( previous ) => ( { ...previous, status: 'error', error: toApiError( thrown ) } ) );
			}
		} finally {
			busy.current = false;
		}
	}, [] );

	useEffect( () => {
		const controller = new AbortController();
		setState( ( previous ) => ( { ...previous, status: 'resolving' } ) );
		void poll( controller.signal );
		const timer = setInterval( () => {
			if ( typeof document === 'undefined' || ! document.hidden ) {
				void poll( controller.signal );
			}
		}, interval );
		return () => {
			controller.abort();
			clearInterval( timer );
		};
	}, [ poll, interval ] );

	return state;
}
