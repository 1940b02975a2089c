/**
 * Live feed of stock changes: old → new, source, time.
 */

/**
 * WordPress dependencies
 */
import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDateTime, formatNumber } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/request-states';
import { StatusBadge } from '../ui/status-badge';
import { resultBadge, sourceLabel } from './labels';
import { useLiveChanges } from './live';

export function LiveFeedCard( { interval }: { interval?: number } ) {
	const live = useLiveChanges( interval );
	return (
		<Card className="synchub-card synchub-card--wide synchub-stock-live">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Live stock changes', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				{ live.status === 'error' && live.error && (
					<ErrorState error={ live.error } />
				) }
				{ live.changes.length === 0 && live.status === 'resolving' && (
					<LoadingState
						label={ __( 'Loading stock changes…', 'sync-hub' ) }
					/>
				) }
				{ live.changes.length === 0 && live.status === 'finished' && (
					<EmptyState>
						{ __( 'No stock changes yet.', 'sync-hub' ) }
					</EmptyState>
				) }
				{ live.changes.length > 0 && (
					<ul className="synchub-feed" aria-live="polite">
						{ live.changes.map( ( change ) => {
							const [ tone, label ] = resultBadge(
								change.result
							);
							return (
								<li
									key={ change.id }
									className={
										live.fresh.has( change.id )
											? 'synchub-feed__item is-new'
											: 'synchub-feed__item'
									}
									data-code={ change.code }
								>
									<strong>{ change.code }</strong>{ ' ' }
									{ change.name && (
										<span className="synchub-muted">
											{ change.name }
										</span>
									) }{ ' ' }
									<span className="synchub-feed__quantities">
										{ sprintf(
											/* translators: 1: stock before, 2: stock after. */
											__( '%1$s → %2$s', 'sync-hub' ),
											change.old_quantity === null
												? '—'
												: formatNumber(
														change.old_quantity
													),
											formatNumber( change.new_quantity )
										) }
									</span>{ ' ' }
									<span className="synchub-feed__source">
										{ sourceLabel( change.source ) }
									</span>{ ' ' }
									<StatusBadge
										tone={ tone }
										value={ change.result }
									>
										{ label }
									</StatusBadge>{ ' ' }
									<time dateTime={ change.created_at }>
										{ formatDateTime( change.created_at ) }
									</time>
								</li>
							);
						} ) }
					</ul>
				) }
			</CardBody>
		</Card>
	);
}
