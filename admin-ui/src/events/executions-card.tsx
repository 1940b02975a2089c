/**
 * Executions with their metrics; running ones show a live progress bar (reloaded every 2 s).
 */

/**
 * WordPress dependencies
 */
import { Card, CardBody, CardHeader, ProgressBar } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDateTime, formatNumber } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/request-states';
import { StatusBadge, type Tone } from '../ui/status-badge';
import type { EventConfiguration, Execution, ExecutionStatus } from './data';
import type { Resource } from '../data/use-resource';

const TONES: Record< ExecutionStatus, Tone > = {
	running: 'warning',
	completed: 'success',
	failed: 'error',
	cancelled: 'neutral',
};

export const statusLabel = ( status: ExecutionStatus ): string =>
	( {
		running: __( 'Running', 'sync-hub' ),
		completed: __( 'Completed', 'sync-hub' ),
		failed: __( 'Failed', 'sync-hub' ),
		cancelled: __( 'Cancelled', 'sync-hub' ),
	} )[ status ];

function Progress( { execution }: { execution: Execution } ) {
	const { processed, total, percent } = execution.progress;
	return (
		<div className="synchub-events-progress">
			<ProgressBar value={ total ? percent : undefined } />
			<span>
				{ total === null
					? __( 'Counting orders…', 'sync-hub' )
					: sprintf(
							/* translators: 1: orders processed, 2: orders in total, 3: percentage. */
							__( '%1$s of %2$s orders (%3$s%%)', 'sync-hub' ),
							formatNumber( processed ),
							formatNumber( total ),
							String( percent )
						) }
			</span>
		</div>
	);
}

interface CardProps {
	resource: Resource< Execution[] >;
	configurations: EventConfiguration[];
}

export function ExecutionsCard( { resource, configurations }: CardProps ) {
	const { data, status, error } = resource;
	const nameOf = ( id: number ) =>
		configurations.find( ( configuration ) => configuration.id === id )
			?.name ?? `#${ id }`;
	return (
		<Card className="synchub-card synchub-events-executions">
			<CardHeader>
				<h2>{ __( 'Executions', 'sync-hub' ) }</h2>
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
						label={ __( 'Loading the executions…', 'sync-hub' ) }
					/>
				) }
				{ data && data.length === 0 && (
					<EmptyState>
						{ __( 'No sync has run yet.', 'sync-hub' ) }
					</EmptyState>
				) }
				{ data && data.length > 0 && (
					<table className="widefat striped synchub-table">
						<thead>
							<tr>
								<th>{ __( 'Configuration', 'sync-hub' ) }</th>
								<th>{ __( 'Status', 'sync-hub' ) }</th>
								<th>{ __( 'Started', 'sync-hub' ) }</th>
								<th>{ __( 'Duration', 'sync-hub' ) }</th>
								<th>
									{ __(
										'Orders (new / updated)',
										'sync-hub'
									) }
								</th>
								<th>
									{ __(
										'Tickets (new / updated)',
										'sync-hub'
									) }
								</th>
							</tr>
						</thead>
						<tbody>
							{ data.map( ( execution ) => (
								<tr
									key={ execution.id }
									data-execution={ execution.id }
								>
									<td>
										{ nameOf( execution.configuration_id ) }
									</td>
									<td>
										<StatusBadge
											tone={ TONES[ execution.status ] }
											value={ execution.status }
										>
											{ statusLabel( execution.status ) }
										</StatusBadge>
										{ execution.status === 'running' && (
											<Progress execution={ execution } />
										) }
										{ execution.error_message && (
											<p className="synchub-error-text">
												{ execution.error_message }
											</p>
										) }
									</td>
									<td>
										{ formatDateTime(
											execution.started_at
										) }
									</td>
									<td>{ execution.execution_time }</td>
									<td>
										{ formatNumber(
											execution.orders_processed
										) }{ ' ' }
										(
										{ formatNumber( execution.new_orders ) }{ ' ' }
										/{ ' ' }
										{ formatNumber(
											execution.updated_orders
										) }
										)
									</td>
									<td>
										{ formatNumber(
											execution.tickets_processed
										) }{ ' ' }
										(
										{ formatNumber(
											execution.new_tickets
										) }{ ' ' }
										/{ ' ' }
										{ formatNumber(
											execution.updated_tickets
										) }
										)
									</td>
								</tr>
							) ) }
						</tbody>
					</table>
				) }
			</CardBody>
		</Card>
	);
}
