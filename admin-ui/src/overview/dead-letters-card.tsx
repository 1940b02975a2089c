/**
 * Dead letters: jobs that used up their retries in one worker queue, with Replay.
 */

/**
 * WordPress dependencies
 */
import { SelectControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { KNOWN_QUEUES, useDeadLetters } from '../data/dead-letters';
import type { QueueCounts } from '../data/health';
import { formatDateTime, formatNumber } from '../ui/format';
import { queueLabel } from '../ui/queue-label';
import { ListCard } from '../ui/list-card';
import { RowAction } from '../ui/row-action';

interface DeadLettersCardProps {
	/** Queues as the worker's health reports them, when known. */
	queues: Record< string, QueueCounts > | undefined;
	/** Changes when the connection to the worker changed: the list is loaded again. */
	connection?: number;
}

const ALL = '';

function queueOptions( queues: DeadLettersCardProps[ 'queues' ] ) {
	const names = [
		...new Set( [ ...KNOWN_QUEUES, ...Object.keys( queues ?? {} ) ] ),
	];
	const perQueue = names.map( ( name ) => {
		const failed = queues?.[ name ]?.failed ?? 0;
		return {
			value: name,
			label:
				failed > 0
					? sprintf(
							/* translators: 1: queue name, 2: number of failed jobs. */
							__( '%1$s (%2$s failed)', 'sync-hub' ),
							queueLabel( name ),
							formatNumber( failed )
						)
					: queueLabel( name ),
		};
	} );
	return [
		{ value: ALL, label: __( 'All queues', 'sync-hub' ) },
		...perQueue,
	];
}

export function DeadLettersCard( {
	queues,
	connection = 0,
}: DeadLettersCardProps ) {
	const [ queue, setQueue ] = useState( ALL );
	const deadLetters = useDeadLetters( queue === ALL ? undefined : queue );
	const { refresh } = deadLetters;
	useEffect( () => {
		if ( connection > 0 ) {
			void refresh();
		}
	}, [ connection, refresh ] );
	const { replay } = deadLetters;
	return (
		<ListCard
			title={ __( 'Dead letters', 'sync-hub' ) }
			cardClassName="synchub-card--wide synchub-dead-letters"
			className="widefat striped synchub-table synchub-dead-letters__jobs"
			source={ deadLetters }
			loadingLabel={ __( 'Loading failed jobs…', 'sync-hub' ) }
			empty={
				queue === ALL
					? __( 'No failed jobs.', 'sync-hub' )
					: __( 'No failed jobs in this queue.', 'sync-hub' )
			}
			toolbar={
				<SelectControl
					label={ __( 'Queue', 'sync-hub' ) }
					value={ queue }
					options={ queueOptions( queues ) }
					onChange={ ( value: string ) => setQueue( value ) }
					__nextHasNoMarginBottom
				/>
			}
			rowKey={ ( job ) => `${ job.queue }:${ job.id }` }
			rowData={ ( job ) => ( { 'data-job': job.id } ) }
			columns={ [
				{
					header: __( 'Job', 'sync-hub' ),
					cell: ( job ) => <code>{ job.id }</code>,
				},
				{
					header: __( 'Queue', 'sync-hub' ),
					cell: ( job ) => queueLabel( job.queue ),
				},
				{ header: __( 'Name', 'sync-hub' ), cell: ( job ) => job.name },
				{
					header: __( 'Reason', 'sync-hub' ),
					className: 'synchub-table__error',
					cell: ( job ) => job.failedReason || '—',
				},
				{
					header: __( 'Attempts', 'sync-hub' ),
					numeric: true,
					cell: ( job ) => formatNumber( job.attemptsMade ),
				},
				{
					header: __( 'Failed at', 'sync-hub' ),
					cell: ( job ) =>
						formatDateTime( job.finishedOn ?? job.timestamp ),
				},
			] }
			actions={ ( job ) => (
				<RowAction
					busy={
						replay.status === 'resolving' &&
						replay.variables?.id === job.id &&
						replay.variables.queue === job.queue
					}
					onClick={ () => void replay.mutate( job ) }
					label={ sprintf(
						/* translators: %s: job id. */
						__( 'Replay job %s', 'sync-hub' ),
						job.id
					) }
				>
					{ __( 'Replay', 'sync-hub' ) }
				</RowAction>
			) }
		/>
	);
}
