/**
 * Stock screen: SIIGO inventory → WooCommerce stock. Stats, connection, webhooks, live feed, log.
 */

/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { ConnectionCard } from './connection-card';
import { useSiigoConnection, useStockStats } from './data';
import { LiveFeedCard } from './live-feed-card';
import { StatsCard } from './stats-card';
import { SubscriptionsCard } from './subscriptions-card';
import { WebhookLogCard } from './webhook-log-card';
import './stock.scss';

export function StockScreen() {
	const stats = useStockStats();
	const connection = useSiigoConnection();
	return (
		<div className="synchub-stock">
			<h2 className="screen-reader-text">
				{ __( 'Stock', 'sync-hub' ) }
			</h2>
			<div className="synchub-grid">
				<StatsCard stats={ stats } connection={ connection } />
				<ConnectionCard connection={ connection } />
				<SubscriptionsCard />
				<LiveFeedCard />
				<WebhookLogCard />
			</div>
		</div>
	);
}
