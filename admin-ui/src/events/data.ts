/**
 * Data of the Events screen, one hook per server resource (components never fetch), all
 * through the plugin proxy `sync-hub/v1/worker/api/v1/sync-woocommerce/…`:
 * - configurations (list, create, update, delete) and their actions (trigger, pause, resume, test);
 * - executions, reloaded every 2 s while one is running (live progress).
 */

/**
 * WordPress dependencies
 */
import apiFetch from '@wordpress/api-fetch';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { request, restPath } from '../data/api';
import { ApiError, invalidResponse, toApiError } from '../data/errors';
import { useNotify } from '../data/notices';
import {
	isRecord,
	readBoolean,
	readNullableNumber,
	readNullableString,
	readNumber,
	readString,
} from '../data/parse';
import { useMutation, type Mutation } from '../data/use-mutation';
import { useResource, type Resource } from '../data/use-resource';

export const FREQUENCIES = [
	'manual',
	'hourly',
	'daily',
	'weekly',
	'monthly',
] as const;
export type Frequency = ( typeof FREQUENCIES )[ number ];

export interface EventConfiguration {
	id: number;
	name: string;
	woocommerce_product_id: number;
	event_name: string;
	event_description: string;
	organizer_email: string;
	organizer_name: string;
	service_fee_percentage: number;
	sync_frequency: Frequency;
	is_active: boolean;
	is_paused: boolean;
	is_migration: boolean;
	/** `{EventName}` (and `{ProductName}`) are replaced; empty = the worker's default in its locale. */
	tier_name_template: string;
	last_sync_at: string | null;
}

export type ConfigurationInput = Omit<
	EventConfiguration,
	'id' | 'is_paused' | 'last_sync_at'
>;

export type ExecutionStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface Execution {
	id: number;
	configuration_id: number;
	status: ExecutionStatus;
	started_at: string | null;
	finished_at: string | null;
	orders_processed: number;
	tickets_processed: number;
	new_orders: number;
	updated_orders: number;
	/** Orders a forced re-scan did not re-read: their rows in the store were unchanged. */
	unchanged_orders: number;
	new_tickets: number;
	updated_tickets: number;
	execution_time: string;
	error_message: string | null;
	progress: { processed: number; total: number | null; percent: number };
}

export interface ConnectionReport {
	ok: boolean;
	databaseReachable: boolean;
	storageMode: string | null;
	productFound: boolean;
	productName: string | null;
	matchingPaidOrders: number | null;
	error: string | null;
}

/** A 400 from the worker with a message per field (`details.fields`). */
export class FieldErrors extends ApiError {
	readonly fields: Record< string, string[] >;

	constructor( error: ApiError, fields: Record< string, string[] > ) {
		super( error.code, error.message, error.status );
		this.fields = fields;
	}
}

const readFrequency = ( value: unknown ): Frequency =>
	( FREQUENCIES as readonly unknown[] ).includes( value )
		? ( value as Frequency )
		: 'manual';
const readExecutionStatus = ( value: unknown ): ExecutionStatus =>
	value === 'running' ||
	value === 'completed' ||
	value === 'failed' ||
	value === 'cancelled'
		? value
		: 'failed';

export function parseConfiguration( body: unknown ): EventConfiguration {
	if ( ! isRecord( body ) ) {
		throw invalidResponse();
	}
	return {
		id: readNumber( body.id ),
		name: readString( body.name ),
		woocommerce_product_id: readNumber( body.woocommerce_product_id ),
		event_name: readString( body.event_name ),
		event_description: readString( body.event_description ),
		organizer_email: readString( body.organizer_email ),
		organizer_name: readString( body.organizer_name ),
		service_fee_percentage: readNumber( body.service_fee_percentage ),
		sync_frequency: readFrequency( body.sync_frequency ),
		is_active: readBoolean( body.is_active ),
		is_paused: readBoolean( body.is_paused ),
		is_migration: readBoolean( body.is_migration ),
		tier_name_template: readString( body.tier_name_template ),
		last_sync_at: readNullableString( body.last_sync_at ),
	};
}

export function parseExecution( body: unknown ): Execution {
	if ( ! isRecord( body ) ) {
		throw invalidResponse();
	}
	const progress = isRecord( body.progress ) ? body.progress : {};
	return {
		id: readNumber( body.id ),
		configuration_id: readNumber( body.configuration_id ),
		status: readExecutionStatus( body.status ),
		started_at: readNullableString( body.started_at ),
		finished_at: readNullableString( body.finished_at ),
		orders_processed: readNumber( body.orders_processed ),
		tickets_processed: readNumber( body.tickets_processed ),
		new_orders: readNumber( body.new_orders ),
		updated_orders: readNumber( body.updated_orders ),
		unchanged_orders: readNumber( body.unchanged_orders ),
		new_tickets: readNumber( body.new_tickets ),
		updated_tickets: readNumber( body.updated_tickets ),
		execution_time: readString( body.execution_time, '00:00:00' ),
		error_message: readNullableString( body.error_message ),
		progress: {
			processed: readNumber( progress.processed ),
			total: readNullableNumber( progress.total ),
			percent: readNumber( progress.percent ),
		},
	};
}

function parseList< T >( body: unknown, item: ( value: unknown ) => T ): T[] {
	if ( ! isRecord( body ) || ! Array.isArray( body.results ) ) {
		throw invalidResponse();
	}
	return body.results.map( item );
}

export function parseConnectionReport( body: unknown ): ConnectionReport {
	if ( ! isRecord( body ) ) {
		throw invalidResponse();
	}
	const error = isRecord( body.error )
		? readString( body.error.message )
		: null;
	return {
		ok: readBoolean( body.ok ),
		databaseReachable: readBoolean( body.database_reachable ),
		storageMode: readNullableString( body.storage_mode ),
		productFound: readBoolean( body.product_found ),
		productName: readNullableString( body.product_name ),
		matchingPaidOrders: readNullableNumber( body.matching_paid_orders ),
		error,
	};
}

/**
 * The request body: fields left empty that the worker defaults from the store (event name,
 * organizer, tier name template) are left out on create, so the worker fills them in.
 *
 * @param input  The form values.
 * @param create Whether this creates a configuration.
 */
export function configurationRequest(
	input: ConfigurationInput,
	create: boolean
): Record< string, unknown > {
	const body: Record< string, unknown > = { ...input };
	for ( const key of [
		'event_name',
		'organizer_email',
		'organizer_name',
	] as const ) {
		if ( input[ key ].trim() === '' && create ) {
			delete body[ key ];
		}
	}
	if ( input.tier_name_template.trim() === '' ) {
		body.tier_name_template = '';
	}
	return body;
}

/**
 * Keeps the worker's per-field messages, which the generic ApiError drops.
 * @param thrown
 */
export function toFieldErrors( thrown: unknown ): ApiError {
	const error = toApiError( thrown );
	const details =
		isRecord( thrown ) &&
		isRecord( thrown.error ) &&
		isRecord( thrown.error.details )
			? thrown.error.details
			: undefined;
	if ( details && isRecord( details.fields ) ) {
		const fields: Record< string, string[] > = {};
		for ( const [ name, messages ] of Object.entries( details.fields ) ) {
			fields[ name ] = Array.isArray( messages )
				? messages.map( ( message ) => readString( message ) )
				: [ readString( messages ) ];
		}
		return new FieldErrors( error, fields );
	}
	return error;
}

const base = 'worker/api/v1/sync-woocommerce';

export interface ConfigurationsResource extends Resource<
	EventConfiguration[]
> {
	save: Mutation<
		{ id?: number; input: ConfigurationInput },
		EventConfiguration
	>;
	remove: Mutation< EventConfiguration, unknown >;
	action: Mutation<
		{
			configuration: EventConfiguration;
			action: 'trigger_sync' | 'pause_sync' | 'resume_sync';
		},
		unknown
	>;
	test: Mutation< EventConfiguration, ConnectionReport >;
}

export function useEventConfigurations(
	onChanged?: () => void
): ConfigurationsResource {
	const notify = useNotify();
	const path = restPath( `${ base }/configurations/` );
	const resource = useResource( path, async ( signal ) =>
		parseList( await request( path, { signal } ), parseConfiguration )
	);
	const save = useMutation(
		async ( { id, input }: { id?: number; input: ConfigurationInput } ) => {
			try {
				const target =
					id === undefined
						? path
						: restPath( `${ base }/configurations/${ id }/` );
				// apiFetch directly: request() would drop the per-field messages of a 400.
				return parseConfiguration(
					await apiFetch< unknown >( {
						path: target,
						method: id === undefined ? 'POST' : 'PUT',
						data: configurationRequest( input, id === undefined ),
					} )
				);
			} catch ( thrown ) {
				throw toFieldErrors( thrown );
			}
		},
		{
			onSuccess: async () => {
				notify.success(
					__( 'Events configuration saved.', 'sync-hub' ),
					'sync-hub-events-save'
				);
				await resource.refresh();
			},
		}
	);
	const remove = useMutation(
		( configuration: EventConfiguration ) =>
			request(
				restPath( `${ base }/configurations/${ configuration.id }/` ),
				{ method: 'DELETE' }
			),
		{
			onSuccess: async ( _result, configuration ) => {
				notify.success(
					sprintf(
						/* translators: %s: configuration name. */
						__( 'Configuration "%s" deleted.', 'sync-hub' ),
						configuration.name
					),
					'sync-hub-events-delete'
				);
				await resource.refresh();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__(
							'The configuration was not deleted: %s',
							'sync-hub'
						),
						error.message
					),
					'sync-hub-events-delete'
				),
		}
	);
	const action = useMutation(
		( {
			configuration,
			action: name,
		}: {
			configuration: EventConfiguration;
			action: 'trigger_sync' | 'pause_sync' | 'resume_sync';
		} ) =>
			request(
				restPath(
					`${ base }/configurations/${ configuration.id }/${ name }/`
				),
				{ method: 'POST', data: {} }
			),
		{
			onSuccess: async ( _result, { action: name } ) => {
				const messages = {
					trigger_sync: __( 'Sync started.', 'sync-hub' ),
					pause_sync: __( 'Sync paused.', 'sync-hub' ),
					resume_sync: __( 'Sync resumed.', 'sync-hub' ),
				};
				notify.success( messages[ name ], 'sync-hub-events-action' );
				await resource.refresh();
				onChanged?.();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'The action failed: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-events-action'
				),
		}
	);
	const test = useMutation( async ( configuration: EventConfiguration ) =>
		parseConnectionReport(
			await request(
				restPath(
					`${ base }/configurations/${ configuration.id }/test_connection/`
				),
				{ method: 'POST', data: {} }
			)
		)
	);
	return { ...resource, save, remove, action, test };
}

/**
 * Executions, newest first; every 2 s while one runs, else every 30 s.
 * @param running
 */
export function useEventExecutions(
	running: boolean
): Resource< Execution[] > {
	const path = restPath( `${ base }/executions/`, { page_size: 25 } );
	return useResource(
		path,
		async ( signal ) =>
			parseList( await request( path, { signal } ), parseExecution ),
		{ refreshInterval: running ? 2_000 : 30_000 }
	);
}
