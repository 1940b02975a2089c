/**
 * Data of the Sync status screen, one hook per worker resource (components never fetch):
 * - the drift report, `worker/api/v1/drift` ("Check now": `.../drift/check`, "Re-sync these":
 *   `.../drift/{domain}/resync`);
 * - the activity series for the charts, `worker/api/v1/activity?bucket=day|hour`.
 */

/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { request, restPath } from '../data/api';
import { invalidResponse } from '../data/errors';
import { useNotify } from '../data/notices';
import {
	isRecord,
	readBoolean,
	readNullableString,
	readNumber,
	readString,
} from '../data/parse';
import { useMutation, type Mutation } from '../data/use-mutation';
import { useResource, type Resource } from '../data/use-resource';
import { formatNumber } from '../ui/format';

export type DriftStatus = 'in_sync' | 'drift' | 'not_configured' | 'error';

export interface DriftItem {
	id: string;
	kind: string;
	detail: Record< string, string | number | null >;
	resyncable: boolean;
}

export interface DriftReport {
	domain: string;
	status: DriftStatus;
	compared: number;
	differing: number;
	kinds: Record< string, number >;
	items: DriftItem[];
	message: string | null;
	checkedAt: string;
}

export interface RunningCheck {
	progress: number;
	domains: string[];
}

export interface DriftOverview {
	domains: Array< { domain: string; report: DriftReport | null } >;
	running: RunningCheck | null;
	nextCheckAt: string | null;
}

const STATUSES: DriftStatus[] = [
	'in_sync',
	'drift',
	'not_configured',
	'error',
];

const worker = (
	route: string,
	query: Record< string, string | number | undefined > = {}
) => restPath( `worker/${ route }`, query );

function parseCounts( value: unknown ): Record< string, number > {
	return isRecord( value )
		? Object.fromEntries(
				Object.entries( value ).map( ( [ key, count ] ) => [
					key,
					readNumber( count ),
				] )
			)
		: {};
}

function parseDetail(
	value: unknown
): Record< string, string | number | null > {
	if ( ! isRecord( value ) ) {
		return {};
	}
	return Object.fromEntries(
		Object.entries( value ).map( ( [ key, entry ] ) => [
			key,
			typeof entry === 'number' || typeof entry === 'string'
				? entry
				: null,
		] )
	);
}

export function parseDriftReport( value: unknown ): DriftReport | null {
	if ( ! isRecord( value ) ) {
		return null;
	}
	const status = readString( value.status ) as DriftStatus;
	return {
		domain: readString( value.domain ),
		status: STATUSES.includes( status ) ? status : 'error',
		compared: readNumber( value.compared ),
		differing: readNumber( value.differing ),
		kinds: parseCounts( value.kinds ),
		items: Array.isArray( value.items )
			? value.items.filter( isRecord ).map( ( item ) => ( {
					id: readString( item.id ),
					kind: readString( item.kind ),
					detail: parseDetail( item.detail ),
					resyncable: readBoolean( item.resyncable ),
				} ) )
			: [],
		message: readNullableString( value.message ),
		checkedAt: readString( value.checkedAt ),
	};
}

export function parseDriftOverview( body: unknown ): DriftOverview {
	if ( ! isRecord( body ) || ! Array.isArray( body.domains ) ) {
		throw invalidResponse();
	}
	const running = isRecord( body.running ) ? body.running : null;
	return {
		domains: body.domains.filter( isRecord ).map( ( entry ) => ( {
			domain: readString( entry.domain ),
			report: parseDriftReport( entry.report ),
		} ) ),
		running: running
			? {
					progress: readNumber( running.progress ),
					domains: Array.isArray( running.domains )
						? running.domains.map( ( domain ) =>
								readString( domain )
							)
						: [],
				}
			: null,
		nextCheckAt: readNullableString( body.next_check_at ),
	};
}

export interface DriftResource extends Resource< DriftOverview > {
	check: Mutation< void, unknown >;
	resync: Mutation< { domain: string; ids: string[] }, { enqueued: number } >;
}

export function useDrift(): DriftResource {
	const notify = useNotify();
	const path = worker( 'api/v1/drift' );
	const resource = useResource(
		path,
		async ( signal ) =>
			parseDriftOverview( await request( path, { signal } ) ),
		{ refreshInterval: 2_000 }
	);
	const check = useMutation(
		( _args: void ) =>
			request( worker( 'api/v1/drift/check' ), {
				method: 'POST',
				data: {},
			} ),
		{
			onSuccess: async () => {
				notify.success(
					__( 'Drift check started.', 'sync-hub' ),
					'sync-hub-drift-check'
				);
				await resource.refresh();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'The drift check did not start: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-drift-check'
				),
		}
	);
	const resync = useMutation(
		async ( { domain, ids }: { domain: string; ids: string[] } ) => {
			const body = await request(
				worker(
					`api/v1/drift/${ encodeURIComponent( domain ) }/resync`
				),
				{ method: 'POST', data: { ids } }
			);
			if ( ! isRecord( body ) ) {
				throw invalidResponse();
			}
			return { enqueued: readNumber( body.enqueued ) };
		},
		{
			onSuccess: ( result ) =>
				notify.success(
					sprintf(
						/* translators: %s: number of sync jobs queued. */
						__(
							'Re-sync queued (%s). Check again once it has run.',
							'sync-hub'
						),
						formatNumber( result.enqueued )
					),
					'sync-hub-drift-resync'
				),
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'The re-sync was not queued: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-drift-resync'
				),
		}
	);
	return { ...resource, check, resync };
}

export type Bucket = 'day' | 'hour';

export interface ActivitySeries {
	domain: string;
	chart: string;
	key: string;
	values: number[];
}

export interface Activity {
	bucket: Bucket;
	/** Bucket starts (ISO, UTC), oldest first. */
	buckets: string[];
	series: ActivitySeries[];
}

export function parseActivity( body: unknown ): Activity {
	if (
		! isRecord( body ) ||
		! Array.isArray( body.buckets ) ||
		! Array.isArray( body.series )
	) {
		throw invalidResponse();
	}
	const buckets = body.buckets.map( ( value ) => readString( value ) );
	return {
		bucket: readString( body.bucket ) === 'hour' ? 'hour' : 'day',
		buckets,
		series: body.series.filter( isRecord ).map( ( entry ) => ( {
			domain: readString( entry.domain ),
			chart: readString( entry.chart ),
			key: readString( entry.key ),
			values: Array.isArray( entry.values )
				? buckets.map( ( _bucket, index ) =>
						readNumber( ( entry.values as unknown[] )[ index ] )
					)
				: buckets.map( () => 0 ),
		} ) ),
	};
}

export function useActivity( bucket: Bucket ): Resource< Activity > {
	const path = worker( 'api/v1/activity', { bucket } );
	return useResource(
		path,
		async ( signal ) => parseActivity( await request( path, { signal } ) ),
		{ refreshInterval: 60_000 }
	);
}

/**
 * The plugin's outbox per bucket (`sync-hub/v1/outbox/activity`), as a chart's series.
 * @param body
 */
export function parseOutboxActivity( body: unknown ): Activity {
	if (
		! isRecord( body ) ||
		! Array.isArray( body.buckets ) ||
		! isRecord( body.series )
	) {
		throw invalidResponse();
	}
	const buckets = body.buckets.map( ( value ) => readString( value ) );
	const series = body.series;
	return {
		bucket: readString( body.bucket ) === 'hour' ? 'hour' : 'day',
		buckets,
		series: [ 'delivered', 'failed' ].map( ( key ) => {
			const values = series[ key ];
			return {
				domain: 'plugin',
				chart: 'outbox',
				key,
				values: buckets.map( ( _bucket, index ) =>
					readNumber( Array.isArray( values ) ? values[ index ] : 0 )
				),
			};
		} ),
	};
}

export function useOutboxActivity( bucket: Bucket ): Resource< Activity > {
	const path = restPath( 'outbox/activity', { bucket } );
	return useResource(
		path,
		async ( signal ) =>
			parseOutboxActivity( await request( path, { signal } ) ),
		{ refreshInterval: 60_000 }
	);
}
