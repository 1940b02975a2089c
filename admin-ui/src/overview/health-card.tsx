/**
 * Worker health: overall status, each dependency, and the queues.
 */

/**
 * WordPress dependencies
 */
import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import type { WorkerHealth } from '../data/health';
import type { Resource } from '../data/use-resource';
import { ErrorState, LoadingState } from '../ui/request-states';
import { StatusBadge } from '../ui/status-badge';
import { QueuesTable } from './queues-table';

function Check( { label, ok }: { label: string; ok: boolean } ) {
	return (
		<li className="synchub-check">
			<span className="synchub-check__label">{ label }</span>
			{ ok ? (
				<StatusBadge tone="success" value="up">
					{ __( 'Connected', 'sync-hub' ) }
				</StatusBadge>
			) : (
				<StatusBadge tone="error" value="down">
					{ __( 'Unavailable', 'sync-hub' ) }
				</StatusBadge>
			) }
		</li>
	);
}

function HealthDetails( { health }: { health: WorkerHealth } ) {
	return (
		<>
			<ul className="synchub-checks">
				<Check
					label={ __( 'Database', 'sync-hub' ) }
					ok={ health.database }
				/>
				<Check
					label={ __( 'Redis', 'sync-hub' ) }
					ok={ health.redis }
				/>
				{ health.store_connection !== null && (
					<Check
						label={ __( 'Store database', 'sync-hub' ) }
						ok={ health.store_connection }
					/>
				) }
				{ health.odoo_connection !== null && (
					<Check
						label={ __( 'Odoo', 'sync-hub' ) }
						ok={ health.odoo_connection }
					/>
				) }
				{ health.siigo_connection !== null && (
					<Check
						label={ __( 'SIIGO', 'sync-hub' ) }
						ok={ health.siigo_connection }
					/>
				) }
			</ul>
			<QueuesTable queues={ health.queues } />
		</>
	);
}

export function HealthCard( { health }: { health: Resource< WorkerHealth > } ) {
	const { data, error, status } = health;
	return (
		<Card className="synchub-card synchub-health">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Worker health', 'sync-hub' ) }
				</h2>
				{ data &&
					( data.status === 'healthy' ? (
						<StatusBadge tone="success" value="healthy">
							{ __( 'Healthy', 'sync-hub' ) }
						</StatusBadge>
					) : (
						<StatusBadge tone="warning" value="degraded">
							{ __( 'Degraded', 'sync-hub' ) }
						</StatusBadge>
					) ) }
			</CardHeader>
			<CardBody>
				{ status === 'error' && error && (
					<ErrorState
						error={ error }
						onRetry={ () => void health.refresh() }
					/>
				) }
				{ data === undefined && status !== 'error' && (
					<LoadingState
						label={ __( 'Checking the worker…', 'sync-hub' ) }
					/>
				) }
				{ data && <HealthDetails health={ data } /> }
			</CardBody>
		</Card>
	);
}
