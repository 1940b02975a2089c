/**
 * The store's database connection (SSH hop included): read, save, test, forget. Through the plugin
 * proxy `sync-hub/v1/worker/api/v1/sync-woocommerce/store-connection/`. Secrets are write-only:
 * the worker answers whether each one is set.
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
import { toFieldErrors } from './data';

export interface StoreDatabase {
	source: 'settings' | 'environment';
	host: string;
	port: number;
	user: string;
	database: string;
	table_prefix: string;
	has_password: boolean;
	ssh: {
		host: string;
		port: number;
		username: string;
		has_password: boolean;
		has_private_key: boolean;
		host_key: string | null;
	} | null;
}

export interface StoreDatabaseInput {
	host: string;
	port: number;
	user: string;
	password?: string;
	database: string;
	table_prefix: string;
	ssh: {
		host: string;
		port: number;
		username: string;
		password?: string;
		private_key?: string;
		passphrase?: string;
		host_key?: string;
	} | null;
}

interface Stage {
	ok: boolean;
	error: string | null;
}

export interface StoreDatabaseTest {
	ok: boolean;
	ssh: ( Stage & { hostKey: string | null } ) | null;
	mysql: Stage & { skipped: boolean; storageMode: string | null };
}

export function parseStoreDatabase( body: unknown ): StoreDatabase {
	if ( ! isRecord( body ) ) {
		throw invalidResponse();
	}
	const ssh = isRecord( body.ssh ) ? body.ssh : null;
	return {
		source: body.source === 'settings' ? 'settings' : 'environment',
		host: readString( body.host ),
		port: readNumber( body.port, 3306 ),
		user: readString( body.user ),
		database: readString( body.database ),
		table_prefix: readString( body.table_prefix, 'wp_' ),
		has_password: readBoolean( body.has_password ),
		ssh: ssh
			? {
					host: readString( ssh.host ),
					port: readNumber( ssh.port, 22 ),
					username: readString( ssh.username ),
					has_password: readBoolean( ssh.has_password ),
					has_private_key: readBoolean( ssh.has_private_key ),
					host_key: readNullableString( ssh.host_key ),
				}
			: null,
	};
}

const stage = ( value: unknown ): Stage => {
	const record = isRecord( value ) ? value : {};
	return {
		ok: readBoolean( record.ok ),
		error: isRecord( record.error )
			? readString( record.error.message )
			: null,
	};
};

export function parseStoreDatabaseTest( body: unknown ): StoreDatabaseTest {
	if ( ! isRecord( body ) ) {
		throw invalidResponse();
	}
	const mysql = isRecord( body.mysql ) ? body.mysql : {};
	return {
		ok: readBoolean( body.ok ),
		ssh: isRecord( body.ssh )
			? {
					...stage( body.ssh ),
					hostKey: readNullableString( body.ssh.host_key ),
				}
			: null,
		mysql: {
			...stage( mysql ),
			skipped: readBoolean( mysql.skipped ),
			storageMode: readNullableString( mysql.storage_mode ),
		},
	};
}

export interface StoreDatabaseResource extends Resource< StoreDatabase > {
	save: Mutation< StoreDatabaseInput, StoreDatabase >;
	test: Mutation< StoreDatabaseInput | undefined, StoreDatabaseTest >;
	reset: Mutation< void, unknown >;
}

export function useStoreDatabase(): StoreDatabaseResource {
	const notify = useNotify();
	const path = restPath( 'worker/api/v1/sync-woocommerce/store-connection/' );
	const resource = useResource( path, async ( signal ) =>
		parseStoreDatabase( await request( path, { signal } ) )
	);
	const save = useMutation(
		async ( input: StoreDatabaseInput ) => {
			try {
				// apiFetch directly: request() would drop the per-field messages of a 400.
				return parseStoreDatabase(
					await apiFetch< unknown >( {
						path,
						method: 'PUT',
						data: input,
					} )
				);
			} catch ( thrown ) {
				throw toFieldErrors( thrown );
			}
		},
		{
			onSuccess: async () => {
				notify.success(
					__( 'Store database settings saved.', 'sync-hub' ),
					'sync-hub-store-database'
				);
				await resource.refresh();
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__(
							'The store database settings were not saved: %s',
							'sync-hub'
						),
						error.message
					),
					'sync-hub-store-database'
				),
		}
	);
	const test = useMutation( async ( input: StoreDatabaseInput | undefined ) =>
		parseStoreDatabaseTest(
			await request(
				restPath(
					'worker/api/v1/sync-woocommerce/store-connection/test/'
				),
				{ method: 'POST', data: input ? { ...input } : {} }
			)
		)
	);
	const reset = useMutation(
		( _args: void ) => request( path, { method: 'DELETE' } ),
		{
			onSuccess: async () => {
				notify.success(
					__(
						'The store database settings were removed; the environment applies again.',
						'sync-hub'
					),
					'sync-hub-store-database'
				);
				await resource.refresh();
			},
		}
	);
	return { ...resource, save, test, reset };
}
