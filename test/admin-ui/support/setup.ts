/**
 * Runs before each test file of test/admin-ui.
 */

/**
 * External dependencies
 */
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

/**
 * WordPress dependencies
 */
import { dispatch, select } from '@wordpress/data';
import { resetLocaleData } from '@wordpress/i18n';
import { store as noticesStore } from '@wordpress/notices';

/**
 * Internal dependencies
 */
import { NOTICE_CONTEXT } from '../../../admin-ui/src/data/notices';

beforeEach( () => {
	// jsdom has no layout; notices scroll into view on creation.
	vi.spyOn( window, 'scrollTo' ).mockImplementation( () => {} );
	window.syncHubAdmin = {
		namespace: 'sync-hub/v1',
		locale: 'en_US',
		isRtl: false,
		version: 'test',
		pluginUrl: 'http://wordpress.test/wp-content/plugins/sync-hub/',
	};
} );

afterEach( () => {
	cleanup();
	const ids = select( noticesStore )
		.getNotices( NOTICE_CONTEXT )
		.map( ( notice ) => notice.id );
	if ( ids.length > 0 ) {
		void dispatch( noticesStore ).removeNotices( ids, NOTICE_CONTEXT );
	}
	resetLocaleData( undefined, 'sync-hub' );
	delete window.syncHubAdmin;
} );
