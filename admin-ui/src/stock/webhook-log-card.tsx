/**
 * Every SIIGO webhook delivery (received, processed, rejected, …), newest first, with filters.
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
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDateTime } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/request-states';
import { StatusBadge } from '../ui/status-badge';
import { useWebhookLogs, type LogFilters } from './data';
import { LOG_STATUSES, logStatusBadge, TOPICS, topicLabel } from './labels';

type Options = Array< { value: string; label: string } >;

export function WebhookLogCard() {
	const [ filters, setFilters ] = useState< LogFilters >( {
		status: '',
		topic: '',
	} );
	const logs = useWebhookLogs( filters );
	return (
		<Card className="synchub-card synchub-card--wide synchub-stock-logs">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Webhook log', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				<div className="synchub-filters">
					<SelectControl
						label={ __( 'Status', 'sync-hub' ) }
						value={ filters.status }
						options={
							[
								{
									value: '',
									label: __( 'All statuses', 'sync-hub' ),
								},
								...LOG_STATUSES.map( ( status ) => ( {
									value: status,
									label: logStatusBadge( status )[ 1 ],
								} ) ),
							] as Options
						}
						onChange={ ( status ) =>
							setFilters( ( previous ) => ( {
								...previous,
								status,
							} ) )
						}
						__nextHasNoMarginBottom
					/>
					<SelectControl
						label={ __( 'Topic', 'sync-hub' ) }
						value={ filters.topic }
						options={
							[
								{
									value: '',
									label: __( 'All topics', 'sync-hub' ),
								},
								...TOPICS.map( ( topic ) => ( {
									value: topic,
									label: topicLabel( topic ),
								} ) ),
							] as Options
						}
						onChange={ ( topic ) =>
							setFilters( ( previous ) => ( {
								...previous,
								topic,
							} ) )
						}
						__nextHasNoMarginBottom
					/>
				</div>
				{ logs.status === 'error' && logs.error && (
					<ErrorState
						error={ logs.error }
						onRetry={ () => void logs.refresh() }
					/>
				) }
				{ logs.data === undefined && logs.status !== 'error' && (
					<LoadingState
						label={ __( 'Loading the webhook log…', 'sync-hub' ) }
					/>
				) }
				{ logs.data &&
					( logs.data.length === 0 ? (
						<EmptyState>
							{ __(
								'No deliveries match these filters.',
								'sync-hub'
							) }
						</EmptyState>
					) : (
						<table className="widefat striped synchub-table">
							<thead>
								<tr>
									<th scope="col">
										{ __( 'Received', 'sync-hub' ) }
									</th>
									<th scope="col">
										{ __( 'Topic', 'sync-hub' ) }
									</th>
									<th scope="col">
										{ __( 'SKU', 'sync-hub' ) }
									</th>
									<th scope="col">
										{ __( 'Status', 'sync-hub' ) }
									</th>
									<th scope="col">
										{ __( 'Details', 'sync-hub' ) }
									</th>
								</tr>
							</thead>
							<tbody>
								{ logs.data.map( ( log ) => {
									const [ tone, label ] = logStatusBadge(
										log.status
									);
									return (
										<tr key={ log.id } data-log={ log.id }>
											<td>
												{ formatDateTime(
													log.received_at
												) }
											</td>
											<td>{ topicLabel( log.topic ) }</td>
											<td>{ log.product_code ?? '—' }</td>
											<td>
												<StatusBadge
													tone={ tone }
													value={ log.status }
												>
													{ label }
												</StatusBadge>
											</td>
											<td className="synchub-table__error">
												{ log.message ?? '—' }
											</td>
										</tr>
									);
								} ) }
							</tbody>
						</table>
					) ) }
			</CardBody>
		</Card>
	);
}
