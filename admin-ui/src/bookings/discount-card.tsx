/**
 * The cart volume discount rule: on/off, threshold (persons or classes) and percent.
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
	Card,
	CardBody,
	CardHeader,
	TextControl,
	ToggleControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { ErrorState, LoadingState } from '../ui/request-states';
import {
	useDiscountRule,
	type DiscountRule,
	type DiscountRuleResource,
} from './data';

function DiscountForm( {
	rule,
	resource,
}: {
	rule: DiscountRule;
	resource: DiscountRuleResource;
} ) {
	const [ enabled, setEnabled ] = useState( rule.enabled );
	const [ threshold, setThreshold ] = useState( String( rule.threshold ) );
	const [ percent, setPercent ] = useState( String( rule.percent ) );
	const onSubmit = ( event: FormEvent ) => {
		event.preventDefault();
		void resource.save.mutate( {
			enabled,
			threshold: Number( threshold ),
			percent: Number( percent ),
		} );
	};
	return (
		<form className="synchub-bookings__discount" onSubmit={ onSubmit }>
			<ToggleControl
				label={ __(
					'Apply the volume discount in the cart',
					'sync-hub'
				) }
				checked={ enabled }
				onChange={ setEnabled }
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'From this many persons or classes', 'sync-hub' ) }
				type="number"
				min={ 1 }
				step={ 1 }
				value={ threshold }
				onChange={ setThreshold }
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Discount (%)', 'sync-hub' ) }
				type="number"
				min={ 0.01 }
				max={ 100 }
				step={ 0.01 }
				value={ percent }
				onChange={ setPercent }
				__nextHasNoMarginBottom
			/>
			<div className="synchub-settings__actions">
				<Button
					variant="primary"
					type="submit"
					isBusy={ resource.save.status === 'resolving' }
					disabled={ resource.save.status === 'resolving' }
				>
					{ __( 'Save discount rule', 'sync-hub' ) }
				</Button>
			</div>
		</form>
	);
}

export function DiscountCard() {
	const resource = useDiscountRule();
	const { data, error, status } = resource;
	return (
		<Card className="synchub-card synchub-bookings-discount">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Volume discount', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				{ status === 'error' && error && (
					<ErrorState
						error={ error }
						onRetry={ () => void resource.refresh() }
					/>
				) }
				{ data === undefined && status !== 'error' && (
					<LoadingState
						label={ __( 'Loading the discount rule…', 'sync-hub' ) }
					/>
				) }
				{ data && (
					<DiscountForm
						key={ JSON.stringify( data ) }
						rule={ data }
						resource={ resource }
					/>
				) }
			</CardBody>
		</Card>
	);
}
