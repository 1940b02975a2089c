/**
 * Overview screen: is the worker healthy, does anything wait or fail, and how it connects.
 */

/**
 * WordPress dependencies
 */
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useWorkerHealth } from '../data/health';
import { useSettings } from '../data/settings';
import { ChecklistCard } from './checklist-card';
import { DeadLettersCard } from './dead-letters-card';
import { HealthCard } from './health-card';
import { OutboxCard } from './outbox-card';
import { SettingsCard } from './settings-card';

export function OverviewScreen() {
	const health = useWorkerHealth();
	const settings = useSettings();
	// Bumped when the connection settings change or test fine: what came from the worker reloads.
	const [ connection, setConnection ] = useState( 0 );
	const onConnectionChanged = () => {
		setConnection( ( value ) => value + 1 );
		void health.refresh();
	};
	return (
		<div className="synchub-overview">
			<h2 className="screen-reader-text">
				{ __( 'Overview', 'sync-hub' ) }
			</h2>
			<div className="synchub-grid">
				<ChecklistCard health={ health } settings={ settings.data } />
				<HealthCard health={ health } />
				<SettingsCard
					resource={ settings }
					onConnectionChanged={ onConnectionChanged }
				/>
				<OutboxCard />
				<DeadLettersCard
					queues={ health.data?.queues }
					connection={ connection }
				/>
			</div>
		</div>
	);
}
