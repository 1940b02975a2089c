/**
 * Every SIIGO webhook delivery (received, processed, rejected, …), newest first, with filters.
 */

/**
 * WordPress dependencies
 */
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDateTime } from '../ui/format';
import { ListCard, ListFilter, ListFilters } from '../ui/list-card';
import { StatusBadge } from '../ui/status-badge';
import { useWebhookLogs, type LogFilters } from './data';
import { LOG_STATUSES, logStatusBadge, TOPICS, topicLabel } from './labels';

export function WebhookLogCard() {
	const [ filters, setFilters ] = useState< LogFilters >( {
		status: '',
		topic: '',
	} );
	const logs = useWebhookLogs( filters );
	return (
		<ListCard
			title={ __( 'Webhook log', 'sync-hub' ) }
			cardClassName="synchub-card--wide synchub-stock-logs"
			source={ logs }
			loadingLabel={ __( 'Loading the webhook log…', 'sync-hub' ) }
			empty={ __( 'No deliveries match these filters.', 'sync-hub' ) }
			rowKey={ ( log ) => log.id }
			rowData={ ( log ) => ( { 'data-log': log.id } ) }
			toolbar={
				<ListFilters>
					<ListFilter
						label={ __( 'Status', 'sync-hub' ) }
						value={ filters.status }
						anyLabel={ __( 'All statuses', 'sync-hub' ) }
						options={ LOG_STATUSES.map( ( status ) => ( {
							value: status,
							label: logStatusBadge( status )[ 1 ],
						} ) ) }
						onChange={ ( status ) =>
							setFilters( ( previous ) => ( {
								...previous,
								status,
							} ) )
						}
					/>
					<ListFilter
						label={ __( 'Topic', 'sync-hub' ) }
						value={ filters.topic }
						anyLabel={ __( 'All topics', 'sync-hub' ) }
						options={ TOPICS.map( ( topic ) => ( {
							value: topic,
							label: topicLabel( topic ),
						} ) ) }
						onChange={ ( topic ) =>
							setFilters( ( previous ) => ( {
								...previous,
								topic,
							} ) )
						}
					/>
				</ListFilters>
			}
			columns={ [
				{
					header: __( 'Received', 'sync-hub' ),
					cell: ( log ) => formatDateTime( log.received_at ),
				},
				{
					header: __( 'Topic', 'sync-hub' ),
					cell: ( log ) => topicLabel( log.topic ),
				},
				{
					header: __( 'SKU', 'sync-hub' ),
					cell: ( log ) => log.product_code ?? '—',
				},
				{
					header: __( 'Status', 'sync-hub' ),
					cell: ( log ) => {
						const [ tone, label ] = logStatusBadge( log.status );
						return (
							<StatusBadge tone={ tone } value={ log.status }>
								{ label }
							</StatusBadge>
						);
					},
				},
				{
					header: __( 'Details', 'sync-hub' ),
					className: 'synchub-table__error',
					cell: ( log ) => log.message ?? '—',
				},
			] }
		/>
	);
}
