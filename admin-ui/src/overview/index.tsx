/**
 * Overview screen: is the worker healthy, does anything wait or fail, and how it connects.
 */

/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useWorkerHealth } from '../data/health';
import { DeadLettersCard } from './dead-letters-card';
import { HealthCard } from './health-card';
import { OutboxCard } from './outbox-card';
import { SettingsCard } from './settings-card';

export function OverviewScreen() {
	const health = useWorkerHealth();
	return (
		<div className="synchub-overview">
			<h2 className="screen-reader-text">{ __( 'Overview', 'sync-hub' ) }</h2>
			<div className="synchub-grid">
				<HealthCard health={ health } />
				<SettingsCard onConnected={ () => void health.refresh() } />
				<OutboxCard />
				<DeadLettersCard queues={ health.data?.queues } />
			</div>
		</div>
	);
}
