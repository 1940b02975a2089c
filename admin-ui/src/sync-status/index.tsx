/**
 * Sync status screen: is everything in sync right now (drift report), and what happened (charts).
 */

/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { ChartsCard } from './charts-card';
import { DriftCard } from './drift-card';
import './sync-status.scss';

export function SyncStatusScreen() {
	return (
		<div className="synchub-sync-status">
			<h2 className="screen-reader-text">
				{ __( 'Sync status', 'sync-hub' ) }
			</h2>
			<DriftCard />
			<ChartsCard />
		</div>
	);
}
