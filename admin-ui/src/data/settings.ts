/**
 * Connection settings: `GET/POST sync-hub/v1/settings`, `POST sync-hub/v1/settings/test`.
 * Secrets are write-only: the server only says whether each one is set. A saved secret is
 * only ever used with the worker URL it was saved with, so a new URL needs them again; and
 * only administrators (`can_edit`) may change any of it.
 */

/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { request, restPath } from './api';
import { invalidResponse, toApiError } from './errors';
import { parseHealth, type WorkerHealth } from './health';
import { useNotify } from './notices';
import { isRecord, readBoolean } from './parse';
import { useMutation, type Mutation } from './use-mutation';
import { useResource, type Resource } from './use-resource';

export interface Settings {
	worker_url: string;
	has_admin_token: boolean;
	has_webhook_secret: boolean;
	/** Whether the current user may change the connection (administrators). */
	can_edit: boolean;
}

export type SecretField = 'admin_token' | 'webhook_secret';

/** What a save sends: a secret left out keeps the stored one. */
export interface SettingsInput {
	worker_url: string;
	admin_token?: string;
	webhook_secret?: string;
}

export interface ConnectionTest {
	ok: boolean;
	health: WorkerHealth | undefined;
	/** The reason the test failed, from the server. */
	error: string | undefined;
}

export function parseSettings( body: unknown ): Settings {
	if ( ! isRecord( body ) || typeof body.worker_url !== 'string' ) {
		throw invalidResponse();
	}
	return {
		worker_url: body.worker_url,
		has_admin_token: readBoolean( body.has_admin_token ),
		has_webhook_secret: readBoolean( body.has_webhook_secret ),
		can_edit: readBoolean( body.can_edit ),
	};
}

/**
 * A URL as the server stores it: trimmed, without trailing slashes.
 *
 * @param url URL.
 * @return Normalised URL.
 */
function normaliseUrl( url: string ): string {
	return url.trim().replace( /\/+$/, '' );
}

/**
 * The saved secrets a save would leave behind at a new worker URL (the server refuses that).
 *
 * @param settings Stored settings.
 * @param input    Form values.
 * @return Fields to fill in again; empty while the URL is unchanged.
 */
export function secretsToReenter(
	settings: Settings,
	input: SettingsInput
): SecretField[] {
	if (
		normaliseUrl( input.worker_url ) === normaliseUrl( settings.worker_url )
	) {
		return [];
	}
	const missing: SecretField[] = [];
	if ( settings.has_admin_token && ( input.admin_token ?? '' ) === '' ) {
		missing.push( 'admin_token' );
	}
	if (
		settings.has_webhook_secret &&
		( input.webhook_secret ?? '' ) === ''
	) {
		missing.push( 'webhook_secret' );
	}
	return missing;
}

export function parseConnectionTest( body: unknown ): ConnectionTest {
	if ( ! isRecord( body ) || typeof body.ok !== 'boolean' ) {
		throw invalidResponse();
	}
	let error: string | undefined;
	if ( typeof body.error === 'string' ) {
		error = body.error;
	} else if ( body.error !== undefined && body.error !== null ) {
		error = toApiError(
			isRecord( body.error ) ? { error: body.error } : body.error
		).message;
	}
	return {
		ok: body.ok,
		health:
			body.health === undefined || body.health === null
				? undefined
				: parseHealth( body.health ),
		error,
	};
}

/**
 * Only what is sent: blank secrets are left out so the stored ones stay.
 *
 * @param input Form values.
 * @return Request body.
 */
export function toRequestBody(
	input: SettingsInput
): Record< string, string > {
	const body: Record< string, string > = {
		worker_url: input.worker_url.trim(),
	};
	if ( input.admin_token !== undefined && input.admin_token !== '' ) {
		body.admin_token = input.admin_token;
	}
	if ( input.webhook_secret !== undefined && input.webhook_secret !== '' ) {
		body.webhook_secret = input.webhook_secret;
	}
	return body;
}

export interface SettingsResource extends Resource< Settings > {
	save: Mutation< SettingsInput, Settings >;
	test: Mutation< void, ConnectionTest >;
}

export function useSettings(): SettingsResource {
	const notify = useNotify();
	const path = restPath( 'settings' );
	const resource = useResource( path, async ( signal ) =>
		parseSettings( await request( path, { signal } ) )
	);
	const save = useMutation(
		async ( input: SettingsInput ) =>
			parseSettings(
				await request( path, {
					method: 'POST',
					data: toRequestBody( input ),
				} )
			),
		{
			onSuccess: ( saved ) => {
				// The answer is the stored state: no second request needed.
				resource.receive( saved );
				notify.success(
					__( 'Settings saved.', 'sync-hub' ),
					'sync-hub-settings'
				);
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: error message from the server. */
						__( 'Settings were not saved: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-settings'
				),
		}
	);
	const test = useMutation(
		async ( _args: void ) =>
			parseConnectionTest(
				await request( restPath( 'settings/test' ), { method: 'POST' } )
			),
		{
			onSuccess: ( result ) => {
				if ( result.ok ) {
					notify.success(
						__( 'Connected to the worker.', 'sync-hub' ),
						'sync-hub-settings-test'
					);
				} else if ( result.error === undefined ) {
					notify.error(
						__( 'The worker could not be reached.', 'sync-hub' ),
						'sync-hub-settings-test'
					);
				} else {
					notify.error(
						sprintf(
							/* translators: %s: why the connection failed. */
							__(
								'The worker could not be reached: %s',
								'sync-hub'
							),
							result.error
						),
						'sync-hub-settings-test'
					);
				}
			},
			onError: ( error ) =>
				notify.error(
					sprintf(
						/* translators: %s: why the connection failed. */
						__( 'The worker could not be reached: %s', 'sync-hub' ),
						error.message
					),
					'sync-hub-settings-test'
				),
		}
	);
	return { ...resource, save, test };
}
