/**
 * The ingestion event log, newest first, with filters.
 */

/**
 * WordPress dependencies
 */
import {
	Card,
	CardBody,
	CardHeader,
	SelectControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDateTime, formatNumber } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/request-states';
import { StatusBadge, type Tone } from '../ui/status-badge';
import { useProductEvents, type EventFilters, type ProductEvent } from './data';

type Options = Array< { value: string; label: string } >;

function typeLabel( type: string ): string {
	switch ( type ) {
		case 'product.created':
			return __( 'Created', 'sync-hub' );
		case 'product.updated':
			return __( 'Updated', 'sync-hub' );
		case 'product.deleted':
			return __( 'Deleted', 'sync-hub' );
		default:
			return type;
	}
}

function statusBadge( event: ProductEvent ) {
	const labels: Record< string, [ Tone, string ] > = {
		received: [ 'neutral', __( 'Waiting', 'sync-hub' ) ],
		processed: [ 'success', __( 'Processed', 'sync-hub' ) ],
		stale: [ 'neutral', __( 'Older than stored', 'sync-hub' ) ],
		failed: [ 'error', __( 'Failed', 'sync-hub' ) ],
	};
	const [ tone, label ] = labels[ event.status ] ?? [
		'neutral',
		event.status,
	];
	const shown: [ Tone, string ] =
		event.status === 'processed' && event.success === false
			? [ 'warning', __( 'Stored, not embedded', 'sync-hub' ) ]
			: [ tone, label ];
	return (
		<StatusBadge tone={ shown[ 0 ] } value={ event.status }>
			{ shown[ 1 ] }
		</StatusBadge>
	);
}

export function EventsCard() {
	const [ filters, setFilters ] = useState< EventFilters >( {
		event_type: '',
		status: '',
		success: '',
	} );
	const events = useProductEvents( filters );
	const set = ( key: keyof EventFilters ) => ( value: string ) =>
		setFilters( ( previous ) => ( { ...previous, [ key ]: value } ) );
	return (
		<Card className="synchub-card synchub-card--wide synchub-products-events">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Event log', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				<div className="synchub-filters">
					<SelectControl
						label={ __( 'Type', 'sync-hub' ) }
						value={ filters.event_type }
						options={
							[
								{
									value: '',
									label: __( 'All types', 'sync-hub' ),
								},
								{
									value: 'product.created',
									label: typeLabel( 'product.created' ),
								},
								{
									value: 'product.updated',
									label: typeLabel( 'product.updated' ),
								},
								{
									value: 'product.deleted',
									label: typeLabel( 'product.deleted' ),
								},
							] as Options
						}
						onChange={ set( 'event_type' ) }
						__nextHasNoMarginBottom
					/>
					<SelectControl
						label={ __( 'Status', 'sync-hub' ) }
						value={ filters.status }
						options={
							[
								{
									value: '',
									label: __( 'All statuses', 'sync-hub' ),
								},
								{
									value: 'received',
									label: __( 'Waiting', 'sync-hub' ),
								},
								{
									value: 'processed',
									label: __( 'Processed', 'sync-hub' ),
								},
								{
									value: 'stale',
									label: __(
										'Older than stored',
										'sync-hub'
									),
								},
								{
									value: 'failed',
									label: __( 'Failed', 'sync-hub' ),
								},
							] as Options
						}
						onChange={ set( 'status' ) }
						__nextHasNoMarginBottom
					/>
					<SelectControl
						label={ __( 'Result', 'sync-hub' ) }
						value={ filters.success }
						options={
							[
								{
									value: '',
									label: __( 'Any result', 'sync-hub' ),
								},
								{
									value: 'true',
									label: __( 'Succeeded', 'sync-hub' ),
								},
								{
									value: 'false',
									label: __( 'Did not succeed', 'sync-hub' ),
								},
							] as Options
						}
						onChange={ set( 'success' ) }
						__nextHasNoMarginBottom
					/>
				</div>
				{ events.status === 'error' && events.error && (
					<ErrorState
						error={ events.error }
						onRetry={ () => void events.refresh() }
					/>
				) }
				{ events.data === undefined && events.status !== 'error' && (
					<LoadingState
						label={ __( 'Loading events…', 'sync-hub' ) }
					/>
				) }
				{ events.data &&
					( events.data.results.length === 0 ? (
						<EmptyState>
							{ __(
								'No events match these filters.',
								'sync-hub'
							) }
						</EmptyState>
					) : (
						<>
							<p className="synchub-muted">
								{ sprintf(
									/* translators: 1: events shown, 2: events matching the filters. */
									__(
										'Showing %1$s of %2$s events.',
										'sync-hub'
									),
									formatNumber( events.data.results.length ),
									formatNumber( events.data.count )
								) }
							</p>
							<table className="widefat striped synchub-table">
								<thead>
									<tr>
										<th scope="col">
											{ __( 'Received', 'sync-hub' ) }
										</th>
										<th scope="col">
											{ __( 'Type', 'sync-hub' ) }
										</th>
										<th scope="col" className="is-numeric">
											{ __( 'Product', 'sync-hub' ) }
										</th>
										<th scope="col">
											{ __( 'Status', 'sync-hub' ) }
										</th>
										<th scope="col" className="is-numeric">
											{ __( 'Time (ms)', 'sync-hub' ) }
										</th>
										<th scope="col">
											{ __( 'Error', 'sync-hub' ) }
										</th>
									</tr>
								</thead>
								<tbody>
									{ events.data.results.map( ( event ) => (
										<tr
											key={ event.id }
											data-event={ event.event_id }
										>
											<td>
												{ formatDateTime(
													event.received_at
												) }
											</td>
											<td>
												{ typeLabel(
													event.event_type
												) }
											</td>
											<td className="is-numeric">
												{ event.product_id }
											</td>
											<td>{ statusBadge( event ) }</td>
											<td className="is-numeric">
												{ event.processing_ms === null
													? '—'
													: formatNumber(
															event.processing_ms
														) }
											</td>
											<td className="synchub-table__error">
												{ event.error ?? '—' }
											</td>
										</tr>
									) ) }
								</tbody>
							</table>
						</>
					) ) }
			</CardBody>
		</Card>
	);
}
