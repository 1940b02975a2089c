/**
 * The plugin's outbox: backlog counts and the rows that wait or failed, with Retry.
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
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import {
	useOutbox,
	type OutboxPage,
	type OutboxRow,
	type OutboxStatus,
} from '../data/outbox';
import type { Mutation } from '../data/use-mutation';
import { formatDateTime, formatNumber } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/request-states';
import { RowAction } from '../ui/row-action';

type ListedStatus = Exclude< OutboxStatus, 'delivered' >;

function Counts( { counts }: { counts: OutboxPage[ 'counts' ] } ) {
	const items: Array< { key: OutboxStatus; label: string } > = [
		{ key: 'pending', label: __( 'Pending', 'sync-hub' ) },
		{ key: 'delivered', label: __( 'Delivered', 'sync-hub' ) },
		{ key: 'failed', label: __( 'Failed', 'sync-hub' ) },
	];
	return (
		<dl className="synchub-counts">
			{ items.map( ( { key, label } ) => (
				<div
					key={ key }
					className={ `synchub-counts__item is-${ key }` }
					data-count={ key }
				>
					<dt>{ label }</dt>
					<dd>{ formatNumber( counts[ key ] ) }</dd>
				</div>
			) ) }
		</dl>
	);
}

interface RowsProps {
	rows: OutboxRow[];
	retry: Mutation< number, unknown >;
}

function Rows( { rows, retry }: RowsProps ) {
	return (
		<table className="widefat striped synchub-table synchub-outbox__rows">
			<thead>
				<tr>
					<th scope="col">{ __( 'ID', 'sync-hub' ) }</th>
					<th scope="col">{ __( 'Topic', 'sync-hub' ) }</th>
					<th scope="col" className="is-numeric">
						{ __( 'Attempts', 'sync-hub' ) }
					</th>
					<th scope="col">{ __( 'Created', 'sync-hub' ) }</th>
					<th scope="col">{ __( 'Next attempt', 'sync-hub' ) }</th>
					<th scope="col">{ __( 'Last error', 'sync-hub' ) }</th>
					<th scope="col">
						<span className="screen-reader-text">
							{ __( 'Actions', 'sync-hub' ) }
						</span>
					</th>
				</tr>
			</thead>
			<tbody>
				{ rows.map( ( row ) => {
					const busy =
						retry.status === 'resolving' &&
						retry.variables === row.id;
					return (
						<tr key={ row.id } data-row={ row.id }>
							<td>{ formatNumber( row.id ) }</td>
							<td>
								<code>{ row.topic }</code>
							</td>
							<td className="is-numeric">
								{ formatNumber( row.attempts ) }
							</td>
							<td>{ formatDateTime( row.created_at ) }</td>
							<td>{ formatDateTime( row.next_attempt_at ) }</td>
							<td className="synchub-table__error">
								{ row.last_error ?? '—' }
							</td>
							<td className="synchub-table__actions">
								<RowAction
									busy={ busy }
									onClick={ () =>
										void retry.mutate( row.id )
									}
									label={ sprintf(
										/* translators: %d: outbox row id. */
										__( 'Retry row #%d now', 'sync-hub' ),
										row.id
									) }
								>
									{ __( 'Retry', 'sync-hub' ) }
								</RowAction>
							</td>
						</tr>
					);
				} ) }
			</tbody>
		</table>
	);
}

export function OutboxCard() {
	const [ listed, setListed ] = useState< ListedStatus >( 'failed' );
	const outbox = useOutbox( listed );
	const { data, error, status } = outbox;
	return (
		<Card className="synchub-card synchub-card--wide synchub-outbox">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Outbox', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				<SelectControl
					label={ __( 'Show rows', 'sync-hub' ) }
					value={ listed }
					options={ [
						{ value: 'failed', label: __( 'Failed', 'sync-hub' ) },
						{
							value: 'pending',
							label: __( 'Pending', 'sync-hub' ),
						},
					] }
					onChange={ ( value: string ) =>
						setListed( value === 'pending' ? 'pending' : 'failed' )
					}
					__nextHasNoMarginBottom
				/>
				{ status === 'error' && error && (
					<ErrorState
						error={ error }
						onRetry={ () => void outbox.refresh() }
					/>
				) }
				{ data === undefined && status !== 'error' && (
					<LoadingState
						label={ __( 'Loading the outbox…', 'sync-hub' ) }
					/>
				) }
				{ data && (
					<>
						<Counts counts={ data.counts } />
						{ data.items.length === 0 ? (
							<EmptyState>
								{ listed === 'failed'
									? __( 'No failed deliveries.', 'sync-hub' )
									: __(
											'Nothing is waiting to be delivered.',
											'sync-hub'
										) }
							</EmptyState>
						) : (
							<Rows rows={ data.items } retry={ outbox.retry } />
						) }
					</>
				) }
			</CardBody>
		</Card>
	);
}
