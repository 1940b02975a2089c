/**
 * The Events screen: configurations (create, edit, trigger, pause, resume, test), executions
 * with a live progress bar, and the store database connection (SSH included).
 */

/**
 * WordPress dependencies
 */
import { useEffect, useState } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { ConfigurationsCard } from './configurations-card';
import { useEventConfigurations, useEventExecutions } from './data';
import { ExecutionsCard } from './executions-card';
import { StoreDatabaseCard } from './store-database-card';
import './events.scss';

export function EventsScreen() {
	const [ running, setRunning ] = useState( false );
	const executions = useEventExecutions( running );
	const configurations = useEventConfigurations( () => {
		setRunning( true );
		void executions.refresh();
	} );
	const anyRunning = ( executions.data ?? [] ).some(
		( execution ) => execution.status === 'running'
	);
	useEffect( () => setRunning( anyRunning ), [ anyRunning ] );
	return (
		<div className="synchub-screen synchub-events">
			<ConfigurationsCard resource={ configurations } />
			<ExecutionsCard
				resource={ executions }
				configurations={ configurations.data ?? [] }
			/>
			<StoreDatabaseCard />
		</div>
	);
}
