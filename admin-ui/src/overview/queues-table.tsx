/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import type { QueueCounts } from '../data/health';
import { formatNumber } from '../ui/format';
import { queueLabel } from '../ui/queue-label';
import { EmptyState } from '../ui/request-states';

export function QueuesTable( {
	queues,
}: {
	queues: Record< string, QueueCounts >;
} ) {
	const names = Object.keys( queues );
	if ( names.length === 0 ) {
		return (
			<EmptyState>
				{ __( 'The worker reported no queues.', 'sync-hub' ) }
			</EmptyState>
		);
	}
	return (
		<table className="widefat striped synchub-table synchub-queues">
			<caption className="synchub-table__caption">
				{ __( 'Queues', 'sync-hub' ) }
			</caption>
			<thead>
				<tr>
					<th scope="col">{ __( 'Queue', 'sync-hub' ) }</th>
					<th scope="col" className="is-numeric">
						{ __( 'Waiting', 'sync-hub' ) }
					</th>
					<th scope="col" className="is-numeric">
						{ __( 'Active', 'sync-hub' ) }
					</th>
					<th scope="col" className="is-numeric">
						{ __( 'Failed', 'sync-hub' ) }
					</th>
					<th scope="col" className="is-numeric">
						{ __( 'Delayed', 'sync-hub' ) }
					</th>
				</tr>
			</thead>
			<tbody>
				{ names.map( ( name ) => {
					const counts = queues[ name ];
					if ( ! counts ) {
						return null;
					}
					return (
						<tr key={ name } data-queue={ name }>
							<th scope="row">{ queueLabel( name ) }</th>
							<td className="is-numeric">
								{ formatNumber( counts.waiting ) }
							</td>
							<td className="is-numeric">
								{ formatNumber( counts.active ) }
							</td>
							<td
								className={
									counts.failed > 0
										? 'is-numeric is-failed'
										: 'is-numeric'
								}
							>
								{ formatNumber( counts.failed ) }
							</td>
							<td className="is-numeric">
								{ formatNumber( counts.delayed ) }
							</td>
						</tr>
					);
				} ) }
			</tbody>
		</table>
	);
}
