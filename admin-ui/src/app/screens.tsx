/**
 * The page's screens, one tab each. A new area = one folder `src/<area>/` exporting its
 * screen component + one entry here (and its translations in plugin/languages/po/).
 */

/**
 * External dependencies
 */
import type { ComponentType } from 'react';

/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { BookingsScreen } from '../bookings';
import { EventsScreen } from '../events';
import { OverviewScreen } from '../overview';
import { ProductsScreen } from '../products';
import { StockScreen } from '../stock';
import { SyncStatusScreen } from '../sync-status';

export interface Screen {
	/** Tab name, also the `tab` query argument of the page URL. */
	name: string;
	/** Translated at render time, after the page's translations are loaded. */
	title: () => string;
	Component: ComponentType;
}

export const SCREENS: Screen[] = [
	{
		name: 'overview',
		title: () => __( 'Overview', 'sync-hub' ),
		Component: OverviewScreen,
	},
	{
		name: 'status',
		title: () => __( 'Sync status', 'sync-hub' ),
		Component: SyncStatusScreen,
	},
	{
		name: 'events',
		title: () => __( 'Events', 'sync-hub' ),
		Component: EventsScreen,
	},
	{
		name: 'bookings',
		title: () => __( 'Bookings', 'sync-hub' ),
		Component: BookingsScreen,
	},
	{
		name: 'products',
		title: () => __( 'Products', 'sync-hub' ),
		Component: ProductsScreen,
	},
	{
		name: 'stock',
		title: () => __( 'Stock', 'sync-hub' ),
		Component: StockScreen,
	},
];
