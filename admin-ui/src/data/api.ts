/**
 * The one transport of the page: `@wordpress/api-fetch` against the plugin's REST namespace
 * (it sends the `wp_rest` nonce). Every call rejects with an ApiError.
 */

/**
 * WordPress dependencies
 */
import apiFetch from '@wordpress/api-fetch';
import { addQueryArgs } from '@wordpress/url';

/**
 * Internal dependencies
 */
import { getBootstrap } from '../bootstrap';
import { toApiError } from './errors';

export type Query = Record< string, string | number | undefined >;

/**
 * The REST path of a plugin route, e.g. `restPath( 'outbox', { status: 'failed' } )`.
 *
 * @param route Route below the namespace, without leading slash.
 * @param query Query arguments; undefined values are left out.
 * @return The path for apiFetch.
 */
export function restPath( route: string, query: Query = {} ): string {
	const namespace = getBootstrap().namespace.replace( /^\/+|\/+$/g, '' );
	const args: Record< string, string | number > = {};
	for ( const [ name, value ] of Object.entries( query ) ) {
		if ( value !== undefined ) {
			args[ name ] = value;
		}
	}
	return addQueryArgs( `/${ namespace }/${ route }`, args );
}

export interface RequestOptions {
	method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
	data?: Record< string, unknown >;
	signal?: AbortSignal;
	/**
	 * Takes a non-2xx answer whose body passes this test as the result, e.g. the worker's
	 * health, which answers 503 with a full health body when degraded.
	 */
	acceptErrorBody?: ( body: unknown ) => boolean;
}

/**
 * Calls a route and returns its parsed JSON body as `unknown`, for a parser to check.
 *
 * @param path    Path from restPath().
 * @param options Method, body and abort signal.
 * @return The response body.
 */
export async function request(
	path: string,
	options: RequestOptions = {}
): Promise< unknown > {
	try {
		return await apiFetch< unknown >( {
			path,
			method: options.method ?? 'GET',
			...( options.data === undefined ? {} : { data: options.data } ),
			...( options.signal === undefined
				? {}
				: { signal: options.signal } ),
		} );
	} catch ( thrown ) {
		if ( options.acceptErrorBody?.( thrown ) ) {
			return thrown;
		}
		throw toApiError( thrown );
	}
}
