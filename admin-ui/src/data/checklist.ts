/**
 * The Overview's setup checklist: what is set up, read from the plugin's settings and the worker
 * (through the plugin proxy) in one resource. A part that cannot be read counts as not done.
 */

/**
 * Internal dependencies
 */
import { request, restPath } from './api';
import type { WorkerHealth } from './health';
import type { Settings } from './settings';
import {
	isRecord,
	readBoolean,
	readNullableString,
	readNumber,
	readString,
} from './parse';
import { useResource, type Resource } from './use-resource';

export type ChecklistItemId =
	| 'worker'
	| 'admin_token'
	| 'webhook_secret'
	| 'store_database'
	| 'odoo'
	| 'siigo'
	| 'products'
	| 'siigo_webhooks'
	| 'first_sync';

export interface ChecklistItem {
	id: ChecklistItemId;
	done: boolean;
	/** The tab where it is fixed. */
	tab: string;
}

/** What the checklist is computed from; `undefined` = could not be read. */
export interface ChecklistFacts {
	workerReachable: boolean;
	settings?: { has_admin_token: boolean; has_webhook_secret: boolean };
	storeDatabase?: { host: string };
	odoo?: { configured: boolean };
	siigo?: { has_access_key: boolean; username: string };
	tokens?: number;
	/** The plugin's products feed: when its endpoint last proved it works (test or delivery). */
	productsFeed?: { verified_at: string | null };
	subscriptions?: number;
	syncedRecords?: number;
	health?: Partial<
		Pick<
			WorkerHealth,
			'store_connection' | 'odoo_connection' | 'siigo_connection'
		>
	>;
}

/**
 * The items in order, each done or not. Pure.
 * @param facts
 */
export function checklistItems( facts: ChecklistFacts ): ChecklistItem[] {
	return [
		{ id: 'worker', done: facts.workerReachable, tab: 'overview' },
		{
			id: 'admin_token',
			done: facts.settings?.has_admin_token === true,
			tab: 'overview',
		},
		{
			id: 'webhook_secret',
			done: facts.settings?.has_webhook_secret === true,
			tab: 'overview',
		},
		{
			id: 'store_database',
			done:
				( facts.storeDatabase?.host ?? '' ) !== '' &&
				facts.health?.store_connection === true,
			tab: 'events',
		},
		{
			id: 'odoo',
			done:
				facts.odoo?.configured === true &&
				facts.health?.odoo_connection === true,
			tab: 'bookings',
		},
		{
			id: 'siigo',
			done:
				facts.siigo?.has_access_key === true &&
				facts.siigo.username !== '' &&
				facts.health?.siigo_connection === true,
			tab: 'stock',
		},
		{
			id: 'products',
			done:
				( facts.tokens ?? 0 ) > 0 &&
				( facts.productsFeed?.verified_at ?? null ) !== null,
			tab: 'products',
		},
		{
			id: 'siigo_webhooks',
			done: ( facts.subscriptions ?? 0 ) > 0,
			tab: 'stock',
		},
		{
			id: 'first_sync',
			done: ( facts.syncedRecords ?? 0 ) > 0,
			tab: 'status',
		},
	];
}

const worker = (
	route: string,
	query: Record< string, string | number | undefined > = {}
) => restPath( `worker/${ route }`, query );

async function read< T >(
	path: string,
	signal: AbortSignal,
	pick: ( body: Record< string, unknown > ) => T
): Promise< T | undefined > {
	try {
		const body = await request( path, { signal } );
		return isRecord( body ) ? pick( body ) : undefined;
	} catch {
		return undefined;
	}
}

/** The checklist's state; `refresh` reads the worker's side again. */
export type ChecklistResource = Omit< Resource< ChecklistItem[] >, 'receive' >;

const SYNC_CHARTS = [
	'events_synced',
	'bookings_sent',
	'stock_changes',
	'product_events',
];

/**
 * @param health   The Overview's worker health (reachable; store database, Odoo and SIIGO connections).
 * @param settings The plugin's connection settings, as the Overview already read them.
 */
export function useChecklist(
	health: Resource< WorkerHealth >,
	settings: Settings | undefined
): ChecklistResource {
	const reachable = health.data !== undefined;
	const key = `checklist:${ reachable ? 'up' : 'down' }:${ health.data?.store_connection }:${ health.data?.odoo_connection }:${ health.data?.siigo_connection }`;
	const facts = useResource(
		key,
		async ( signal ) => {
			const [
				storeDatabase,
				odoo,
				siigo,
				tokens,
				productsFeed,
				subscriptions,
				syncedRecords,
			] = await Promise.all( [
				reachable
					? read(
							worker(
								'api/v1/sync-woocommerce/store-connection/'
							),
							signal,
							( body ) => ( { host: readString( body.host ) } )
						)
					: undefined,
				reachable
					? read(
							worker( 'api/v1/bookings/settings' ),
							signal,
							( body ) => ( {
								configured: readBoolean( body.configured ),
							} )
						)
					: undefined,
				reachable
					? read(
							worker( 'api/v1/stock/settings' ),
							signal,
							( body ) => ( {
								has_access_key: readBoolean(
									body.has_access_key
								),
								username: readString( body.username ),
							} )
						)
					: undefined,
				reachable
					? read(
							worker( 'api/v1/integrations/tokens/' ),
							signal,
							( body ) => readNumber( body.count )
						)
					: undefined,
				read( restPath( 'products/settings' ), signal, ( body ) => ( {
					verified_at: readNullableString( body.verified_at ),
				} ) ),
				reachable
					? read(
							worker( 'api/webhooks/subscriptions' ),
							signal,
							( body ) =>
								Array.isArray( body.items )
									? body.items.filter(
											( item ) =>
												isRecord( item ) &&
												readBoolean( item.ours )
										).length
									: 0
						)
					: undefined,
				reachable
					? read(
							worker( 'api/v1/activity', {
								bucket: 'day',
								count: 90,
							} ),
							signal,
							( body ) =>
								( Array.isArray( body.series )
									? body.series
									: []
								)
									.filter( isRecord )
									.filter( ( entry ) =>
										SYNC_CHARTS.includes(
											readString( entry.chart )
										)
									)
									.flatMap( ( entry ) =>
										Array.isArray( entry.values )
											? entry.values
											: []
									)
									.reduce(
										( sum: number, value ) =>
											sum + readNumber( value ),
										0
									)
						)
					: undefined,
			] );
			return {
				storeDatabase,
				odoo,
				siigo,
				tokens,
				productsFeed,
				subscriptions,
				syncedRecords,
			};
		},
		{ refreshInterval: 60_000 }
	);
	const data = facts.data
		? checklistItems( {
				...facts.data,
				workerReachable: reachable,
				health: health.data,
				settings,
			} )
		: undefined;
	return {
		status: facts.status,
		error: facts.error,
		data,
		refresh: facts.refresh,
	} as ChecklistResource;
}
