/**
 * External dependencies
 */
import { render, type RenderResult } from '@testing-library/react';

/**
 * Internal dependencies
 */
import { App } from '../../../admin-ui/src/app/app';
import type { FakeRest } from './fake-rest';
import { EMPTY_OUTBOX, HEALTHY, NS, SETTINGS } from './fixtures';

/**
 * Answers every route of the Overview with a healthy, quiet system; tests override routes.
 *
 * @param rest The fake transport.
 */
export function quietSystem( rest: FakeRest ): void {
	rest.on( 'GET', `${ NS }/worker/health`, { body: HEALTHY } );
	rest.on( 'GET', `${ NS }/outbox`, { body: EMPTY_OUTBOX } );
	rest.on( 'GET', `${ NS }/worker/api/v1/jobs/failed`, {
		body: { items: [] },
	} );
	rest.on( 'GET', `${ NS }/settings`, { body: SETTINGS } );
}

export function renderPage(): RenderResult {
	return render( <App /> );
}
