/**
 * SIIGO webhook subscriptions: the Subscribe button and the list SIIGO reports.
 */

/**
 * WordPress dependencies
 */
import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { ListCard } from '../ui/list-card';
import { StatusBadge } from '../ui/status-badge';
import { useSubscriptions } from './data';
import { topicLabel } from './labels';

export function SubscriptionsCard() {
	const subscriptions = useSubscriptions();
	const { subscribe } = subscriptions;
	return (
		<ListCard
			title={ __( 'SIIGO webhooks', 'sync-hub' ) }
			cardClassName="synchub-stock-subscriptions"
			source={ subscriptions }
			loadingLabel={ __( 'Loading subscriptions…', 'sync-hub' ) }
			empty={ __( 'No subscriptions yet.', 'sync-hub' ) }
			toolbar={
				<p className="synchub-muted">
					{ __(
						'SIIGO calls the worker when a product or its stock changes. The scheduled sync keeps stock right even without webhooks.',
						'sync-hub'
					) }
				</p>
			}
			rowKey={ ( subscription ) => subscription.id }
			columns={ [
				{
					header: __( 'Topic', 'sync-hub' ),
					cell: ( subscription ) => topicLabel( subscription.topic ),
				},
				{
					header: __( 'Callback URL', 'sync-hub' ),
					className: 'synchub-table__url',
					cell: ( subscription ) => subscription.url,
				},
				{
					header: __( 'Status', 'sync-hub' ),
					cell: ( subscription ) => (
						<StatusBadge
							tone={ subscription.active ? 'success' : 'warning' }
							value={
								subscription.active ? 'active' : 'inactive'
							}
						>
							{ subscription.active
								? __( 'Active', 'sync-hub' )
								: __( 'Inactive', 'sync-hub' ) }
						</StatusBadge>
					),
				},
			] }
			footer={
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
			}
		/>
	);
}
