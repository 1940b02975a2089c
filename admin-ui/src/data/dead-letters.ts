/**
 * Dead letters of the worker's queues (all, or one), through the plugin's proxy:
 * `GET sync-hub/v1/worker/api/v1/jobs/failed[?queue=<q>]`, replay with
 * `POST sync-hub/v1/worker/api/v1/jobs/{queue}/{id}/retry`.
 */

/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { request, restPath } from './api';
import { invalidResponse } from './errors';
import { useNotify } from './notices';
import { isRecord, readNullableNumber, readNumber, readString } from './parse';
import { useMutation, type Mutation } from './use-mutation';
import { useResource, type Resource } from './use-resource';

/** The worker's queues (one per domain, plus maintenance). */
export const KNOWN_QUEUES = [
	'events',
	'bookings',
	'stock',
	'products',
	'maintenance',
];

export interface DeadLetter {
	id: string;
	queue: string;
	name: string;
	failedReason: string;
	attemptsMade: number;
	/** Milliseconds since the epoch. */
	timestamp: number | null;
	finishedOn: number | null;
	data: unknown;
}

/**
 * @param body  Response body.
 * @param queue The queue asked for, when an item does not say.
 * @return The dead letters, checked.
 */
export function parseDeadLetters( body: unknown, queue: string ): DeadLetter[] {
	if ( ! isRecord( body ) || ! Array.isArray( body.items ) ) {
		throw invalidResponse();
	}
	return body.items.filter( isRecord ).map( ( item ) => ( {
		id: readString( item.id ),
		queue: readString( item.queue, queue ),
		name: readString( item.name ),
		failedReason: readString( item.failedReason ),
		attemptsMade: readNumber( item.attemptsMade ),
		timestamp: readNullableNumber( item.timestamp ),
		finishedOn: readNullableNumber( item.finishedOn ),
		data: item.data,
	} ) );
}

export interface DeadLetters extends Resource< DeadLetter[] > {
	replay: Mutation< DeadLetter, unknown >;
}

/**
 * @param queue Queue name, or undefined for every queue (newest failures first).
 * @return The dead letters and the replay action.
 */
export function useDeadLetters( queue: string | undefined ): DeadLetters {
	const notify = useNotify();
	const path = restPath( 'worker/api/v1/jobs/failed', { queue } );
	const resource = useResource( path, async ( signal ) =>
		parseDeadLetters( await request( path, { signal } ), queue ?? '' )
	);
	const replay = useMutation(
		( job: DeadLetter ) =>
			request(
				restPath(
					`worker/api/v1/jobs/${ encodeURIComponent( job.queue ) }/${ encodeURIComponent( job.id ) }/retry`
				),
				{ method: 'POST' }
			),
		{
			onSuccess: async ( _result, job ) => {
				notify.success(
					sprintf(
						/* translators: %s: job id. */
						__( 'Job %s was sent back to its queue.', 'sync-hub' ),
						job.id
					),
					`sync-hub-replay-${ job.queue }-${ job.id }`
				);
				await resource.refresh();
			},
			onError: ( error, job ) =>
				notify.error(
					sprintf(
						/* translators: 1: job id, 2: error message from the server. */
						__(
							'Job %1$s could not be replayed: %2$s',
							'sync-hub'
						),
						job.id,
						error.message
					),
					`sync-hub-replay-${ job.queue }-${ job.id }`
				),
		}
	);
	return { ...resource, replay };
}
