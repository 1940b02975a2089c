/**
 * Create or edit an events configuration. Checks what it can before sending; the worker's
 * per-field messages (unknown product, invalid frequency…) show next to their inputs.
 */

/**
 * External dependencies
 */
import type { FormEvent } from 'react';

/**
 * WordPress dependencies
 */
import {
	Button,
	CheckboxControl,
	Modal,
	Notice,
	SelectControl,
	TextareaControl,
	TextControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { ProductPicker } from '../ui/product-picker';
import {
	FieldErrors,
	FREQUENCIES,
	type ConfigurationInput,
	type ConfigurationsResource,
	type EventConfiguration,
	type Frequency,
} from './data';

const EMPTY: ConfigurationInput = {
	name: '',
	woocommerce_product_id: 0,
	event_name: '',
	event_description: '',
	organizer_email: '',
	organizer_name: '',
	service_fee_percentage: 0,
	sync_frequency: 'manual',
	is_active: true,
	is_migration: false,
	tier_name_template: '',
};

export const frequencyLabel = ( frequency: Frequency ): string =>
	( {
		manual: __( 'Manual only', 'sync-hub' ),
		hourly: __( 'Every hour', 'sync-hub' ),
		daily: __( 'Daily at 02:00', 'sync-hub' ),
		weekly: __( 'Weekly, Monday 02:00', 'sync-hub' ),
		monthly: __( 'Monthly, day 1 at 02:00', 'sync-hub' ),
	} )[ frequency ];

/**
 * The checks the page can make before asking the worker (which checks them all again).
 *
 * @param input   The form values.
 * @param editing Whether an existing configuration is edited (then nothing may be left empty).
 * @return Messages per field; empty when valid.
 */
export function validateConfiguration(
	input: ConfigurationInput,
	editing = true
): Record< string, string[] > {
	const errors: Record< string, string[] > = {};
	const add = ( field: string, message: string ) =>
		( errors[ field ] ??= [] ).push( message );
	if ( input.name.trim() === '' ) {
		add( 'name', __( 'Enter a name.', 'sync-hub' ) );
	}
	if (
		! Number.isInteger( input.woocommerce_product_id ) ||
		input.woocommerce_product_id <= 0
	) {
		add(
			'woocommerce_product_id',
			__( 'Choose the event product: type its name or SKU.', 'sync-hub' )
		);
	}
	// Empty event name and organizer are filled in by the worker from the store when creating.
	if ( editing && input.event_name.trim() === '' ) {
		add( 'event_name', __( 'Enter the event name.', 'sync-hub' ) );
	}
	const email = input.organizer_email.trim();
	if (
		( editing || email !== '' ) &&
		! /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test( email )
	) {
		add(
			'organizer_email',
			__( 'Enter a valid email address.', 'sync-hub' )
		);
	}
	if ( editing && input.organizer_name.trim() === '' ) {
		add( 'organizer_name', __( 'Enter the organizer name.', 'sync-hub' ) );
	}
	if (
		! Number.isFinite( input.service_fee_percentage ) ||
		input.service_fee_percentage < 0 ||
		input.service_fee_percentage > 100
	) {
		add(
			'service_fee_percentage',
			__( 'Enter a percentage between 0 and 100.', 'sync-hub' )
		);
	}
	return errors;
}

interface FormProps {
	configuration: EventConfiguration | null;
	resource: ConfigurationsResource;
	onClose: () => void;
}

export function ConfigurationForm( {
	configuration,
	resource,
	onClose,
}: FormProps ) {
	const [ values, setValues ] = useState< ConfigurationInput >(
		configuration ? { ...configuration } : EMPTY
	);
	const creating = configuration === null;
	const fromStore = creating
		? __( 'Leave empty to use the store’s value.', 'sync-hub' )
		: undefined;
	const [ errors, setErrors ] = useState< Record< string, string[] > >( {} );
	const { save } = resource;
	const serverError = save.status === 'error' ? save.error : undefined;
	const serverFields =
		serverError instanceof FieldErrors ? serverError.fields : {};
	const shown = Object.keys( errors ).length > 0 ? errors : serverFields;
	const failure =
		Object.keys( errors ).length === 0 && serverError
			? serverError.message
			: null;
	const set = < K extends keyof ConfigurationInput >(
		key: K,
		value: ConfigurationInput[ K ]
	) => setValues( ( current ) => ( { ...current, [ key ]: value } ) );
	const help = ( field: string, fallback?: string ) =>
		shown[ field ]?.length ? (
			<span className="synchub-field-error" role="alert">
				{ shown[ field ]?.join( ' ' ) }
			</span>
		) : (
			fallback
		);

	const submit = async ( event: FormEvent ) => {
		event.preventDefault();
		const local = validateConfiguration( values, configuration !== null );
		setErrors( local );
		if ( Object.keys( local ).length > 0 ) {
			return;
		}
		const saved = await save.mutate( {
			id: configuration?.id,
			input: values,
		} );
		if ( saved ) {
			onClose();
		}
	};
	return (
		<Modal
			title={
				configuration
					? __( 'Edit events configuration', 'sync-hub' )
					: __( 'New events configuration', 'sync-hub' )
			}
			onRequestClose={ onClose }
			size="medium"
		>
			<form
				className="synchub-events-form"
				onSubmit={ ( event ) => void submit( event ) }
				noValidate
			>
				{ failure && (
					<Notice status="error" isDismissible={ false }>
						{ failure }
					</Notice>
				) }
				<TextControl
					label={ __( 'Name', 'sync-hub' ) }
					value={ values.name }
					onChange={ ( value ) => set( 'name', value ) }
					help={ help( 'name' ) }
					__nextHasNoMarginBottom
				/>
				<ProductPicker
					label={ __( 'Event product', 'sync-hub' ) }
					value={ values.woocommerce_product_id }
					onChange={ ( id ) => set( 'woocommerce_product_id', id ) }
					help={ help(
						'woocommerce_product_id',
						__(
							'The event product; its variations are included.',
							'sync-hub'
						)
					) }
				/>
				<TextControl
					label={ __( 'Event name', 'sync-hub' ) }
					value={ values.event_name }
					onChange={ ( value ) => set( 'event_name', value ) }
					help={ help(
						'event_name',
						creating
							? __(
									'Leave empty to use the product name.',
									'sync-hub'
								)
							: undefined
					) }
					__nextHasNoMarginBottom
				/>
				<TextareaControl
					label={ __( 'Event description', 'sync-hub' ) }
					value={ values.event_description }
					onChange={ ( value ) => set( 'event_description', value ) }
					help={ help( 'event_description' ) }
					__nextHasNoMarginBottom
				/>
				<TextControl
					label={ __( 'Organizer email', 'sync-hub' ) }
					type="email"
					value={ values.organizer_email }
					onChange={ ( value ) => set( 'organizer_email', value ) }
					help={ help( 'organizer_email', fromStore ) }
					__nextHasNoMarginBottom
				/>
				<TextControl
					label={ __( 'Organizer name', 'sync-hub' ) }
					value={ values.organizer_name }
					onChange={ ( value ) => set( 'organizer_name', value ) }
					help={ help( 'organizer_name', fromStore ) }
					__nextHasNoMarginBottom
				/>
				<TextControl
					label={ __( 'Service fee (%)', 'sync-hub' ) }
					type="number"
					min={ 0 }
					max={ 100 }
					step={ 0.01 }
					value={ String( values.service_fee_percentage ) }
					onChange={ ( value ) =>
						set( 'service_fee_percentage', Number( value ) )
					}
					help={ help( 'service_fee_percentage' ) }
					__nextHasNoMarginBottom
				/>
				<TextControl
					label={ __( 'Ticket tier name', 'sync-hub' ) }
					value={ values.tier_name_template }
					onChange={ ( value ) => set( 'tier_name_template', value ) }
					help={ help(
						'tier_name_template',
						__(
							'{EventName} is replaced by the event name, {ProductName} by the product or variation name. Leave empty for the default name.',
							'sync-hub'
						)
					) }
					__nextHasNoMarginBottom
				/>
				<SelectControl
					label={ __( 'Sync frequency', 'sync-hub' ) }
					value={ values.sync_frequency }
					options={ FREQUENCIES.map( ( frequency ) => ( {
						value: frequency,
						label: frequencyLabel( frequency ),
					} ) ) }
					onChange={ ( value ) =>
						set( 'sync_frequency', value as Frequency )
					}
					help={ help( 'sync_frequency' ) }
					__nextHasNoMarginBottom
				/>
				<CheckboxControl
					label={ __( 'Active', 'sync-hub' ) }
					checked={ values.is_active }
					onChange={ ( value ) => set( 'is_active', value ) }
					__nextHasNoMarginBottom
				/>
				<CheckboxControl
					label={ __(
						'Migration: never email attendees',
						'sync-hub'
					) }
					checked={ values.is_migration }
					onChange={ ( value ) => set( 'is_migration', value ) }
					__nextHasNoMarginBottom
				/>
				<div className="synchub-actions">
					<Button
						variant="primary"
						type="submit"
						isBusy={ save.status === 'resolving' }
						disabled={ save.status === 'resolving' }
					>
						{ __( 'Save', 'sync-hub' ) }
					</Button>
					<Button variant="tertiary" onClick={ onClose }>
						{ __( 'Cancel', 'sync-hub' ) }
					</Button>
				</div>
			</form>
		</Modal>
	);
}
