/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * The translated name of a worker queue; unknown queues keep their own name.
 *
 * @param queue Queue name.
 * @return Label.
 */
export function queueLabel( queue: string ): string {
	switch ( queue ) {
		case 'events':
			return __( 'Events', 'sync-hub' );
		case 'bookings':
			return __( 'Bookings', 'sync-hub' );
		case 'stock':
			return __( 'Stock', 'sync-hub' );
		case 'products':
			return __( 'Products', 'sync-hub' );
		case 'maintenance':
			return __( 'Maintenance', 'sync-hub' );
		default:
			return queue;
	}
}
