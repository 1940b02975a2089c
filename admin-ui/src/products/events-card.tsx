/**
 * The ingestion event log, newest first, with filters.
 */

/**
 * WordPress dependencies
 */
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDateTime, formatNumber } from '../ui/format';
import {
	ListCard,
	ListFilter,
	ListFilters,
	type ListColumn,
} from '../ui/list-card';
import { StatusBadge, type Tone } from '../ui/status-badge';
import { useProductEvents, type EventFilters, type ProductEvent } from './data';

const EVENT_TYPES = [
	'product.created',
	'product.updated',
	'product.deleted',
] as const;

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

// Built at render so the strings are translated in the page's locale.
const eventColumns = (): ListColumn< ProductEvent >[] => [
	{
		header: __( 'Received', 'sync-hub' ),
		cell: ( event ) => formatDateTime( event.received_at ),
	},
	{
		header: __( 'Type', 'sync-hub' ),
		cell: ( event ) => typeLabel( event.event_type ),
	},
	{
		header: __( 'Product', 'sync-hub' ),
		numeric: true,
		cell: ( event ) => event.product_id,
	},
	{ header: __( 'Status', 'sync-hub' ), cell: statusBadge },
	{
		header: __( 'Time (ms)', 'sync-hub' ),
		numeric: true,
		cell: ( event ) =>
			event.processing_ms === null
				? '—'
				: formatNumber( event.processing_ms ),
	},
	{
		header: __( 'Error', 'sync-hub' ),
		className: 'synchub-table__error',
		cell: ( event ) => event.error ?? '—',
	},
];

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
		<ListCard
			title={ __( 'Event log', 'sync-hub' ) }
			cardClassName="synchub-card--wide synchub-products-events"
			source={ { ...events, data: events.data?.results } }
			columns={ eventColumns() }
			rowKey={ ( event ) => event.id }
			rowData={ ( event ) => ( { 'data-event': event.event_id } ) }
			loadingLabel={ __( 'Loading events…', 'sync-hub' ) }
			empty={ __( 'No events match these filters.', 'sync-hub' ) }
			toolbar={
				<>
					<ListFilters>
						<ListFilter
							label={ __( 'Type', 'sync-hub' ) }
							value={ filters.event_type }
							anyLabel={ __( 'All types', 'sync-hub' ) }
							options={ EVENT_TYPES.map( ( type ) => ( {
								value: type,
								label: typeLabel( type ),
							} ) ) }
							onChange={ set( 'event_type' ) }
						/>
						<ListFilter
							label={ __( 'Status', 'sync-hub' ) }
							value={ filters.status }
							anyLabel={ __( 'All statuses', 'sync-hub' ) }
							options={ [
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
							] }
							onChange={ set( 'status' ) }
						/>
						<ListFilter
							label={ __( 'Result', 'sync-hub' ) }
							value={ filters.success }
							anyLabel={ __( 'Any result', 'sync-hub' ) }
							options={ [
								{
									value: 'true',
									label: __( 'Succeeded', 'sync-hub' ),
								},
								{
									value: 'false',
									label: __( 'Did not succeed', 'sync-hub' ),
								},
							] }
							onChange={ set( 'success' ) }
						/>
					</ListFilters>
					{ events.data && events.data.results.length > 0 && (
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
					) }
				</>
			}
		/>
	);
}
