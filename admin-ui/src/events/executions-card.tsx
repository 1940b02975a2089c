/**
 * Executions with their metrics; running ones show a live progress bar (reloaded every 2 s).
 */

/**
 * WordPress dependencies
 */
import { ProgressBar } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDateTime, formatNumber } from '../ui/format';
import { ListCard } from '../ui/list-card';
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

const count = ( processed: number, created: number, updated: number ) =>
	`${ formatNumber( processed ) } (${ formatNumber(
		created
	) } / ${ formatNumber( updated ) })`;

export function ExecutionsCard( { resource, configurations }: CardProps ) {
	const nameOf = ( id: number ) =>
		configurations.find( ( configuration ) => configuration.id === id )
			?.name ?? `#${ id }`;
	return (
		<ListCard
			title={ __( 'Executions', 'sync-hub' ) }
			cardClassName="synchub-events-executions"
			source={ resource }
			loadingLabel={ __( 'Loading the executions…', 'sync-hub' ) }
			empty={ __( 'No sync has run yet.', 'sync-hub' ) }
			rowKey={ ( execution ) => execution.id }
			rowData={ ( execution ) => ( { 'data-execution': execution.id } ) }
			columns={ [
				{
					header: __( 'Configuration', 'sync-hub' ),
					cell: ( execution ) => nameOf( execution.configuration_id ),
				},
				{
					header: __( 'Status', 'sync-hub' ),
					cell: ( execution ) => (
						<>
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
						</>
					),
				},
				{
					header: __( 'Started', 'sync-hub' ),
					cell: ( execution ) =>
						formatDateTime( execution.started_at ),
				},
				{
					header: __( 'Duration', 'sync-hub' ),
					cell: ( execution ) => execution.execution_time,
				},
				{
					header: __( 'Orders (new / updated)', 'sync-hub' ),
					cell: ( execution ) => (
						<>
							{ count(
								execution.orders_processed,
								execution.new_orders,
								execution.updated_orders
							) }
							{ execution.unchanged_orders > 0 && (
								<p className="synchub-muted synchub-events-unchanged">
									{ sprintf(
										/* translators: %s: number of orders a full re-scan skipped because their store rows had not changed. */
										_n(
											'%s order unchanged in the store, not re-read',
											'%s orders unchanged in the store, not re-read',
											execution.unchanged_orders,
											'sync-hub'
										),
										formatNumber(
											execution.unchanged_orders
										)
									) }
								</p>
							) }
						</>
					),
				},
				{
					header: __( 'Tickets (new / updated)', 'sync-hub' ),
					cell: ( execution ) =>
						count(
							execution.tickets_processed,
							execution.new_tickets,
							execution.updated_tickets
						),
				},
			] }
		/>
	);
}
