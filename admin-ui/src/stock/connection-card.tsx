/**
 * SIIGO credentials (access key write-only), Test connection, warehouse selection, and whether
 * stock writes switch on stock management.
 */

/**
 * External dependencies
 */
import type { FormEvent } from 'react';

/**
 * WordPress dependencies
 */
import {
	CheckboxControl,
	TextControl,
	ToggleControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatNumber } from '../ui/format';
import {
	ConnectionActions,
	ConnectionCard as SharedConnectionCard,
} from '../ui/connection-card';
import { ConnectionTestResult } from '../ui/request-states';
import {
	useStockWriteSettings,
	type SiigoConnection,
	type SiigoSettings,
	type Warehouse,
} from './data';

function Warehouses( {
	warehouses,
	selected,
	onChange,
}: {
	warehouses: Warehouse[];
	selected: string[];
	onChange: ( ids: string[] ) => void;
} ) {
	return (
		<fieldset className="synchub-stock__warehouses">
			<legend>
				{ __( 'Warehouses counted as WooCommerce stock', 'sync-hub' ) }
			</legend>
			<p className="synchub-muted">
				{ __(
					'None selected: the total over all warehouses.',
					'sync-hub'
				) }
			</p>
			{ warehouses.map( ( warehouse ) => (
				<CheckboxControl
					key={ warehouse.id }
					label={ warehouse.name }
					checked={ selected.includes( warehouse.id ) }
					onChange={ ( checked ) =>
						onChange(
							checked
								? [ ...selected, warehouse.id ]
								: selected.filter(
										( id ) => id !== warehouse.id
									)
						)
					}
					__nextHasNoMarginBottom
				/>
			) ) }
		</fieldset>
	);
}

function ConnectionForm( {
	settings,
	connection,
}: {
	settings: SiigoSettings;
	connection: SiigoConnection;
} ) {
	const { save, test } = connection;
	const [ username, setUsername ] = useState( settings.username );
	const [ accessKey, setAccessKey ] = useState( '' );
	const [ partnerId, setPartnerId ] = useState( settings.partner_id );
	const [ apiUrl, setApiUrl ] = useState( settings.api_url );
	const [ selected, setSelected ] = useState< string[] >(
		settings.warehouses
	);
	const result = test.result;
	const warehouses = result?.ok ? result.warehouses : [];

	const onSubmit = async ( event: FormEvent ) => {
		event.preventDefault();
		const saved = await save.mutate( {
			credentials: {
				username,
				partner_id: partnerId,
				api_url: apiUrl,
				...( accessKey === '' ? {} : { access_key: accessKey } ),
			},
			warehouses: selected,
		} );
		if ( saved !== undefined ) {
			setAccessKey( '' );
		}
	};
	return (
		<form
			className="synchub-stock__connection"
			onSubmit={ ( event ) => void onSubmit( event ) }
		>
			<TextControl
				label={ __( 'API user', 'sync-hub' ) }
				help={ __(
					'Siigo Nube → Alianzas → Mi Credencial API.',
					'sync-hub'
				) }
				value={ username }
				onChange={ setUsername }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Access key', 'sync-hub' ) }
				help={
					settings.has_access_key
						? __(
								'A key is saved. Leave blank to keep it.',
								'sync-hub'
							)
						: __(
								'The access key shown with the API user.',
								'sync-hub'
							)
				}
				type="password"
				value={ accessKey }
				onChange={ setAccessKey }
				autoComplete="new-password"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Partner ID', 'sync-hub' ) }
				help={ __( 'Letters and digits only, no spaces.', 'sync-hub' ) }
				value={ partnerId }
				onChange={ setPartnerId }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'API URL', 'sync-hub' ) }
				type="url"
				value={ apiUrl }
				onChange={ setApiUrl }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			{ warehouses.length > 0 && (
				<Warehouses
					warehouses={ warehouses }
					selected={ selected }
					onChange={ setSelected }
				/>
			) }
			{ warehouses.length === 0 && selected.length > 0 && (
				<p className="synchub-muted">
					{ sprintf(
						/* translators: %s: comma-separated warehouse ids. */
						__(
							'Counting warehouses: %s. Test the connection to change them.',
							'sync-hub'
						),
						selected.join( ', ' )
					) }
				</p>
			) }
			<ConnectionActions
				saveLabel={ __( 'Save SIIGO settings', 'sync-hub' ) }
				save={ save }
				test={ test }
				onTest={ () => void test.mutate( undefined ) }
			/>
			<ConnectionTestResult
				className="synchub-stock__test"
				success={
					result?.ok === true
						? sprintf(
								/* translators: %s: number of SIIGO warehouses. */
								__(
									'Connected to SIIGO: %s warehouses found.',
									'sync-hub'
								),
								formatNumber( result.warehouses.length )
							)
						: undefined
				}
				failure={ result?.ok === false ? result.message : undefined }
				requestError={
					test.status === 'error' ? test.error?.message : undefined
				}
			/>
		</form>
	);
}

function ManageStockToggle() {
	const settings = useStockWriteSettings();
	if ( ! settings.data ) {
		return null;
	}
	return (
		<div className="synchub-stock__manage">
			<ToggleControl
				label={ __(
					'Turn on stock management for products that do not manage stock',
					'sync-hub'
				) }
				help={ __(
					'Off: such products are reported and left alone.',
					'sync-hub'
				) }
				checked={ settings.data.manage_unmanaged }
				disabled={ settings.save.status === 'resolving' }
				onChange={ ( checked ) =>
					void settings.save.mutate( { manage_unmanaged: checked } )
				}
				__nextHasNoMarginBottom
			/>
		</div>
	);
}

export function ConnectionCard( {
	connection,
}: {
	connection: SiigoConnection;
} ) {
	return (
		<SharedConnectionCard
			title={ __( 'SIIGO connection', 'sync-hub' ) }
			cardClassName="synchub-stock-connection"
			source={ connection }
			loadingLabel={ __( 'Loading the SIIGO settings…', 'sync-hub' ) }
			formKey={ ( data ) =>
				`${ data.username }|${ data.partner_id }|${
					data.api_url
				}|${ data.warehouses.join( ',' ) }`
			}
			form={ ( data ) => (
				<ConnectionForm settings={ data } connection={ connection } />
			) }
			footer={ <ManageStockToggle /> }
		/>
	);
}
