/**
 * Connection settings: worker URL, and the two secrets, which are write-only.
 */

/**
 * External dependencies
 */
import type { FormEvent } from 'react';

/**
 * WordPress dependencies
 */
import { Button, Card, CardBody, CardHeader, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useSettings, type Settings } from '../data/settings';
import { ErrorState, LoadingState } from '../ui/request-states';

interface SettingsCardProps {
	/** Called after a save, and after a connection test that reached the worker. */
	onConnectionChanged?: () => void;
}

function secretHelp( isSet: boolean ): string {
	return isSet
		? __( 'A value is saved. Leave blank to keep it.', 'sync-hub' )
		: __( 'Not set yet.', 'sync-hub' );
}

interface FormProps {
	settings: Settings;
	resource: ReturnType< typeof useSettings >;
	onConnectionChanged: ( () => void ) | undefined;
}

function SettingsForm( { settings, resource, onConnectionChanged }: FormProps ) {
	const { save, test } = resource;
	const [ workerUrl, setWorkerUrl ] = useState( settings.worker_url );
	const [ adminToken, setAdminToken ] = useState( '' );
	const [ webhookSecret, setWebhookSecret ] = useState( '' );

	const onSubmit = async ( event: FormEvent ) => {
		event.preventDefault();
		const saved = await save.mutate( {
			worker_url: workerUrl,
			admin_token: adminToken,
			webhook_secret: webhookSecret,
		} );
		if ( saved ) {
			// Secrets are never kept in the page once sent.
			setAdminToken( '' );
			setWebhookSecret( '' );
			onConnectionChanged?.();
		}
	};

	const onTest = async () => {
		const result = await test.mutate( undefined );
		if ( result?.ok ) {
			onConnectionChanged?.();
		}
	};

	const saving = save.status === 'resolving';
	const testing = test.status === 'resolving';
	return (
		<form className="synchub-settings__form" onSubmit={ ( event ) => void onSubmit( event ) }>
			<TextControl
				label={ __( 'Worker URL', 'sync-hub' ) }
				help={ __( 'Where the worker listens, e.g. http://127.0.0.1:8787', 'sync-hub' ) }
				type="url"
				value={ workerUrl }
				onChange={ ( value: string ) => setWorkerUrl( value ) }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Admin token', 'sync-hub' ) }
				help={ secretHelp( settings.has_admin_token ) }
				type="password"
				value={ adminToken }
				onChange={ ( value: string ) => setAdminToken( value ) }
				autoComplete="new-password"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Webhook secret', 'sync-hub' ) }
				help={ secretHelp( settings.has_webhook_secret ) }
				type="password"
				value={ webhookSecret }
				onChange={ ( value: string ) => setWebhookSecret( value ) }
				autoComplete="new-password"
				__nextHasNoMarginBottom
			/>
			<div className="synchub-settings__actions">
				<Button variant="primary" type="submit" isBusy={ saving } disabled={ saving }>
					{ __( 'Save settings', 'sync-hub' ) }
				</Button>
				<Button
					variant="secondary"
					isBusy={ testing }
					disabled={ testing }
					onClick={ () => void onTest() }
				>
					{ __( 'Test connection', 'sync-hub' ) }
				</Button>
			</div>
		</form>
	);
}

export function SettingsCard( { onConnectionChanged }: SettingsCardProps ) {
	const resource = useSettings();
	const { data, error, status } = resource;
	return (
		<Card className="synchub-card synchub-settings">
			<CardHeader>
				<h2 className="synchub-card__title">{ __( 'Connection', 'sync-hub' ) }</h2>
			</CardHeader>
			<CardBody>
				{ status === 'error' && error && (
					<ErrorState error={ error } onRetry={ () => void resource.refresh() } />
				) }
				{ data === undefined && status !== 'error' && (
					<LoadingState label={ __( 'Loading settings…', 'sync-hub' ) } />
				) }
				{ data && (
					// Keyed by the stored URL: when the server's value changes (after a save), the
					// form starts again from it instead of syncing fields in an effect.
					<SettingsForm
						key={ data.worker_url }
						settings={ data }
						resource={ resource }
						onConnectionChanged={ onConnectionChanged }
					/>
				) }
			</CardBody>
		</Card>
	);
}
