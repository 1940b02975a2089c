/**
 * The plugin's outbox: `GET sync-hub/v1/outbox?status=&page=`, `POST sync-hub/v1/outbox/{id}/retry`.
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
import { isRecord, readNullableString, readNumber, readString } from './parse';
import { useMutation, type Mutation } from './use-mutation';
import { useResource, type Resource } from './use-resource';

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxRow {
	id: number;
	event_id: string;
	topic: string;
	resource_key: string;
	destination: string;
	status: OutboxStatus;
	attempts: number;
	next_attempt_at: string | null;
	last_error: string | null;
	created_at: string | null;
	delivered_at: string | null;
}

export interface OutboxPage {
	counts: Record< OutboxStatus, number >;
	items: OutboxRow[];
}

function readStatus( value: unknown ): OutboxStatus {
	return value === 'delivered' || value === 'failed' ? value : 'pending';
}

/**
 * @param body Response body.
 * @return The page, checked.
 */
export function parseOutbox( body: unknown ): OutboxPage {
	if (
		! isRecord( body ) ||
		! isRecord( body.counts ) ||
		! Array.isArray( body.items )
	) {
		throw invalidResponse();
	}
	const { counts } = body;
	return {
		counts: {
			pending: readNumber( counts.pending ),
			delivered: readNumber( counts.delivered ),
			failed: readNumber( counts.failed ),
		},
		items: body.items.filter( isRecord ).map( ( row ) => ( {
			id: readNumber( row.id ),
			event_id: readString( row.event_id ),
			topic: readString( row.topic ),
			resource_key: readString( row.resource_key ),
			destination: readString( row.destination ),
			status: readStatus( row.status ),
			attempts: readNumber( row.attempts ),
			next_attempt_at: readNullableString( row.next_attempt_at ),
			last_error: readNullableString( row.last_error ),
			created_at: readNullableString( row.created_at ),
			delivered_at: readNullableString( row.delivered_at ),
		} ) ),
	};
}

export interface Outbox extends Resource< OutboxPage > {
	retry: Mutation< number, unknown >;
}

/**
 * Outbox rows of one status, with the backlog counts, and retrying one row.
 *
 * @param status Which rows to list.
 * @return The resource and the retry action.
 */
export function useOutbox( status: OutboxStatus ): Outbox {
	const notify = useNotify();
	const path = restPath( 'outbox', { status } );
	const resource = useResource( path, async ( signal ) =>
		parseOutbox( await request( path, { signal } ) )
	);
	const retry = useMutation(
		( id: number ) =>
			request( restPath( `outbox/${ id }/retry` ), { method: 'POST' } ),
		{
			onSuccess: async ( _result, id ) => {
				notify.success(
					sprintf(
						/* translators: %d: outbox row id. */
						__( 'Row #%d will be delivered again.', 'sync-hub' ),
						id
					),
					`sync-hub-outbox-retry-${ id }`
				);
				await resource.refresh();
			},
			onError: ( error, id ) =>
				notify.error(
					sprintf(
						/* translators: 1: outbox row id, 2: error message from the server. */
						__(
							'Row #%1$d could not be retried: %2$s',
							'sync-hub'
						),
						id,
						error.message
					),
					`sync-hub-outbox-retry-${ id }`
				),
		}
	);
	return { ...resource, retry };
}
