/**
 * The plugin's outbox: backlog counts and the rows that wait or failed, with Retry.
 */

/**
 * WordPress dependencies
 */
import { SelectControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useOutbox, type OutboxPage, type OutboxStatus } from '../data/outbox';
import { formatDateTime, formatNumber } from '../ui/format';
import { ListCard } from '../ui/list-card';
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

export function OutboxCard() {
	const [ listed, setListed ] = useState< ListedStatus >( 'failed' );
	const outbox = useOutbox( listed );
	const { data, retry } = outbox;
	return (
		<ListCard
			title={ __( 'Outbox', 'sync-hub' ) }
			cardClassName="synchub-card--wide synchub-outbox"
			className="widefat striped synchub-table synchub-outbox__rows"
			source={ { ...outbox, data: data?.items } }
			loadingLabel={ __( 'Loading the outbox…', 'sync-hub' ) }
			empty={
				listed === 'failed'
					? __( 'No failed deliveries.', 'sync-hub' )
					: __( 'Nothing is waiting to be delivered.', 'sync-hub' )
			}
			toolbar={
				<>
					<SelectControl
						label={ __( 'Show rows', 'sync-hub' ) }
						value={ listed }
						options={ [
							{
								value: 'failed',
								label: __( 'Failed', 'sync-hub' ),
							},
							{
								value: 'pending',
								label: __( 'Pending', 'sync-hub' ),
							},
						] }
						onChange={ ( value: string ) =>
							setListed(
								value === 'pending' ? 'pending' : 'failed'
							)
						}
						__nextHasNoMarginBottom
					/>
					{ data && <Counts counts={ data.counts } /> }
				</>
			}
			rowKey={ ( row ) => row.id }
			rowData={ ( row ) => ( { 'data-row': row.id } ) }
			columns={ [
				{
					header: __( 'ID', 'sync-hub' ),
					cell: ( row ) => formatNumber( row.id ),
				},
				{
					header: __( 'Topic', 'sync-hub' ),
					cell: ( row ) => <code>{ row.topic }</code>,
				},
				{
					header: __( 'Attempts', 'sync-hub' ),
					numeric: true,
					cell: ( row ) => formatNumber( row.attempts ),
				},
				{
					header: __( 'Created', 'sync-hub' ),
					cell: ( row ) => formatDateTime( row.created_at ),
				},
				{
					header: __( 'Next attempt', 'sync-hub' ),
					cell: ( row ) => formatDateTime( row.next_attempt_at ),
				},
				{
					header: __( 'Last error', 'sync-hub' ),
					className: 'synchub-table__error',
					cell: ( row ) => row.last_error ?? '—',
				},
			] }
			actions={ ( row ) => (
				<RowAction
					busy={
						retry.status === 'resolving' &&
						retry.variables === row.id
					}
					onClick={ () => void retry.mutate( row.id ) }
					label={ sprintf(
						/* translators: %d: outbox row id. */
						__( 'Retry row #%d now', 'sync-hub' ),
						row.id
					) }
				>
					{ __( 'Retry', 'sync-hub' ) }
				</RowAction>
			) }
		/>
	);
}
