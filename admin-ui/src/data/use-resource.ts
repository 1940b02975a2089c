/**
 * The read side every resource hook is built on.
 */

/**
 * WordPress dependencies
 */
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { toApiError } from './errors';
import type { ResourceState } from './request-state';

export type Loader< T > = ( signal: AbortSignal ) => Promise< T >;

export interface ResourceOptions {
	/** Reload every this many milliseconds while the page is visible. */
	refreshInterval?: number;
}

export interface Resource< T > extends ResourceState< T > {
	/** Loads again; resolves when done, never rejects (the error lands in state). */
	refresh: () => Promise< void >;
	/** Takes data the server sent another way, e.g. a save that answers with the new state. */
	receive: ( data: T ) => void;
}

const IDLE = { status: 'idle', data: undefined, error: undefined } as const;

/**
 * Loads a resource identified by `key`, and again whenever `key` changes.
 * A `null` key stays idle. Answers of superseded requests are dropped.
 *
 * @param key     Identity of what is loaded (usually its path); null = nothing to load.
 * @param load    Performs the request.
 * @param options Auto-refresh.
 * @return State and refresh().
 */
export function useResource< T >(
	key: string | null,
	load: Loader< T >,
	options: ResourceOptions = {}
): Resource< T > {
	const [ state, setState ] = useState< ResourceState< T > >( IDLE );
	const loadRef = useRef( load );
	loadRef.current = load;
	const current = useRef< {
		key: string | null;
		controller: AbortController | null;
	} >( {
		key,
		controller: null,
	} );
	const mounted = useRef( true );

	const run = useCallback( async (): Promise< void > => {
		const forKey = current.current.key;
		if ( forKey === null ) {
			return;
		}
		current.current.controller?.abort();
		const controller = new AbortController();
		current.current.controller = controller;
		setState( ( previous ) => ( { ...previous, status: 'resolving' } ) );
		const isCurrent = () =>
			mounted.current &&
			current.current.controller === controller &&
			current.current.key === forKey;
		try {
			const data = await loadRef.current( controller.signal );
			if ( isCurrent() ) {
				setState( { status: 'finished', data, error: undefined } );
			}
		} catch ( thrown ) {
			if ( isCurrent() ) {
				setState( ( previous ) => ( {
					status: 'error',
					data: previous.data,
					error: toApiError( thrown ),
				} ) );
			}
		} finally {
			if ( current.current.controller === controller ) {
				current.current.controller = null;
			}
		}
	}, [] );

	useEffect( () => {
		// The same object for the whole life of the hook: the cleanup aborts this key's request.
		const request = current.current;
		mounted.current = true;
		request.key = key;
		setState( IDLE );
		void run();
		return () => {
			request.controller?.abort();
			request.controller = null;
		};
	}, [ key, run ] );

	useEffect(
		() => () => {
			mounted.current = false;
		},
		[]
	);

	const { refreshInterval } = options;
	useEffect( () => {
		if ( ! refreshInterval || key === null ) {
			return undefined;
		}
		const timer = setInterval( () => {
			const hidden = typeof document !== 'undefined' && document.hidden;
			if ( ! hidden && current.current.controller === null ) {
				void run();
			}
		}, refreshInterval );
		return () => clearInterval( timer );
	}, [ refreshInterval, key, run ] );

	const receive = useCallback( ( data: T ) => {
		current.current.controller?.abort();
		current.current.controller = null;
		setState( { status: 'finished', data, error: undefined } );
	}, [] );

	return { ...state, refresh: run, receive };
}
