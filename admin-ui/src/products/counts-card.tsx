/**
 * The product store at a glance: active, deleted, awaiting embedding.
 */

/**
 * WordPress dependencies
 */
import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatNumber } from '../ui/format';
import { ErrorState, LoadingState } from '../ui/request-states';
import type { Resource } from '../data/use-resource';
import type { ProductStats } from './data';

export function CountsCard( { stats }: { stats: Resource< ProductStats > } ) {
	const rows: Array< [ keyof ProductStats, string ] > = [
		[ 'active', __( 'Active', 'sync-hub' ) ],
		[ 'deleted', __( 'Deleted', 'sync-hub' ) ],
		[ 'awaiting_embedding', __( 'Awaiting embedding', 'sync-hub' ) ],
	];
	return (
		<Card className="synchub-card synchub-products-counts">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Product store', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				{ stats.status === 'error' && stats.error && (
					<ErrorState
						error={ stats.error }
						onRetry={ () => void stats.refresh() }
					/>
				) }
				{ stats.data === undefined && stats.status !== 'error' && (
					<LoadingState
						label={ __( 'Counting products…', 'sync-hub' ) }
					/>
				) }
				{ stats.data && (
					<dl className="synchub-counts">
						{ rows.map( ( [ key, label ] ) => (
							<div key={ key } data-count={ key }>
								<dt>{ label }</dt>
								<dd>
									{ formatNumber( stats.data?.[ key ] ?? 0 ) }
								</dd>
							</div>
						) ) }
					</dl>
				) }
			</CardBody>
		</Card>
	);
}
