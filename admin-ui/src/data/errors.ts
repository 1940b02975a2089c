/**
 * Errors from the server, in the two shapes the page meets: WordPress REST errors
 * `{ code, message }` and the worker's `{ error: { code, message } }` passed through the proxy.
 */

/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { isRecord } from './parse';

export class ApiError extends Error {
	readonly code: string;
	readonly status: number | undefined;

	constructor( code: string, message: string, status?: number ) {
		super( message );
		this.name = 'ApiError';
		this.code = code;
		this.status = status;
	}
}

function statusOf( data: unknown ): number | undefined {
	if ( isRecord( data ) && typeof data.status === 'number' ) {
		return data.status;
	}
	return undefined;
}

/**
 * Normalises anything a request rejected with into an ApiError carrying the server's message.
 *
 * @param thrown What the request rejected with.
 * @return The error.
 */
export function toApiError( thrown: unknown ): ApiError {
	if ( thrown instanceof ApiError ) {
		return thrown;
	}
	if ( isRecord( thrown ) ) {
		const nested = thrown.error;
		if ( isRecord( nested ) && typeof nested.message === 'string' ) {
			const code =
				typeof nested.code === 'string' ? nested.code : 'worker_error';
			return new ApiError(
				code,
				nested.message,
				statusOf( thrown.data )
			);
		}
		if ( typeof thrown.message === 'string' && thrown.message !== '' ) {
			const code =
				typeof thrown.code === 'string' ? thrown.code : 'unknown_error';
			return new ApiError(
				code,
				thrown.message,
				statusOf( thrown.data )
			);
		}
	}
	return new ApiError(
		'unknown_error',
		__( 'An unknown error occurred.', 'sync-hub' )
	);
}

/**
 * The error for a response whose body does not have the expected shape.
 *
 * @return The error.
 */
export function invalidResponse(): ApiError {
	return new ApiError(
		'invalid_response',
		__( 'The server sent an unexpected response.', 'sync-hub' )
	);
}
