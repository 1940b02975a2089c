/**
 * The Odoo connection: URL, database, login and API key (write-only), options, and Test.
 */

/**
 * External dependencies
 */
import type { FormEvent } from 'react';

/**
 * WordPress dependencies
 */
import { CheckboxControl, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import {
	ConnectionActions,
	ConnectionCard as SharedConnectionCard,
} from '../ui/connection-card';
import { ConnectionTestResult } from '../ui/request-states';
import {
	useOdooConnection,
	type OdooConnectionResource,
	type OdooSettings,
} from './data';

function ConnectionForm( {
	settings,
	resource,
}: {
	settings: OdooSettings;
	resource: OdooConnectionResource;
} ) {
	const { save, test } = resource;
	const [ url, setUrl ] = useState( settings.url );
	const [ db, setDb ] = useState( settings.db );
	const [ username, setUsername ] = useState( settings.username );
	const [ apiKey, setApiKey ] = useState( '' );
	const [ confirmOrders, setConfirmOrders ] = useState(
		settings.confirm_orders
	);
	const [ createInvoices, setCreateInvoices ] = useState(
		settings.create_invoices
	);

	const onSubmit = async ( event: FormEvent ) => {
		event.preventDefault();
		const saved = await save.mutate( {
			url,
			db,
			username,
			...( apiKey === '' ? {} : { api_key: apiKey } ),
			confirm_orders: confirmOrders,
			create_invoices: createInvoices && confirmOrders,
		} );
		if ( saved !== undefined ) {
			setApiKey( '' );
		}
	};
	const result = test.result;
	return (
		<form
			className="synchub-bookings__connection"
			onSubmit={ ( event ) => void onSubmit( event ) }
		>
			<TextControl
				label={ __( 'Odoo URL', 'sync-hub' ) }
				help={ __(
					'For example https://mycompany.odoo.com',
					'sync-hub'
				) }
				type="url"
				value={ url }
				onChange={ setUrl }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Database', 'sync-hub' ) }
				value={ db }
				onChange={ setDb }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Username', 'sync-hub' ) }
				value={ username }
				onChange={ setUsername }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'API key', 'sync-hub' ) }
				help={
					settings.has_api_key
						? __(
								'A key is saved. Leave blank to keep it.',
								'sync-hub'
							)
						: __(
								'Create one in Odoo: Preferences → Account Security → New API Key.',
								'sync-hub'
							)
				}
				type="password"
				value={ apiKey }
				onChange={ setApiKey }
				autoComplete="new-password"
				__nextHasNoMarginBottom
			/>
			<CheckboxControl
				label={ __( 'Confirm sale orders in Odoo', 'sync-hub' ) }
				checked={ confirmOrders }
				onChange={ setConfirmOrders }
				__nextHasNoMarginBottom
			/>
			<CheckboxControl
				label={ __(
					'Create invoices for confirmed orders',
					'sync-hub'
				) }
				checked={ createInvoices && confirmOrders }
				disabled={ ! confirmOrders }
				onChange={ setCreateInvoices }
				__nextHasNoMarginBottom
			/>
			<ConnectionActions
				saveLabel={ __( 'Save Odoo settings', 'sync-hub' ) }
				save={ save }
				test={ test }
				onTest={ () => void test.mutate( undefined ) }
			/>
			<ConnectionTestResult
				className="synchub-bookings__test"
				success={
					result?.ok === true
						? sprintf(
								/* translators: 1: Odoo version such as 17.0, 2: name of the Odoo user, 3: its login. */
								__(
									'Connected to Odoo %1$s as %2$s (%3$s).',
									'sync-hub'
								),
								result.version,
								result.userName,
								result.login
							)
						: undefined
				}
				failure={ result?.ok === false ? result.error : undefined }
				requestError={
					test.status === 'error' ? test.error?.message : undefined
				}
			/>
		</form>
	);
}

export function ConnectionCard() {
	const resource = useOdooConnection();
	return (
		<SharedConnectionCard
			title={ __( 'Odoo connection', 'sync-hub' ) }
			cardClassName="synchub-bookings-connection"
			source={ resource }
			loadingLabel={ __( 'Loading the Odoo settings…', 'sync-hub' ) }
			formKey={ ( data ) =>
				`${ data.url }|${ data.db }|${ data.username }`
			}
			form={ ( data ) => (
				<ConnectionForm settings={ data } resource={ resource } />
			) }
		/>
	);
}
