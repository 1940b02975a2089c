/**
 * What is still to set up: one line per step, green when done, each linking to where it is fixed.
 */

/**
 * WordPress dependencies
 */
import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import {
	useChecklist,
	type ChecklistItem,
	type ChecklistItemId,
} from '../data/checklist';
import type { WorkerHealth } from '../data/health';
import type { Settings } from '../data/settings';
import type { Resource } from '../data/use-resource';
import { ErrorState, LoadingState } from '../ui/request-states';
import { StatusBadge } from '../ui/status-badge';

function itemLabel( id: ChecklistItemId ): string {
	const labels: Record< ChecklistItemId, string > = {
		worker: __( 'The worker is reachable', 'sync-hub' ),
		admin_token: __( 'Admin token set', 'sync-hub' ),
		webhook_secret: __( 'Webhook secret set', 'sync-hub' ),
		store_database: __(
			'Store database configured and connected',
			'sync-hub'
		),
		odoo: __( 'Odoo configured and connected', 'sync-hub' ),
		siigo: __( 'SIIGO configured and connected', 'sync-hub' ),
		products: __(
			'Products feed has a token and reached its endpoint',
			'sync-hub'
		),
		siigo_webhooks: __( 'SIIGO webhooks subscribed', 'sync-hub' ),
		first_sync: __( 'A first sync has run', 'sync-hub' ),
	};
	return labels[ id ];
}

function tabTitle( tab: string ): string {
	const titles: Record< string, string > = {
		overview: __( 'Overview', 'sync-hub' ),
		status: __( 'Sync status', 'sync-hub' ),
		events: __( 'Events', 'sync-hub' ),
		bookings: __( 'Bookings', 'sync-hub' ),
		products: __( 'Products', 'sync-hub' ),
		stock: __( 'Stock', 'sync-hub' ),
	};
	return titles[ tab ] ?? tab;
}

function tabUrl( tab: string ): string {
	const url = new URL( window.location.href );
	url.searchParams.set( 'tab', tab );
	return url.toString();
}

function Item( { item }: { item: ChecklistItem } ) {
	return (
		<li
			className={ `synchub-checklist__item ${ item.done ? 'is-done' : 'is-todo' }` }
			data-item={ item.id }
		>
			<span className="synchub-checklist__mark" aria-hidden="true">
				{ item.done ? '✓' : '○' }
			</span>
			<span className="synchub-checklist__label">
				{ itemLabel( item.id ) }
			</span>
			{ item.done ? (
				<StatusBadge tone="success" value="done">
					{ __( 'Done', 'sync-hub' ) }
				</StatusBadge>
			) : (
				<a
					href={ tabUrl( item.tab ) }
					className="synchub-checklist__fix"
				>
					{ sprintf(
						/* translators: %s: name of the tab where the step is done. */
						__( 'Set up in %s', 'sync-hub' ),
						tabTitle( item.tab )
					) }
				</a>
			) }
		</li>
	);
}

export function ChecklistCard( {
	health,
	settings,
}: {
	health: Resource< WorkerHealth >;
	settings: Settings | undefined;
} ) {
	const checklist = useChecklist( health, settings );
	const { data, error, status } = checklist;
	const done = data?.filter( ( item ) => item.done ).length ?? 0;
	return (
		<Card className="synchub-card synchub-checklist">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Setup checklist', 'sync-hub' ) }
				</h2>
				{ data && (
					<StatusBadge
						tone={ done === data.length ? 'success' : 'warning' }
						value={ `${ done }/${ data.length }` }
					>
						{ sprintf(
							/* translators: 1: steps done, 2: all steps. */
							__( '%1$d of %2$d done', 'sync-hub' ),
							done,
							data.length
						) }
					</StatusBadge>
				) }
			</CardHeader>
			<CardBody>
				{ status === 'error' && error && (
					<ErrorState
						error={ error }
						onRetry={ () => void checklist.refresh() }
					/>
				) }
				{ data === undefined && status !== 'error' && (
					<LoadingState
						label={ __( 'Reading the setup…', 'sync-hub' ) }
					/>
				) }
				{ data && (
					<ol className="synchub-checklist__items">
						{ data.map( ( item ) => (
							<Item key={ item.id } item={ item } />
						) ) }
					</ol>
				) }
			</CardBody>
		</Card>
	);
}
