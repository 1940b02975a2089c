/**
 * Products screen: the product store's counts, the feed's settings, tokens, backfill, event log.
 */

/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { BackfillCard } from './backfill-card';
import { CountsCard } from './counts-card';
import { useProductStats } from './data';
import { EventsCard } from './events-card';
import { FeedCard } from './feed-card';
import { TokensCard } from './tokens-card';

export function ProductsScreen() {
	const stats = useProductStats();
	return (
		<div className="synchub-products">
			<h2 className="screen-reader-text">
				{ __( 'Products', 'sync-hub' ) }
			</h2>
			<div className="synchub-grid">
				<CountsCard stats={ stats } />
				<FeedCard />
				<BackfillCard onFinished={ () => void stats.refresh() } />
				<TokensCard />
				<EventsCard />
			</div>
		</div>
	);
}
