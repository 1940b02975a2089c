/**
 * Connection settings: worker URL, and the two secrets, which are write-only. Only
 * administrators may change them; others see the connection and may test it.
 */

/**
 * External dependencies
 */
import type { FormEvent } from 'react';

/**
 * WordPress dependencies
 */
import { Button, Notice, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import {
	secretsToReenter,
	type SecretField,
	type Settings,
	type SettingsResource,
} from '../data/settings';
import { ConnectionCard } from '../ui/connection-card';

interface SettingsCardProps {
	/** The plugin's connection settings (one resource, shared with the setup checklist). */
	resource: SettingsResource;
	/** Called after a save, and after a connection test that reached the worker. */
	onConnectionChanged?: () => void;
}

function secretHelp( isSet: boolean, mustReenter: boolean ): string {
	if ( mustReenter ) {
		return __( 'Enter it again: the worker URL changed.', 'sync-hub' );
	}
	return isSet
		? __( 'A value is saved. Leave blank to keep it.', 'sync-hub' )
		: __( 'Not set yet.', 'sync-hub' );
}

interface FormProps {
	settings: Settings;
	resource: SettingsResource;
	onConnectionChanged: ( () => void ) | undefined;
}

function TestButton( {
	resource,
	onConnectionChanged,
}: Omit< FormProps, 'settings' > ) {
	const { test } = resource;
	const onTest = async () => {
		const result = await test.mutate( undefined );
		if ( result?.ok ) {
			onConnectionChanged?.();
		}
	};
	const testing = test.status === 'resolving';
	return (
		<Button
			variant="secondary"
			isBusy={ testing }
			disabled={ testing }
			onClick={ () => void onTest() }
		>
			{ __( 'Test connection', 'sync-hub' ) }
		</Button>
	);
}

/**
 * What users who may not change the connection see: where it points and what is saved.
 *
 * @param props                     Props.
 * @param props.settings
 * @param props.resource
 * @param props.onConnectionChanged
 * @return The read-only view.
 */
function ReadOnlySettings( {
	settings,
	resource,
	onConnectionChanged,
}: FormProps ) {
	return (
		<div className="synchub-settings__form">
			<TextControl
				label={ __( 'Worker URL', 'sync-hub' ) }
				value={ settings.worker_url }
				onChange={ () => undefined }
				readOnly
				disabled
				__nextHasNoMarginBottom
			/>
			<p>
				{ settings.has_admin_token
					? __( 'An admin token is saved.', 'sync-hub' )
					: __( 'No admin token is saved.', 'sync-hub' ) }{ ' ' }
				{ settings.has_webhook_secret
					? __( 'A webhook secret is saved.', 'sync-hub' )
					: __( 'No webhook secret is saved.', 'sync-hub' ) }
			</p>
			<p className="synchub-muted">
				{ __(
					'Only administrators can change the connection settings.',
					'sync-hub'
				) }
			</p>
			<div className="synchub-settings__actions">
				<TestButton
					resource={ resource }
					onConnectionChanged={ onConnectionChanged }
				/>
			</div>
		</div>
	);
}

function SettingsForm( {
	settings,
	resource,
	onConnectionChanged,
}: FormProps ) {
	const { save } = resource;
	const [ workerUrl, setWorkerUrl ] = useState( settings.worker_url );
	const [ adminToken, setAdminToken ] = useState( '' );
	const [ webhookSecret, setWebhookSecret ] = useState( '' );
	const input = {
		worker_url: workerUrl,
		admin_token: adminToken,
		webhook_secret: webhookSecret,
	};
	const missing = secretsToReenter( settings, input );
	const mustReenter = ( field: SecretField ) => missing.includes( field );

	const onSubmit = async ( event: FormEvent ) => {
		event.preventDefault();
		if ( missing.length > 0 ) {
			return;
		}
		const saved = await save.mutate( input );
		if ( saved ) {
			// Secrets are never kept in the page once sent.
			setAdminToken( '' );
			setWebhookSecret( '' );
			onConnectionChanged?.();
		}
	};

	const saving = save.status === 'resolving';
	return (
		<form
			className="synchub-settings__form"
			onSubmit={ ( event ) => void onSubmit( event ) }
		>
			<TextControl
				label={ __( 'Worker URL', 'sync-hub' ) }
				help={ __(
					'Where the worker listens, e.g. http://127.0.0.1:8787',
					'sync-hub'
				) }
				type="url"
				value={ workerUrl }
				onChange={ ( value: string ) => setWorkerUrl( value ) }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			{ missing.length > 0 && (
				<Notice
					status="warning"
					isDismissible={ false }
					className="synchub-settings__reenter"
				>
					{ __(
						'The worker URL changed. Saved secrets are never sent to a new address: enter them again to save.',
						'sync-hub'
					) }
				</Notice>
			) }
			<TextControl
				label={ __( 'Admin token', 'sync-hub' ) }
				help={ secretHelp(
					settings.has_admin_token,
					mustReenter( 'admin_token' )
				) }
				type="password"
				value={ adminToken }
				onChange={ ( value: string ) => setAdminToken( value ) }
				autoComplete="new-password"
				required={ mustReenter( 'admin_token' ) }
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Webhook secret', 'sync-hub' ) }
				help={ secretHelp(
					settings.has_webhook_secret,
					mustReenter( 'webhook_secret' )
				) }
				type="password"
				value={ webhookSecret }
				onChange={ ( value: string ) => setWebhookSecret( value ) }
				autoComplete="new-password"
				required={ mustReenter( 'webhook_secret' ) }
				__nextHasNoMarginBottom
			/>
			<div className="synchub-settings__actions">
				<Button
					variant="primary"
					type="submit"
					isBusy={ saving }
					disabled={ saving || missing.length > 0 }
				>
					{ __( 'Save settings', 'sync-hub' ) }
				</Button>
				<TestButton
					resource={ resource }
					onConnectionChanged={ onConnectionChanged }
				/>
			</div>
		</form>
	);
}

export function SettingsCard( {
	resource,
	onConnectionChanged,
}: SettingsCardProps ) {
	return (
		<ConnectionCard
			title={ __( 'Connection', 'sync-hub' ) }
			cardClassName="synchub-settings"
			source={ resource }
			loadingLabel={ __( 'Loading settings…', 'sync-hub' ) }
			// Keyed by the stored URL: when the server's value changes (after a save), the form
			// starts again from it instead of syncing fields in an effect.
			formKey={ ( data ) => `${ data.can_edit }|${ data.worker_url }` }
			form={ ( data ) =>
				data.can_edit ? (
					<SettingsForm
						settings={ data }
						resource={ resource }
						onConnectionChanged={ onConnectionChanged }
					/>
				) : (
					<ReadOnlySettings
						settings={ data }
						resource={ resource }
						onConnectionChanged={ onConnectionChanged }
					/>
				)
			}
		/>
	);
}
