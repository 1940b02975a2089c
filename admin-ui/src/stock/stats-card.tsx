/**
 * Stats cards: products, webhooks, last sync, SIIGO connection; and "Sync now".
 */

/**
 * WordPress dependencies
 */
import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import type { Resource } from '../data/use-resource';
import { formatDateTime, formatNumber } from '../ui/format';
import { ErrorState, LoadingState } from '../ui/request-states';
import { StatusBadge } from '../ui/status-badge';
import type { SiigoConnection, StockStats } from './data';

/**
 * The SIIGO connection badge: not enabled (null), reachable, or calls paused (breaker open).
 *
 * @param connection The worker's `siigo_connection`.
 */
function connectionBadge( connection: boolean | null ): {
	tone: 'error' | 'success' | 'neutral';
	label: string;
} {
	if ( connection === null ) {
		return {
			tone: 'neutral',
			label: __( 'SIIGO not enabled', 'sync-hub' ),
		};
	}
	return connection
		? { tone: 'success', label: __( 'SIIGO reachable', 'sync-hub' ) }
		: { tone: 'error', label: __( 'SIIGO calls paused', 'sync-hub' ) };
}

function Stat( { label, value }: { label: string; value: string } ) {
	return (
		<div className="synchub-stat">
			<span className="synchub-stat__value">{ value }</span>
			<span className="synchub-stat__label">{ label }</span>
		</div>
	);
}

export function StatsCard( {
	stats,
	connection,
}: {
	stats: Resource< StockStats >;
	connection: SiigoConnection;
} ) {
	const { data } = stats;
	const busy = connection.sync.status === 'resolving';
	return (
		<Card className="synchub-card synchub-card--wide synchub-stock-stats">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Stock from SIIGO', 'sync-hub' ) }
				</h2>
				{ data && (
					<StatusBadge
						tone={ connectionBadge( data.siigo_connection ).tone }
						value={ String( data.siigo_connection ) }
					>
						{ connectionBadge( data.siigo_connection ).label }
					</StatusBadge>
				) }
			</CardHeader>
			<CardBody>
				{ stats.status === 'error' && stats.error && (
					<ErrorState
						error={ stats.error }
						onRetry={ () => void stats.refresh() }
					/>
				) }
				{ data === undefined && stats.status !== 'error' && (
					<LoadingState
						label={ __( 'Loading stock statistics…', 'sync-hub' ) }
					/>
				) }
				{ data && (
					<>
						<div className="synchub-stats">
							<Stat
								label={ __( 'SIIGO products', 'sync-hub' ) }
								value={ formatNumber( data.products.total ) }
							/>
							<Stat
								label={ __(
									'Synced to WooCommerce',
									'sync-hub'
								) }
								value={ formatNumber( data.products.synced ) }
							/>
							<Stat
								label={ __( 'Updated today', 'sync-hub' ) }
								value={ formatNumber(
									data.products.updated_today
								) }
							/>
							<Stat
								label={ __(
									'SKUs missing in WooCommerce',
									'sync-hub'
								) }
								value={ formatNumber(
									data.products.unknown_sku
								) }
							/>
							<Stat
								label={ __( 'Webhooks received', 'sync-hub' ) }
								value={ formatNumber( data.webhooks.total ) }
							/>
							<Stat
								label={ __( 'Webhooks processed', 'sync-hub' ) }
								value={ formatNumber(
									data.webhooks.processed
								) }
							/>
							<Stat
								label={ __(
									'Webhooks in the last hour',
									'sync-hub'
								) }
								value={ formatNumber(
									data.webhooks.last_hour
								) }
							/>
							<Stat
								label={ __( 'Last sync', 'sync-hub' ) }
								value={
									data.last_sync
										? formatDateTime( data.last_sync )
										: __( 'Never', 'sync-hub' )
								}
							/>
						</div>
						{ data.last_sync_error && (
							<p className="synchub-error-text">
								{ data.last_sync_error }
							</p>
						) }
					</>
				) }
				<div className="synchub-settings__actions">
					<Button
						variant="secondary"
						isBusy={ busy }
						disabled={ busy }
						onClick={ () =>
							void connection.sync
								.mutate( { full: false } )
								.then( () => stats.refresh() )
						}
					>
						{ __( 'Sync changes now', 'sync-hub' ) }
					</Button>
					<Button
						variant="tertiary"
						isBusy={ busy }
						disabled={ busy }
						onClick={ () =>
							void connection.sync
								.mutate( { full: true } )
								.then( () => stats.refresh() )
						}
					>
						{ __( 'Full sync', 'sync-hub' ) }
					</Button>
				</div>
			</CardBody>
		</Card>
	);
}
