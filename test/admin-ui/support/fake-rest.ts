/**
 * A fake of the HTTP transport only: `fetch` answers like the plugin's REST routes would, and
 * everything above it (apiFetch, its middlewares and error parsing, the data hooks) is real.
 */

/**
 * External dependencies
 */
import { vi } from 'vitest';

export interface RecordedRequest {
	method: string;
	/** Path without the query string, e.g. `/sync-hub/v1/outbox`. */
	path: string;
	query: URLSearchParams;
	body: unknown;
}

export interface Reply {
	status?: number;
	body: unknown;
}

export type Handler = ( request: RecordedRequest ) => Reply | Promise< Reply >;

export interface FakeRest {
	/** Answers `METHOD path` with a fixed reply or a handler (the last one set wins). */
	on: ( method: string, path: string, reply: Reply | Handler ) => void;
	requests: RecordedRequest[];
	/** Requests to one route. */
	calls: ( method: string, path: string ) => RecordedRequest[];
	/** Makes the next call to a route wait until release() is called; for "resolving" states. */
	hold: ( method: string, path: string ) => { release: () => void };
}

function parseBody( body: RequestInit[ 'body' ] ): unknown {
	if ( typeof body !== 'string' ) {
		return undefined;
	}
	try {
		return JSON.parse( body );
	} catch {
		return body;
	}
}

/**
 * Replaces the global `fetch` for the current test (vitest unstubs globals after each test).
 *
 * @return The fake.
 */
export function fakeRest(): FakeRest {
	const routes = new Map< string, Handler >();
	const holds = new Map< string, Promise< void > >();
	const requests: RecordedRequest[] = [];

	const fetchStub = async (
		input: RequestInfo | URL,
		init: RequestInit = {}
	): Promise< Response > => {
		const url = new URL( String( input ), 'http://wordpress.test' );
		const method = ( init.method ?? 'GET' ).toUpperCase();
		const recorded: RecordedRequest = {
			method,
			path: url.pathname,
			query: url.searchParams,
			body: parseBody( init.body ),
		};
		requests.push( recorded );
		const key = `${ method } ${ url.pathname }`;
		const held = holds.get( key );
		if ( held ) {
			holds.delete( key );
			await held;
		}
		if ( init.signal?.aborted ) {
			throw new DOMException(
				'The operation was aborted.',
				'AbortError'
			);
		}
		const handler = routes.get( key );
		const reply: Reply = handler
			? await handler( recorded )
			: {
					status: 404,
					body: {
						code: 'rest_no_route',
						message:
							'No route was found matching the URL and request method.',
						data: { status: 404 },
					},
				};
		return new Response( JSON.stringify( reply.body ), {
			status: reply.status ?? 200,
			headers: { 'Content-Type': 'application/json; charset=UTF-8' },
		} );
	};
	vi.stubGlobal( 'fetch', vi.fn( fetchStub ) );

	return {
		on( method, path, reply ) {
			routes.set(
				`${ method.toUpperCase() } ${ path }`,
				typeof reply === 'function' ? reply : () => reply
			);
		},
		requests,
		calls: ( method, path ) =>
			requests.filter(
				( request ) =>
					request.method === method.toUpperCase() &&
					request.path === path
			),
		hold( method, path ) {
			let release = () => {};
			holds.set(
				`${ method.toUpperCase() } ${ path }`,
				new Promise< void >( ( resolve ) => {
					release = resolve;
				} )
			);
			return { release: () => release() };
		},
	};
}

/**
 * A WordPress REST error body, as `WP_Error` serialises.
 * @param status
 * @param code
 * @param message
 */
export function wpError(
	status: number,
	code: string,
	message: string
): Reply {
	return { status, body: { code, message, data: { status } } };
}

/**
 * A worker error body passed through the plugin's proxy.
 * @param status
 * @param code
 * @param message
 */
export function workerError(
	status: number,
	code: string,
	message: string
): Reply {
	return { status, body: { error: { code, message } } };
}
