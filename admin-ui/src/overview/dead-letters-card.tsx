/**
 * Dead letters: jobs that used up their retries in one worker queue, with Replay.
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
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import {
	KNOWN_QUEUES,
	useDeadLetters,
	type DeadLetter,
} from '../data/dead-letters';
import type { QueueCounts } from '../data/health';
import type { Mutation } from '../data/use-mutation';
import { formatDateTime, formatNumber } from '../ui/format';
import { queueLabel } from '../ui/queue-label';
import { EmptyState, ErrorState, LoadingState } from '../ui/request-states';
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

interface JobsProps {
	jobs: DeadLetter[];
	replay: Mutation< DeadLetter, unknown >;
}

function Jobs( { jobs, replay }: JobsProps ) {
	return (
		<table className="widefat striped synchub-table synchub-dead-letters__jobs">
			<thead>
				<tr>
					<th scope="col">{ __( 'Job', 'sync-hub' ) }</th>
					<th scope="col">{ __( 'Queue', 'sync-hub' ) }</th>
					<th scope="col">{ __( 'Name', 'sync-hub' ) }</th>
					<th scope="col">{ __( 'Reason', 'sync-hub' ) }</th>
					<th scope="col" className="is-numeric">
						{ __( 'Attempts', 'sync-hub' ) }
					</th>
					<th scope="col">{ __( 'Failed at', 'sync-hub' ) }</th>
					<th scope="col">
						<span className="screen-reader-text">
							{ __( 'Actions', 'sync-hub' ) }
						</span>
					</th>
				</tr>
			</thead>
			<tbody>
				{ jobs.map( ( job ) => {
					const busy =
						replay.status === 'resolving' &&
						replay.variables?.id === job.id &&
						replay.variables.queue === job.queue;
					return (
						<tr
							key={ `${ job.queue }:${ job.id }` }
							data-job={ job.id }
						>
							<td>
								<code>{ job.id }</code>
							</td>
							<td>{ queueLabel( job.queue ) }</td>
							<td>{ job.name }</td>
							<td className="synchub-table__error">
								{ job.failedReason || '—' }
							</td>
							<td className="is-numeric">
								{ formatNumber( job.attemptsMade ) }
							</td>
							<td>
								{ formatDateTime(
									job.finishedOn ?? job.timestamp
								) }
							</td>
							<td className="synchub-table__actions">
								<RowAction
									busy={ busy }
									onClick={ () => void replay.mutate( job ) }
									label={ sprintf(
										/* translators: %s: job id. */
										__( 'Replay job %s', 'sync-hub' ),
										job.id
									) }
								>
									{ __( 'Replay', 'sync-hub' ) }
								</RowAction>
							</td>
						</tr>
					);
				} ) }
			</tbody>
		</table>
	);
}

export function DeadLettersCard( {
	queues,
	connection = 0,
}: DeadLettersCardProps ) {
	const [ queue, setQueue ] = useState( ALL );
	const deadLetters = useDeadLetters( queue === ALL ? undefined : queue );
	const { data, error, status, refresh } = deadLetters;
	useEffect( () => {
		if ( connection > 0 ) {
			void refresh();
		}
	}, [ connection, refresh ] );
	return (
		<Card className="synchub-card synchub-card--wide synchub-dead-letters">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Dead letters', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				<SelectControl
					label={ __( 'Queue', 'sync-hub' ) }
					value={ queue }
					options={ queueOptions( queues ) }
					onChange={ ( value: string ) => setQueue( value ) }
					__nextHasNoMarginBottom
				/>
				{ status === 'error' && error && (
					<ErrorState
						error={ error }
						onRetry={ () => void deadLetters.refresh() }
					/>
				) }
				{ data === undefined && status !== 'error' && (
					<LoadingState
						label={ __( 'Loading failed jobs…', 'sync-hub' ) }
					/>
				) }
				{ data &&
					( data.length === 0 ? (
						<EmptyState>
							{ queue === ALL
								? __( 'No failed jobs.', 'sync-hub' )
								: __(
										'No failed jobs in this queue.',
										'sync-hub'
									) }
						</EmptyState>
					) : (
						<Jobs jobs={ data } replay={ deadLetters.replay } />
					) ) }
			</CardBody>
		</Card>
	);
}
