/**
 * The live feed of stock changes. The worker serves them as Server-Sent Events to admin clients;
 * the browser cannot hold the worker's admin token, so the page opens an EventSource on the
 * plugin's relay (`sync-hub/v1/stock/stream`, capability + REST nonce). When that is not possible
 * (no EventSource, no nonce, relay unavailable) it asks the proxy for the changes after the
 * newest one it has, every few seconds while the page is visible.
 */

/**
 * WordPress dependencies
 */
import apiFetch from '@wordpress/api-fetch';
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { toApiError, type ApiError } from '../data/errors';
import {
	fetchChanges,
	mergeChanges,
	parseChanges,
	type StockChange,
} from './data';

export interface LiveChanges {
	changes: StockChange[];
	status: 'idle' | 'resolving' | 'finished' | 'error';
	error: ApiError | undefined;
	/** Ids that arrived after the first load, for highlighting. */
	fresh: Set< number >;
}

export const POLL_INTERVAL = 5_000;

/** Errors in a row (without any event between) after which the page gives up streaming. */
const MAX_STREAM_ERRORS = 3;

/**
 * The relay URL (`?rest_route=` works whatever the permalink settings), or null when the page
 * has no REST nonce or the browser no EventSource.
 *
 * @param since Id of the newest change the page has.
 * @return The URL or null.
 */
export function streamUrl( since: number | null ): string | null {
	const nonce = apiFetch.nonceMiddleware?.nonce;
	if (
		typeof window === 'undefined' ||
		typeof window.EventSource === 'undefined' ||
		! nonce
	) {
		return null;
	}
	const base = window.location.href.replace( /\/wp-admin\/.*$/, '/' );
	const url = new URL( base );
	url.search = '';
	url.hash = '';
	url.searchParams.set( 'rest_route', '/sync-hub/v1/stock/stream' );
	url.searchParams.set( '_wpnonce', nonce );
	if ( since !== null ) {
		url.searchParams.set( 'since', String( since ) );
	}
	return url.toString();
}

export function useLiveChanges( interval = POLL_INTERVAL ): LiveChanges {
	const [ state, setState ] = useState< LiveChanges >( {
		changes: [],
		status: 'idle',
		error: undefined,
		fresh: new Set(),
	} );
	const newest = useRef< number | null >( null );
	const loaded = useRef( false );
	const busy = useRef( false );

	const poll = useCallback( async ( signal: AbortSignal ) => {
		if ( busy.current ) {
			return;
		}
		busy.current = true;
		try {
			const incoming = await fetchChanges(
				loaded.current ? ( newest.current ?? 0 ) : null,
				signal
			);
			const first = ! loaded.current;
			loaded.current = true;
			if ( incoming.length > 0 ) {
				newest.current = Math.max(
					newest.current ?? 0,
					...incoming.map( ( change ) => change.id )
				);
			}
			setState( ( previous ) => ( {
				changes: mergeChanges( previous.changes, incoming ),
				status: 'finished',
				error: undefined,
				fresh: first
					? previous.fresh
					: new Set( [
							...previous.fresh,
							...incoming.map( ( change ) => change.id ),
						] ),
			} ) );
		} catch ( thrown ) {
			if ( ! signal.aborted ) {
				setState( ( previous ) => ( {
					...previous,
					status: 'error',
					error: toApiError( thrown ),
				} ) );
			}
		} finally {
			busy.current = false;
		}
	}, [] );

	const receive = useCallback( ( change: StockChange ) => {
		newest.current = Math.max( newest.current ?? 0, change.id );
		setState( ( previous ) => ( {
			changes: mergeChanges( previous.changes, [ change ] ),
			status: 'finished',
			error: undefined,
			fresh: new Set( [ ...previous.fresh, change.id ] ),
		} ) );
	}, [] );

	useEffect( () => {
		const controller = new AbortController();
		let timer: ReturnType< typeof setInterval > | undefined;
		let source: EventSource | null = null;
		const startPolling = () => {
			source?.close();
			source = null;
			timer ??= setInterval( () => {
				if ( typeof document === 'undefined' || ! document.hidden ) {
					void poll( controller.signal );
				}
			}, interval );
		};
		setState( ( previous ) => ( { ...previous, status: 'resolving' } ) );
		void poll( controller.signal ).then( () => {
			const url = controller.signal.aborted
				? null
				: streamUrl( newest.current );
			if ( url === null ) {
				if ( ! controller.signal.aborted ) {
					startPolling();
				}
				return;
			}
			let errors = 0;
			source = new window.EventSource( url );
			source.addEventListener( 'change', ( event ) => {
				errors = 0;
				const parsed = parseChanges( {
					items: [
						JSON.parse(
							( event as MessageEvent< string > ).data
						) as unknown,
					],
				} );
				parsed.forEach( receive );
			} );
			// Opens again every time the relay's connection ends and EventSource reconnects.
			source.addEventListener( 'open', () => {
				errors = 0;
			} );
			// The relay could not reach the worker: poll instead.
			source.addEventListener( 'unavailable', startPolling );
			source.addEventListener( 'error', () => {
				errors += 1;
				if ( errors >= MAX_STREAM_ERRORS ) {
					startPolling();
				}
			} );
		} );
		return () => {
			controller.abort();
			source?.close();
			if ( timer !== undefined ) {
				clearInterval( timer );
			}
		};
	}, [ poll, receive, interval ] );

	return state;
}
