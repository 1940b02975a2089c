/**
 * Data of the Products screen. Worker resources go through the plugin's proxy
 * (`sync-hub/v1/worker/api/v1/…`); feed settings and backfill are plugin routes.
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

export interface ProductStats {
	total: number;
	active: number;
	deleted: number;
	awaiting_embedding: number;
	chunks: number;
}

export interface IntegrationToken {
	id: number;
	name: string;
	owner: string;
	preview: string;
	is_active: boolean;
	expires_at: string | null;
	last_used_at: string | null;
	usage_count: number;
	created_at: string;
}

export interface ProductEvent {
	id: number;
	event_id: string;
	event_type: string;
	product_id: number;
	status: string;
	success: boolean | null;
	error: string | null;
	processing_ms: number | null;
	source_ip: string | null;
	received_at: string;
}

export interface EventFilters {
	event_type: string;
	status: string;
	success: string;
}

export interface FeedSettings {
	endpoint_url: string;
	effective_url: string;
	default_endpoint_url: string;
	has_token: boolean;
	/** The endpoint changed since the token was saved: nothing is sent until it is entered again. */
	token_needs_reentry: boolean;
	has_signing_key: boolean;
	/** The key that signs deliveries; only sent to users who may change the connection. */
	signing_key: string | undefined;
	/** Whether the endpoint, token and signing key are the current user's to change. */
	can_edit_connection: boolean;
	debounce: number;
}

/** What a save sends; connection fields are left out for users who may not change them. */
export interface FeedSettingsInput {
	endpoint_url?: string;
	token?: string;
	signing_key?: string;
	regenerate_signing_key?: boolean;
	debounce?: number;
}

export interface BackfillState {
	status: 'idle' | 'running' | 'done';
	processed: number;
	total: number;
	errors: number;
}

const worker = (
	route: string,
	query: Record< string, string | number | undefined > = {}
) => restPath( `worker/api/v1/${ route }`, query );

export function parseStats( body: unknown ): ProductStats {
	if ( ! isRecord( body ) || typeof body.active !== 'number' ) {
		throw invalidResponse();
	}
	return {
		total: readNumber( body.total ),
		active: readNumber( body.active ),
		deleted: readNumber( body.deleted ),
		awaiting_embedding: readNumber( body.awaiting_embedding ),
		chunks: readNumber( body.chunks ),
	};
}

function parseToken( item: Record< string, unknown > ): IntegrationToken {
	return {
		id: readNumber( item.id ),
		name: readString( item.name ),
		owner: readString( item.owner ),
		preview: readString( item.preview ),
		is_active: readBoolean( item.is_active ),
		expires_at: readNullableString( item.expires_at ),
		last_used_at: readNullableString( item.last_used_at ),
		usage_count: readNumber( item.usage_count ),
		created_at: readString( item.created_at ),
	};
}

export function parseTokens( body: unknown ): IntegrationToken[] {
	if ( ! isRecord( body ) || ! Array.isArray( body.results ) ) {
		throw invalidResponse();
	}
	return body.results.filter( isRecord ).map( parseToken );
}

export function parseEvents( body: unknown ): {
	count: number;
	results: ProductEvent[];
} {
	if ( ! isRecord( body ) || ! Array.isArray( body.results ) ) {
		throw invalidResponse();
	}
	return {
		count: readNumber( body.count ),
		results: body.results.filter( isRecord ).map( ( item ) => ( {
			id: readNumber( item.id ),
			event_id: readString( item.event_id ),
			event_type: readString( item.event_type ),
			product_id: readNumber( item.product_id ),
			status: readString( item.status ),
			success:
				item.success === null || item.success === undefined
					? null
					: readBoolean( item.success ),
			error: readNullableString( item.error ),
			processing_ms: readNullableNumber( item.processing_ms ),
			source_ip: readNullableString( item.source_ip ),
			received_at: readString( item.received_at ),
		} ) ),
	};
}

export function parseFeedSettings( body: unknown ): FeedSettings {
	if ( ! isRecord( body ) || typeof body.effective_url !== 'string' ) {
		throw invalidResponse();
	}
	return {
		endpoint_url: readString( body.endpoint_url ),
		effective_url: body.effective_url,
		default_endpoint_url: readString( body.default_endpoint_url ),
		has_token: readBoolean( body.has_token ),
		token_needs_reentry: readBoolean( body.token_needs_reentry ),
		has_signing_key: readBoolean( body.has_signing_key ),
		signing_key:
			typeof body.signing_key === 'string' && body.signing_key !== ''
				? body.signing_key
				: undefined,
		can_edit_connection: readBoolean( body.can_edit_connection ),
		debounce: readNumber( body.debounce, 30 ),
	};
}

/**
 * Whether a save would send the saved token to another endpoint (the server refuses that).
 *
 * @param feed  Stored settings.
 * @param url   Endpoint URL in the form ('' = the worker's route).
 * @param token Token in the form.
 * @return True when the token has to be entered again first.
 */
export function tokenMustBeReentered(
	feed: FeedSettings,
	url: string,
	token: string
): boolean {
	const next = url.trim() === '' ? feed.default_endpoint_url : url.trim();
	return feed.has_token && token.trim() === '' && next !== feed.effective_url;
}

export function parseBackfill( body: unknown ): BackfillState {
	if ( ! isRecord( body ) || typeof body.status !== 'string' ) {
		throw invalidResponse();
	}
	const status =
		body.status === 'running' || body.status === 'done'
			? body.status
			: 'idle';
	return {
		status,
		processed: readNumber( body.processed ),
		total: readNumber( body.total ),
		errors: readNumber( body.errors ),
	};
}

export function useProductStats(): Resource< ProductStats > {
	const path = worker( 'products/stats/' );
	return useResource(
		path,
		async ( signal ) => parseStats( await request( path, { signal } ) ),
		{ refreshInterval: 15_000 }
	);
}

export interface Tokens extends Resource< IntegrationToken[] > {
	generate: Mutation<
		{ name: string },
		{ token: string; record: IntegrationToken }
	>;
	revoke: Mutation< IntegrationToken, unknown >;
}

export function useTokens(): Tokens {
	const notify = useNotify();
	const path = worker( 'integrations/tokens/' );
	const resource = useResource( path, async ( signal ) =>
		parseTokens( await request( path, { signal } ) )
	);
	const generate = useMutation(
		async ( input: { name: string } ) => {
			const body = await request(
				worker( 'integrations/tokens/generate/' ),
				{ method: 'POST', data: { name: input.name } }
			);
			if ( ! isRecord( body ) || typeof body.token !== 'string' ) {
				throw invalidResponse();
			}
			return { token: body.token, record: parseToken( body ) };
		},
		{
			onSuccess: async () => resource.refresh(),
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'The token was not generated: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-token-generate'
				),
		}
	);
	const revoke = useMutation(
		( token: IntegrationToken ) =>
			request( worker( `integrations/tokens/${ token.id }/` ), {
				method: 'DELETE',
			} ),
		{
			onSuccess: async ( _result, token ) => {
				notify.success(
					sprintf(
						/* translators: %s: token name. */
						__( 'Token "%s" was revoked.', 'sync-hub' ),
						token.name
					),
					`sync-hub-token-${ token.id }`
				);
				await resource.refresh();
			},
			onError: ( error, token ) =>
				notify.error(
					sprintf(
						/* translators: 1: token name, 2: error message from the server. */
						__(
							'Token "%1$s" could not be revoked: %2$s',
							'sync-hub'
						),
						token.name,
						error.message
					),
					`sync-hub-token-${ token.id }`
				),
		}
	);
	return { ...resource, generate, revoke };
}

export function useProductEvents(
	filters: EventFilters,
	limit = 25
): Resource< { count: number; results: ProductEvent[] } > {
	const path = worker( 'integrations/woocommerce/events/', {
		event_type: filters.event_type || undefined,
		status: filters.status || undefined,
		success: filters.success || undefined,
		limit,
	} );
	return useResource(
		path,
		async ( signal ) => parseEvents( await request( path, { signal } ) ),
		{ refreshInterval: 15_000 }
	);
}

export interface Feed extends Resource< FeedSettings > {
	save: Mutation< FeedSettingsInput, FeedSettings >;
	test: Mutation< void, { ok: boolean; error: string | undefined } >;
}

export function useFeedSettings(): Feed {
	const notify = useNotify();
	const path = restPath( 'products/settings' );
	const resource = useResource( path, async ( signal ) =>
		parseFeedSettings( await request( path, { signal } ) )
	);
	const save = useMutation(
		async ( input: FeedSettingsInput ) =>
			parseFeedSettings(
				await request( path, { method: 'POST', data: { ...input } } )
			),
		{
			onSuccess: async () => {
				notify.success(
					__( 'Products feed saved.', 'sync-hub' ),
					'sync-hub-products-feed'
				);
				await resource.refresh();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'The products feed was not saved: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-products-feed'
				),
		}
	);
	const test = useMutation(
		async ( _args: void ) => {
			const body = await request( restPath( 'products/settings/test' ), {
				method: 'POST',
			} );
			if ( ! isRecord( body ) || typeof body.ok !== 'boolean' ) {
				throw invalidResponse();
			}
			return {
				ok: body.ok,
				error: typeof body.error === 'string' ? body.error : undefined,
			};
		},
		{
			onSuccess: ( result ) =>
				result.ok
					? notify.success(
							__(
								'The products endpoint accepted the token.',
								'sync-hub'
							),
							'sync-hub-products-test'
						)
					: notify.error(
							sprintf(
								/* translators: %s: the reason the test failed. */
								__(
									'The products endpoint test failed: %s',
									'sync-hub'
								),
								result.error ?? ''
							),
							'sync-hub-products-test'
						),
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: the reason the test failed. */
						__(
							'The products endpoint test failed: %s',
							'sync-hub'
						),
						error.message
					),
					'sync-hub-products-test'
				),
		}
	);
	return { ...resource, save, test };
}

export interface Backfill extends Resource< BackfillState > {
	/** Sends one page of 100; the screen calls it again while the state is `running`. */
	step: Mutation< { restart: boolean }, BackfillState >;
}

export function useBackfill(): Backfill {
	const notify = useNotify();
	const path = restPath( 'products/backfill' );
	const resource = useResource( path, async ( signal ) =>
		parseBackfill( await request( path, { signal } ) )
	);
	const step = useMutation(
		async ( input: { restart: boolean } ) =>
			parseBackfill(
				await request( path, { method: 'POST', data: input } )
			),
		{
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'Sync all products stopped: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-products-backfill'
				),
		}
	);
	return { ...resource, step };
}
