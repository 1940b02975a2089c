/**
 * Translated names of what the worker reports by key: domains, kinds of drift, charts and series.
 * An unknown key is shown as it came.
 */

/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

export function domainLabel( domain: string ): string {
	const labels: Record< string, string > = {
		events: __( 'Events', 'sync-hub' ),
		bookings: __( 'Bookings', 'sync-hub' ),
		stock: __( 'Stock', 'sync-hub' ),
		products: __( 'Products', 'sync-hub' ),
	};
	return labels[ domain ] ?? domain;
}

export function kindLabel( kind: string ): string {
	const labels: Record< string, string > = {
		order_missing: __( 'Paid in the store, not migrated', 'sync-hub' ),
		tickets_differ: __( 'Another number of tickets', 'sync-hub' ),
		order_not_paid: __(
			'Migrated, no longer paid in the store',
			'sync-hub'
		),
		not_in_odoo: __( 'Paid, never sent to Odoo', 'sync-hub' ),
		sale_order_missing: __( 'Sale order deleted in Odoo', 'sync-hub' ),
		cancelled_in_odoo: __( 'Sale order cancelled in Odoo', 'sync-hub' ),
		total_differs: __( 'Odoo total differs from WooCommerce', 'sync-hub' ),
		quantity_differs: __(
			'WooCommerce stock differs from SIIGO',
			'sync-hub'
		),
		only_in_siigo: __( 'Only in SIIGO', 'sync-hub' ),
		only_in_woocommerce: __( 'Only in WooCommerce', 'sync-hub' ),
		missing_in_catalog: __(
			'Published, not in the ingestion store',
			'sync-hub'
		),
		not_in_store: __( 'Ingested, not published in the store', 'sync-hub' ),
		changed_since_ingest: __(
			'Edited in the store after the last event',
			'sync-hub'
		),
		embedding_stale: __( 'Embedding older than the content', 'sync-hub' ),
	};
	return labels[ kind ] ?? kind;
}

export function chartTitle( chart: string ): string {
	const labels: Record< string, string > = {
		events_synced: __( 'Orders and tickets synced', 'sync-hub' ),
		bookings_sent: __( 'Booking orders sent to Odoo', 'sync-hub' ),
		stock_changes: __( 'Stock changes by source', 'sync-hub' ),
		product_events: __( 'Product events by type', 'sync-hub' ),
		embeddings: __( 'Embeddings spent', 'sync-hub' ),
		outbox: __( 'Outbox deliveries', 'sync-hub' ),
		deliveries: __( 'Deliveries received by the worker', 'sync-hub' ),
	};
	return labels[ chart ] ?? chart;
}

export function seriesLabel( key: string ): string {
	const labels: Record< string, string > = {
		orders: __( 'Orders', 'sync-hub' ),
		tickets: __( 'Tickets', 'sync-hub' ),
		sent: __( 'Sent', 'sync-hub' ),
		failed: __( 'Failed', 'sync-hub' ),
		webhook: __( 'Webhook', 'sync-hub' ),
		scheduled_sync: __( 'Sweep', 'sync-hub' ),
		manual: __( 'Manual', 'sync-hub' ),
		'product.created': __( 'Created', 'sync-hub' ),
		'product.updated': __( 'Updated', 'sync-hub' ),
		'product.deleted': __( 'Deleted', 'sync-hub' ),
		chunks: __( 'Text chunks embedded', 'sync-hub' ),
		received: __( 'Received', 'sync-hub' ),
		delivered: __( 'Delivered', 'sync-hub' ),
	};
	return labels[ key ] ?? key;
}

export function detailLabel( key: string ): string {
	const labels: Record< string, string > = {
		name: __( 'Name', 'sync-hub' ),
		number: __( 'Order', 'sync-hub' ),
		order: __( 'Order', 'sync-hub' ),
		configuration: __( 'Configuration', 'sync-hub' ),
		product_id: __( 'Product ID', 'sync-hub' ),
		sale_order: __( 'Sale order', 'sync-hub' ),
		woocommerce_quantity: __( 'WooCommerce stock', 'sync-hub' ),
		siigo_quantity: __( 'SIIGO stock', 'sync-hub' ),
		woocommerce_total: __( 'WooCommerce total', 'sync-hub' ),
		odoo_total: __( 'Odoo total', 'sync-hub' ),
		store_tickets: __( 'Tickets in the store', 'sync-hub' ),
		migrated_tickets: __( 'Tickets migrated', 'sync-hub' ),
		store_modified: __( 'Edited in the store', 'sync-hub' ),
		ingested: __( 'Last event applied', 'sync-hub' ),
	};
	return labels[ key ] ?? key.replace( /_/g, ' ' );
}

/**
 * What a "not configured" report asks of the store owner, in their language; the worker's own
 * (English) reason stays available as the paragraph's title.
 *
 * @param domain The domain whose check could not compare anything.
 */
export function notConfiguredHint( domain: string ): string | null {
	const hints: Record< string, string > = {
		events: __(
			'Nothing to compare yet: connect the store database and activate an event configuration on the Events page.',
			'sync-hub'
		),
		bookings: __(
			'Odoo is not connected yet: set it up on the Bookings page.',
			'sync-hub'
		),
		stock: __(
			'Nothing to compare yet: connect SIIGO and the store database on the Stock page, and let one stock sweep run.',
			'sync-hub'
		),
		products: __(
			'Nothing to compare yet: connect the store database and the products endpoint on the Products page.',
			'sync-hub'
		),
	};
	return hints[ domain ] ?? null;
}
