/**
 * Words for the codes the worker sends (sources, results, log statuses, topics).
 */

/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import type { Tone } from '../ui/status-badge';

export function sourceLabel( source: string ): string {
	switch ( source ) {
		case 'webhook':
			return __( 'SIIGO webhook', 'sync-hub' );
		case 'scheduled_sync':
			return __( 'Scheduled sync', 'sync-hub' );
		case 'manual':
			return __( 'Manual', 'sync-hub' );
		default:
			return source;
	}
}

export function resultBadge( result: string ): [ Tone, string ] {
	switch ( result ) {
		case 'updated':
			return [ 'success', __( 'Updated', 'sync-hub' ) ];
		case 'unknown_sku':
			return [ 'warning', __( 'No product with this SKU', 'sync-hub' ) ];
		case 'not_managed':
			return [ 'warning', __( 'Stock not managed', 'sync-hub' ) ];
		default:
			return [ 'neutral', result ];
	}
}

export function logStatusBadge( status: string ): [ Tone, string ] {
	switch ( status ) {
		case 'received':
			return [ 'neutral', __( 'Waiting', 'sync-hub' ) ];
		case 'processed':
			return [ 'success', __( 'Processed', 'sync-hub' ) ];
		case 'ignored':
			return [ 'neutral', __( 'Nothing to change', 'sync-hub' ) ];
		case 'duplicate':
			return [ 'neutral', __( 'Duplicate', 'sync-hub' ) ];
		case 'rejected':
			return [ 'error', __( 'Rejected', 'sync-hub' ) ];
		case 'error':
			return [ 'error', __( 'Failed', 'sync-hub' ) ];
		default:
			return [ 'neutral', status ];
	}
}

export function topicLabel( topic: string | null ): string {
	switch ( topic ) {
		case 'public.siigoapi.products.create':
			return __( 'Product created', 'sync-hub' );
		case 'public.siigoapi.products.update':
			return __( 'Product updated', 'sync-hub' );
		case 'public.siigoapi.products.stock.update':
			return __( 'Stock changed', 'sync-hub' );
		case 'test':
			return __( 'Test', 'sync-hub' );
		case null:
			return '—';
		default:
			return topic;
	}
}

export const LOG_STATUSES = [
	'received',
	'processed',
	'ignored',
	'duplicate',
	'rejected',
	'error',
] as const;
export const TOPICS = [
	'public.siigoapi.products.create',
	'public.siigoapi.products.update',
	'public.siigoapi.products.stock.update',
	'test',
] as const;
