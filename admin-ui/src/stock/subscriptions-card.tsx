/**
 * SIIGO webhook subscriptions: the Subscribe button and the list SIIGO reports.
 */

/**
 * WordPress dependencies
 */
import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { EmptyState, ErrorState, LoadingState } from '../ui/request-states';
import { StatusBadge } from '../ui/status-badge';
import { useSubscriptions } from './data';
import { topicLabel } from './labels';

export function SubscriptionsCard() {
	const subscriptions = useSubscriptions();
	const { data, subscribe } = subscriptions;
	return (
		<Card className="synchub-card synchub-stock-subscriptions">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'SIIGO webhooks', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				<p className="synchub-muted">
					{ __(
						'SIIGO calls the worker when a product or its stock changes. The scheduled sync keeps stock right even without webhooks.',
						'sync-hub'
					) }
				</p>
				{ subscriptions.status === 'error' && subscriptions.error && (
					<ErrorState
						error={ subscriptions.error }
						onRetry={ () => void subscriptions.refresh() }
					/>
				) }
				{ data === undefined && subscriptions.status !== 'error' && (
					<LoadingState
						label={ __( 'Loading subscriptions…', 'sync-hub' ) }
					/>
				) }
				{ data &&
					( data.length === 0 ? (
						<EmptyState>
							{ __( 'No subscriptions yet.', 'sync-hub' ) }
						</EmptyState>
					) : (
						<table className="widefat striped synchub-table">
							<thead>
								<tr>
									<th scope="col">
										{ __( 'Topic', 'sync-hub' ) }
									</th>
									<th scope="col">
										{ __( 'Callback URL', 'sync-hub' ) }
									</th>
									<th scope="col">
										{ __( 'Status', 'sync-hub' ) }
									</th>
								</tr>
							</thead>
							<tbody>
								{ data.map( ( subscription ) => (
									<tr key={ subscription.id }>
										<td>
											{ topicLabel( subscription.topic ) }
										</td>
										<td className="synchub-table__url">
											{ subscription.url }
										</td>
										<td>
											<StatusBadge
												tone={
													subscription.active
														? 'success'
														: 'warning'
												}
												value={
													subscription.active
														? 'active'
														: 'inactive'
												}
											>
												{ subscription.active
													? __( 'Active', 'sync-hub' )
													: __(
															'Inactive',
															'sync-hub'
														) }
											</StatusBadge>
										</td>
									</tr>
								) ) }
							</tbody>
						</table>
					) ) }
				<div className="synchub-settings__actions">
					<Button
						variant="primary"
						isBusy={ subscribe.status === 'resolving' }
						disabled={ subscribe.status === 'resolving' }
						onClick={ () => void subscribe.mutate( undefined ) }
					>
						{ __( 'Subscribe', 'sync-hub' ) }
					</Button>
				</div>
			</CardBody>
		</Card>
	);
}
