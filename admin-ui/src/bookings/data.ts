/**
 * Data of the Bookings screen, one hook per server resource (components never fetch):
 * - the worker's Odoo connection and options, through the plugin proxy
 *   (`sync-hub/v1/worker/api/v1/bookings/settings`, `.../test-connection`);
 * - the synced and failed orders (`.../bookings/orders`), Retry, and "Sync all" (`worker/sync/manual`);
 * - the cart discount rule and "Send test order", plugin routes (`sync-hub/v1/bookings/...`).
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
import { formatNumber } from '../ui/format';

export interface OdooSettings {
	url: string;
	db: string;
	username: string;
	has_api_key: boolean;
	configured: boolean;
	confirm_orders: boolean;
	create_invoices: boolean;
}

export interface OdooSettingsInput {
	url: string;
	db: string;
	username: string;
	/** Left out when empty: the saved key is kept. */
	api_key?: string;
	confirm_orders: boolean;
	create_invoices: boolean;
}

export type ConnectionTest =
	| { ok: true; version: string; userName: string; login: string }
	| { ok: false; error: string };

export function parseOdooSettings( body: unknown ): OdooSettings {
	if ( ! isRecord( body ) ) {
		throw invalidResponse();
	}
	return {
		url: readString( body.url ),
		db: readString( body.db ),
		username: readString( body.username ),
		has_api_key: readBoolean( body.has_api_key ),
		configured: readBoolean( body.configured ),
		confirm_orders: readBoolean( body.confirm_orders ),
		create_invoices: readBoolean( body.create_invoices ),
	};
}

export function parseConnectionTest( body: unknown ): ConnectionTest {
	if ( ! isRecord( body ) ) {
		throw invalidResponse();
	}
	if ( body.ok === true && isRecord( body.user ) ) {
		return {
			ok: true,
			version: readString( body.version ),
			userName: readString( body.user.name ),
			login: readString( body.user.login ),
		};
	}
	return {
		ok: false,
		error: readString(
			body.error,
			__( 'The connection failed.', 'sync-hub' )
		),
	};
}

const SETTINGS_PATH = () => restPath( 'worker/api/v1/bookings/settings' );

export interface OdooConnectionResource extends Resource< OdooSettings > {
	save: Mutation< OdooSettingsInput, unknown >;
	test: Mutation< void, ConnectionTest >;
}

export function useOdooConnection(): OdooConnectionResource {
	const notify = useNotify();
	const path = SETTINGS_PATH();
	const resource = useResource( path, async ( signal ) =>
		parseOdooSettings( await request( path, { signal } ) )
	);
	const save = useMutation(
		( input: OdooSettingsInput ) =>
			request( path, { method: 'PUT', data: { ...input } } ),
		{
			onSuccess: async () => {
				notify.success(
					__( 'Odoo settings saved.', 'sync-hub' ),
					'sync-hub-odoo-save'
				);
				await resource.refresh();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__(
							'The Odoo settings were not saved: %s',
							'sync-hub'
						),
						error.message
					),
					'sync-hub-odoo-save'
				),
		}
	);
	const test = useMutation( async ( _none: void ) =>
		parseConnectionTest(
			await request(
				restPath( 'worker/api/v1/bookings/test-connection' ),
				{ method: 'POST', data: {} }
			)
		)
	);
	return { ...resource, save, test };
}

export type BookingOrderStatus = 'pending' | 'synced' | 'failed';

export interface BookingOrderRow {
	orderId: number;
	number: string;
	status: BookingOrderStatus;
	paidAt: string | null;
	attempts: number;
	lastError: string | null;
	odooOrderName: string | null;
	odooOrderId: number | null;
}

export interface BookingOrdersPage {
	counts: Record< BookingOrderStatus, number >;
	items: BookingOrderRow[];
}

const readStatus = ( value: unknown ): BookingOrderStatus =>
	value === 'synced' || value === 'failed' ? value : 'pending';

export function parseBookingOrders( body: unknown ): BookingOrdersPage {
	if (
		! isRecord( body ) ||
		! isRecord( body.counts ) ||
		! Array.isArray( body.items )
	) {
		throw invalidResponse();
	}
	return {
		counts: {
			pending: readNumber( body.counts.pending ),
			synced: readNumber( body.counts.synced ),
			failed: readNumber( body.counts.failed ),
		},
		items: body.items.filter( isRecord ).map( ( row ) => ( {
			orderId: readNumber( row.wc_order_id ),
			number: readString( row.order_number ),
			status: readStatus( row.status ),
			paidAt: readNullableString( row.paid_at ),
			attempts: readNumber( row.attempts ),
			lastError: readNullableString( row.last_error ),
			odooOrderName: readNullableString( row.odoo_sale_order_name ),
			odooOrderId: readNullableNumber( row.odoo_sale_order_id ),
		} ) ),
	};
}

export interface BookingOrdersResource extends Resource< BookingOrdersPage > {
	retry: Mutation< number, unknown >;
	syncAll: Mutation< void, unknown >;
}

export function useBookingOrders(
	status: BookingOrderStatus
): BookingOrdersResource {
	const notify = useNotify();
	const path = restPath( 'worker/api/v1/bookings/orders', { status } );
	const resource = useResource(
		path,
		async ( signal ) =>
			parseBookingOrders( await request( path, { signal } ) ),
		{ refreshInterval: 15_000 }
	);
	const retry = useMutation(
		( orderId: number ) =>
			request(
				restPath( `worker/api/v1/bookings/orders/${ orderId }/retry` ),
				{ method: 'POST' }
			),
		{
			onSuccess: async ( _result, orderId ) => {
				notify.success(
					sprintf(
						/* translators: %d: WooCommerce order number. */
						__(
							'Order #%d will be sent to Odoo again.',
							'sync-hub'
						),
						orderId
					),
					`sync-hub-booking-retry-${ orderId }`
				);
				await resource.refresh();
			},
			onError: ( error, orderId ) =>
				notify.error(
					sprintf(
						/* translators: 1: WooCommerce order number, 2: error message from the server. */
						__(
							'Order #%1$d could not be retried: %2$s',
							'sync-hub'
						),
						orderId,
						error.message
					),
					`sync-hub-booking-retry-${ orderId }`
				),
		}
	);
	const syncAll = useMutation(
		( _none: void ) =>
			request( restPath( 'worker/sync/manual' ), {
				method: 'POST',
				data: {},
			} ),
		{
			onSuccess: async ( result ) => {
				const count = isRecord( result )
					? readNumber( result.orders )
					: 0;
				notify.success(
					sprintf(
						/* translators: %s: number of orders. */
						__( 'Unsynced orders queued: %s.', 'sync-hub' ),
						formatNumber( count )
					),
					'sync-hub-booking-sync-all'
				);
				await resource.refresh();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'The sync could not start: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-booking-sync-all'
				),
		}
	);
	return { ...resource, retry, syncAll };
}

export interface DiscountRule {
	enabled: boolean;
	threshold: number;
	percent: number;
}

export function parseDiscountRule( body: unknown ): DiscountRule {
	if ( ! isRecord( body ) ) {
		throw invalidResponse();
	}
	return {
		enabled: readBoolean( body.enabled ),
		threshold: readNumber( body.threshold, 4 ),
		percent: readNumber( body.percent, 5 ),
	};
}

export interface DiscountRuleResource extends Resource< DiscountRule > {
	save: Mutation< DiscountRule, DiscountRule >;
}

export function useDiscountRule(): DiscountRuleResource {
	const notify = useNotify();
	const path = restPath( 'bookings/discount' );
	const resource = useResource( path, async ( signal ) =>
		parseDiscountRule( await request( path, { signal } ) )
	);
	const save = useMutation(
		async ( rule: DiscountRule ) =>
			parseDiscountRule(
				await request( path, { method: 'POST', data: { ...rule } } )
			),
		{
			onSuccess: async () => {
				notify.success(
					__( 'Discount rule saved.', 'sync-hub' ),
					'sync-hub-discount-save'
				);
				await resource.refresh();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'The discount rule was not saved: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-discount-save'
				),
		}
	);
	return { ...resource, save };
}

export function useSendTestOrder(): Mutation< number | undefined, unknown > {
	const notify = useNotify();
	return useMutation(
		( orderId: number | undefined ) =>
			request( restPath( 'bookings/test-order' ), {
				method: 'POST',
				data: orderId === undefined ? {} : { order_id: orderId },
			} ),
		{
			onSuccess: ( result ) => {
				const orderId = isRecord( result )
					? readNumber( result.order_id )
					: 0;
				notify.success(
					sprintf(
						/* translators: %d: WooCommerce order number. */
						__( 'Test order #%d sent to the worker.', 'sync-hub' ),
						orderId
					),
					'sync-hub-test-order'
				);
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'The test order was not sent: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-test-order'
				),
		}
	);
}
