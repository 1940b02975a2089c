/**
 * Events configurations: the table with Trigger / Pause / Resume / Test / Edit / Delete, and the
 * create/edit form.
 */

/**
 * WordPress dependencies
 */
import { Button, Notice } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDateTime, formatNumber } from '../ui/format';
import { ListCard } from '../ui/list-card';
import { StatusBadge } from '../ui/status-badge';
import { ConfigurationForm, frequencyLabel } from './configuration-form';
import type { ConfigurationsResource, EventConfiguration } from './data';

function TestResult( { resource }: { resource: ConfigurationsResource } ) {
	const { test } = resource;
	if ( test.status === 'error' && test.error ) {
		return (
			<Notice status="error" isDismissible={ false }>
				{ test.error.message }
			</Notice>
		);
	}
	if ( test.status !== 'finished' || ! test.result ) {
		return null;
	}
	const report = test.result;
	if ( ! report.ok ) {
		return (
			<Notice status="error" isDismissible={ false }>
				{ sprintf(
					/* translators: %s: error message from the worker. */
					__( 'Test failed: %s', 'sync-hub' ),
					report.error ?? __( 'unknown error', 'sync-hub' )
				) }
			</Notice>
		);
	}
	return (
		<Notice status="success" isDismissible={ false }>
			{ sprintf(
				/* translators: 1: storage mode (hpos or legacy), 2: product name, 3: number of paid orders. */
				__(
					'Database reachable (%1$s storage). Product: %2$s. Paid orders to sync: %3$s.',
					'sync-hub'
				),
				report.storageMode ?? '?',
				report.productName ?? '?',
				formatNumber( report.matchingPaidOrders ?? 0 )
			) }
		</Notice>
	);
}

function stateBadge( configuration: EventConfiguration ) {
	if ( configuration.is_paused ) {
		return (
			<StatusBadge tone="warning" value="paused">
				{ __( 'Paused', 'sync-hub' ) }
			</StatusBadge>
		);
	}
	return configuration.is_active ? (
		<StatusBadge tone="success" value="active">
			{ __( 'Active', 'sync-hub' ) }
		</StatusBadge>
	) : (
		<StatusBadge tone="neutral" value="inactive">
			{ __( 'Inactive', 'sync-hub' ) }
		</StatusBadge>
	);
}

interface CardProps {
	resource: ConfigurationsResource;
}

export function ConfigurationsCard( { resource }: CardProps ) {
	const [ editing, setEditing ] = useState<
		EventConfiguration | null | undefined
	>( undefined );
	const { action, test, remove } = resource;
	const busy =
		action.status === 'resolving' ||
		test.status === 'resolving' ||
		remove.status === 'resolving';

	const actions = ( configuration: EventConfiguration ) => (
		<>
			<Button
				variant="secondary"
				size="compact"
				disabled={ busy || configuration.is_paused }
				onClick={ () =>
					void action.mutate( {
						configuration,
						action: 'trigger_sync',
					} )
				}
			>
				{ __( 'Trigger', 'sync-hub' ) }
			</Button>
			{ configuration.is_paused ? (
				<Button
					variant="secondary"
					size="compact"
					disabled={ busy }
					onClick={ () =>
						void action.mutate( {
							configuration,
							action: 'resume_sync',
						} )
					}
				>
					{ __( 'Resume', 'sync-hub' ) }
				</Button>
			) : (
				<Button
					variant="secondary"
					size="compact"
					disabled={ busy }
					onClick={ () =>
						void action.mutate( {
							configuration,
							action: 'pause_sync',
						} )
					}
				>
					{ __( 'Pause', 'sync-hub' ) }
				</Button>
			) }
			<Button
				variant="secondary"
				size="compact"
				disabled={ busy }
				isBusy={
					test.status === 'resolving' &&
					test.variables?.id === configuration.id
				}
				onClick={ () => void test.mutate( configuration ) }
			>
				{ __( 'Test', 'sync-hub' ) }
			</Button>
			<Button
				variant="tertiary"
				size="compact"
				onClick={ () => setEditing( configuration ) }
			>
				{ __( 'Edit', 'sync-hub' ) }
			</Button>
			<Button
				variant="tertiary"
				size="compact"
				isDestructive
				disabled={ busy }
				onClick={ () => {
					if (
						// eslint-disable-next-line no-alert -- the browser's own dialog: focus, keyboard and screen readers work.
						window.confirm(
							sprintf(
								/* translators: %s: configuration name. */
								__(
									'Delete the configuration "%s"? Synced events and tickets are kept.',
									'sync-hub'
								),
								configuration.name
							)
						)
					) {
						void remove.mutate( configuration );
					}
				} }
			>
				{ __( 'Delete', 'sync-hub' ) }
			</Button>
		</>
	);

	return (
		<>
			<ListCard
				title={ __( 'Event configurations', 'sync-hub' ) }
				cardClassName="synchub-events-configurations"
				headerActions={
					<Button
						variant="primary"
						onClick={ () => setEditing( null ) }
					>
						{ __( 'Add configuration', 'sync-hub' ) }
					</Button>
				}
				toolbar={ <TestResult resource={ resource } /> }
				source={ resource }
				rowKey={ ( configuration ) => configuration.id }
				loadingLabel={ __( 'Loading the configurations…', 'sync-hub' ) }
				empty={ __(
					'No configuration yet. Add one to import the orders of an event product.',
					'sync-hub'
				) }
				columns={ [
					{
						header: __( 'Configuration', 'sync-hub' ),
						cell: ( configuration ) => (
							<>
								<strong>{ configuration.name }</strong>
								<br />
								{ configuration.event_name }
							</>
						),
					},
					{
						header: __( 'Product ID', 'sync-hub' ),
						cell: ( configuration ) =>
							configuration.woocommerce_product_id,
					},
					{
						header: __( 'Frequency', 'sync-hub' ),
						cell: ( configuration ) =>
							frequencyLabel( configuration.sync_frequency ),
					},
					{ header: __( 'State', 'sync-hub' ), cell: stateBadge },
					{
						header: __( 'Last sync', 'sync-hub' ),
						cell: ( configuration ) =>
							configuration.last_sync_at
								? formatDateTime( configuration.last_sync_at )
								: __( 'Never', 'sync-hub' ),
					},
				] }
				actions={ actions }
			/>
			{ editing !== undefined && (
				<ConfigurationForm
					configuration={ editing }
					resource={ resource }
					onClose={ () => setEditing( undefined ) }
				/>
			) }
		</>
	);
}
