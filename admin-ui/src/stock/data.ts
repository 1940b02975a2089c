/**
 * Data of the Stock screen. Worker resources go through the plugin's proxy
 * (`sync-hub/v1/worker/api/v1/stock/…`, `…/worker/api/webhooks/…`); the stock-management switch
 * is a plugin route (`sync-hub/v1/stock/settings`).
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
	readNullableNumber,
	readNullableString,
	readNumber,
	readString,
} from '../data/parse';
import { useMutation, type Mutation } from '../data/use-mutation';
import { useResource, type Resource } from '../data/use-resource';

export interface StockStats {
	products: {
		total: number;
		synced: number;
		unknown_sku: number;
		not_managed: number;
		updated_today: number;
	};
	webhooks: {
		total: number;
		processed: number;
		failed: number;
		last_hour: number;
	};
	last_sync: string | null;
	last_full_sync: string | null;
	last_sync_error: string | null;
	siigo_connection: boolean | null;
}

export interface StockChange {
	id: number;
	code: string;
	name: string;
	old_quantity: number | null;
	new_quantity: number;
	source: string;
	result: string;
	created_at: string;
}

export interface SiigoSettings {
	enabled: boolean;
	username: string;
	partner_id: string;
	api_url: string;
	has_access_key: boolean;
	warehouses: string[];
	webhook_base_url: string | null;
}

export interface SiigoSettingsInput {
	credentials?: {
		username: string;
		partner_id: string;
		api_url?: string;
		access_key?: string;
	};
	warehouses?: string[];
}

export interface Warehouse {
	id: string;
	name: string;
}

export interface Subscription {
	id: string;
	topic: string;
	url: string;
	active: boolean;
	ours: boolean;
}

export interface WebhookLog {
	id: number;
	topic: string | null;
	product_code: string | null;
	status: string;
	http_status: number;
	message: string | null;
	received_at: string;
}

export interface LogFilters {
	status: string;
	topic: string;
}

export type TestResult =
	| { ok: true; warehouses: Warehouse[] }
	| { ok: false; code: string; message: string };

const worker = (
	route: string,
	query: Record< string, string | number | undefined > = {}
) => restPath( `worker/${ route }`, query );

const record = ( value: unknown ) => ( isRecord( value ) ? value : {} );

export function parseStats( body: unknown ): StockStats {
	if ( ! isRecord( body ) || ! isRecord( body.products ) ) {
		throw invalidResponse();
	}
	const products = body.products;
	const webhooks = record( body.webhooks );
	return {
		products: {
			total: readNumber( products.total ),
			synced: readNumber( products.synced ),
			unknown_sku: readNumber( products.unknown_sku ),
			not_managed: readNumber( products.not_managed ),
			updated_today: readNumber( products.updated_today ),
		},
		webhooks: {
			total: readNumber( webhooks.total ),
			processed: readNumber( webhooks.processed ),
			failed: readNumber( webhooks.failed ),
			last_hour: readNumber( webhooks.last_hour ),
		},
		last_sync: readNullableString( body.last_sync ),
		last_full_sync: readNullableString( body.last_full_sync ),
		last_sync_error: readNullableString( body.last_sync_error ),
		siigo_connection:
			body.siigo_connection === null ||
			body.siigo_connection === undefined
				? null
				: readBoolean( body.siigo_connection ),
	};
}

export function parseChanges( body: unknown ): StockChange[] {
	if ( ! isRecord( body ) || ! Array.isArray( body.items ) ) {
		throw invalidResponse();
	}
	return body.items.filter( isRecord ).map( ( item ) => ( {
		id: readNumber( item.id ),
		code: readString( item.code ),
		name: readString( item.name ),
		old_quantity: readNullableNumber( item.old_quantity ),
		new_quantity: readNumber( item.new_quantity ),
		source: readString( item.source ),
		result: readString( item.result ),
		created_at: readString( item.created_at ),
	} ) );
}

export function parseSettings( body: unknown ): SiigoSettings {
	if ( ! isRecord( body ) || typeof body.enabled !== 'boolean' ) {
		throw invalidResponse();
	}
	return {
		enabled: body.enabled,
		username: readString( body.username ),
		partner_id: readString( body.partner_id ),
		api_url: readString( body.api_url ),
		has_access_key: readBoolean( body.has_access_key ),
		warehouses: Array.isArray( body.warehouses )
			? body.warehouses
					.map( ( id ) => readString( id ) )
					.filter( ( id ) => id !== '' )
			: [],
		webhook_base_url: readNullableString( body.webhook_base_url ),
	};
}

function parseWarehouses( items: unknown ): Warehouse[] {
	return Array.isArray( items )
		? items.filter( isRecord ).map( ( item ) => ( {
				id: readString( item.id ),
				name: readString( item.name ),
			} ) )
		: [];
}

export function parseTest( body: unknown ): TestResult {
	if ( ! isRecord( body ) || typeof body.ok !== 'boolean' ) {
		throw invalidResponse();
	}
	if ( body.ok ) {
		return { ok: true, warehouses: parseWarehouses( body.warehouses ) };
	}
	const error = record( body.error );
	return {
		ok: false,
		code: readString( error.code ),
		message: readString(
			error.message,
			__( 'The connection test failed.', 'sync-hub' )
		),
	};
}

export function parseSubscriptions( body: unknown ): Subscription[] {
	if ( ! isRecord( body ) || ! Array.isArray( body.items ) ) {
		throw invalidResponse();
	}
	return body.items.filter( isRecord ).map( ( item ) => ( {
		id: readString( item.id ),
		topic: readString( item.topic ),
		url: readString( item.url ),
		active:
			item.active === undefined || item.active === null
				? true
				: readBoolean( item.active ),
		ours: readBoolean( item.ours ),
	} ) );
}

export function parseLogs( body: unknown ): WebhookLog[] {
	if ( ! isRecord( body ) || ! Array.isArray( body.items ) ) {
		throw invalidResponse();
	}
	return body.items.filter( isRecord ).map( ( item ) => ( {
		id: readNumber( item.id ),
		topic: readNullableString( item.topic ),
		product_code: readNullableString( item.product_code ),
		status: readString( item.status ),
		http_status: readNumber( item.http_status ),
		message: readNullableString( item.message ),
		received_at: readString( item.received_at ),
	} ) );
}

export function useStockStats(): Resource< StockStats > {
	const path = worker( 'api/v1/stock/stats' );
	return useResource(
		path,
		async ( signal ) => parseStats( await request( path, { signal } ) ),
		{ refreshInterval: 15_000 }
	);
}

export interface SiigoConnection extends Resource< SiigoSettings > {
	save: Mutation< SiigoSettingsInput, unknown >;
	test: Mutation< void, TestResult >;
	sync: Mutation< { full: boolean }, string >;
}

export function useSiigoConnection(): SiigoConnection {
	const notify = useNotify();
	const path = worker( 'api/v1/stock/settings' );
	const resource = useResource( path, async ( signal ) =>
		parseSettings( await request( path, { signal } ) )
	);
	const save = useMutation(
		( input: SiigoSettingsInput ) =>
			request( path, { method: 'PUT', data: { ...input } } ),
		{
			onSuccess: async () => {
				notify.success(
					__( 'SIIGO settings saved.', 'sync-hub' ),
					'sync-hub-stock-settings'
				);
				await resource.refresh();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__(
							'The SIIGO settings were not saved: %s',
							'sync-hub'
						),
						error.message
					),
					'sync-hub-stock-settings'
				),
		}
	);
	const test = useMutation( async ( _args: void ) =>
		parseTest(
			await request( worker( 'api/v1/stock/settings/test' ), {
				method: 'POST',
			} )
		)
	);
	const sync = useMutation(
		async ( input: { full: boolean } ) => {
			const body = await request( worker( 'api/v1/stock/sync' ), {
				method: 'POST',
				data: input,
			} );
			if ( ! isRecord( body ) ) {
				throw invalidResponse();
			}
			return readString( body.job_id );
		},
		{
			onSuccess: () =>
				notify.success(
					__( 'Stock sync started.', 'sync-hub' ),
					'sync-hub-stock-sync'
				),
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'The stock sync did not start: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-stock-sync'
				),
		}
	);
	return { ...resource, save, test, sync };
}

export interface StockWriteSettings extends Resource< {
	manage_unmanaged: boolean;
} > {
	save: Mutation< { manage_unmanaged: boolean }, unknown >;
}

export function useStockWriteSettings(): StockWriteSettings {
	const notify = useNotify();
	const path = restPath( 'stock/settings' );
	const resource = useResource( path, async ( signal ) => {
		const body = await request( path, { signal } );
		if ( ! isRecord( body ) ) {
			throw invalidResponse();
		}
		return { manage_unmanaged: readBoolean( body.manage_unmanaged ) };
	} );
	const save = useMutation(
		( input: { manage_unmanaged: boolean } ) =>
			request( path, { method: 'POST', data: input } ),
		{
			onSuccess: async () => {
				notify.success(
					__( 'Stock settings saved.', 'sync-hub' ),
					'sync-hub-stock-write'
				);
				await resource.refresh();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__(
							'The stock settings were not saved: %s',
							'sync-hub'
						),
						error.message
					),
					'sync-hub-stock-write'
				),
		}
	);
	return { ...resource, save };
}

export interface Subscriptions extends Resource< Subscription[] > {
	subscribe: Mutation< void, unknown >;
}

export function useSubscriptions(): Subscriptions {
	const notify = useNotify();
	const path = worker( 'api/webhooks/subscriptions' );
	const resource = useResource( path, async ( signal ) =>
		parseSubscriptions( await request( path, { signal } ) )
	);
	const subscribe = useMutation(
		( _args: void ) =>
			request( worker( 'api/webhooks/setup' ), {
				method: 'POST',
				data: {},
			} ),
		{
			onSuccess: async () => {
				notify.success(
					__( 'Subscribed to SIIGO product webhooks.', 'sync-hub' ),
					'sync-hub-stock-subscribe'
				);
				await resource.refresh();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'The webhook subscription failed: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-stock-subscribe'
				),
		}
	);
	return { ...resource, subscribe };
}

export function useWebhookLogs(
	filters: LogFilters,
	limit = 50
): Resource< WebhookLog[] > {
	const path = worker( 'api/webhooks/logs', {
		status: filters.status || undefined,
		topic: filters.topic || undefined,
		limit,
	} );
	return useResource(
		path,
		async ( signal ) => parseLogs( await request( path, { signal } ) ),
		{ refreshInterval: 15_000 }
	);
}

/**
 * Newest first, at most `keep`; merges new changes into the list without duplicates. Pure.
 * @param current
 * @param incoming
 * @param keep
 */
export function mergeChanges(
	current: StockChange[],
	incoming: StockChange[],
	keep = 50
): StockChange[] {
	const byId = new Map< number, StockChange >();
	for ( const change of [ ...incoming, ...current ] ) {
		if ( ! byId.has( change.id ) ) {
			byId.set( change.id, change );
		}
	}
	return [ ...byId.values() ]
		.sort( ( a, b ) => b.id - a.id )
		.slice( 0, keep );
}

/**
 * The latest changes (through the proxy); `since` asks only for the ones after an id.
 * @param since
 * @param signal
 */
export function fetchChanges(
	since: number | null,
	signal?: AbortSignal
): Promise< StockChange[] > {
	const path = worker(
		'api/v1/stock/changes',
		since === null ? { limit: 20 } : { since, limit: 100 }
	);
	return request( path, signal ? { signal } : {} ).then( parseChanges );
}
