/**
 * External dependencies
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * Internal dependencies
 */
import { testSummary } from '../../../admin-ui/src/events/store-database-card';
import { fakeRest, type FakeRest } from '../support/fake-rest';
import { NS } from '../support/fixtures';
import { quietSystem, renderPage } from '../support/render-page';

const W = `${ NS }/worker/api/v1/sync-woocommerce`;
const SAVED = {
	source: 'settings',
	host: '127.0.0.1',
	port: 3306,
	user: 'shop',
	database: 'shop',
	table_prefix: 'wp_',
	has_password: true,
	ssh: {
		host: 'shop.example',
		port: 22,
		username: 'deploy',
		has_password: false,
		has_private_key: true,
		has_passphrase: false,
		host_key: 'SHA256:' + 'A'.repeat( 43 ),
	},
};

function routes( rest: FakeRest ): void {
	quietSystem( rest );
	rest.on( 'GET', `${ W }/configurations/`, {
		body: { count: 0, results: [] },
	} );
	rest.on( 'GET', `${ W }/executions/`, { body: { count: 0, results: [] } } );
	rest.on( 'GET', `${ W }/store-connection/`, { body: SAVED } );
}

const card = () => {
	const found = document.querySelector< HTMLElement >(
		'.synchub-events-store-database'
	);
	if ( ! found ) {
		throw new Error( 'No store database card' );
	}
	return within( found );
};

describe( 'Events → Store database', () => {
	beforeEach( () => {
		window.history.replaceState(
			null,
			'',
			'/wp-admin/admin.php?page=sync-hub&tab=events'
		);
	} );

	it( 'shows the saved connection without its secrets, tests the SSH and MySQL stages and saves only what was typed', async () => {
		const rest = fakeRest();
		routes( rest );
		rest.on( 'POST', `${ W }/store-connection/test/`, {
			body: {
				ok: true,
				ssh: { ok: true, error: null, host_key: SAVED.ssh.host_key },
				mysql: {
					ok: true,
					error: null,
					storage_mode: 'hpos',
					skipped: false,
				},
			},
		} );
		rest.on( 'POST', `${ W }/store-connection/`, { body: SAVED } );
		renderPage();
		const form = card();
		expect(
			( ( await form.findByLabelText( 'SSH host' ) ) as HTMLInputElement )
				.value
		).toBe( 'shop.example' );
		expect(
			( form.getByLabelText( 'Database password' ) as HTMLInputElement )
				.value
		).toBe( '' );
		expect(
			form.getAllByText(
				'Saved. Leave blank to keep it (same host and user only).'
			).length
		).toBe( 2 );

		fireEvent.click(
			form.getByRole( 'button', { name: 'Test connection' } )
		);
		expect(
			await form.findByText(
				`SSH: connected, host key ${ SAVED.ssh.host_key }. MySQL: connected (hpos order storage).`
			)
		).toBeTruthy();
		expect(
			rest.calls( 'POST', `${ W }/store-connection/test/` )[ 0 ]?.body
		).toMatchObject( {
			host: '127.0.0.1',
			ssh: { host: 'shop.example', username: 'deploy' },
		} );

		fireEvent.change( form.getByLabelText( 'SSH password' ), {
			target: { value: 's3cret' },
		} );
		fireEvent.click(
			form.getByRole( 'button', { name: 'Save store database' } )
		);
		await waitFor( () =>
			expect(
				rest.calls( 'POST', `${ W }/store-connection/` )
			).toHaveLength( 1 )
		);
		const body = rest.calls( 'POST', `${ W }/store-connection/` )[ 0 ]
			?.body as { password?: string; ssh: Record< string, unknown > };
		expect( body.ssh ).toMatchObject( {
			password: 's3cret',
			host_key: SAVED.ssh.host_key,
		} );
		expect( body.ssh ).not.toHaveProperty( 'private_key' );
		expect( body ).not.toHaveProperty( 'password' );
		expect( screen.queryByText( /PRIVATE KEY/ ) ).toBeNull();
	} );
} );

describe( 'testSummary', () => {
	it.each( [
		[
			{
				ok: false,
				ssh: { ok: false, error: 'refused', hostKey: null },
				mysql: {
					ok: false,
					error: null,
					skipped: true,
					storageMode: null,
				},
			},
			{ failure: 'SSH failed: refused' },
		],
		[
			{
				ok: false,
				ssh: { ok: true, error: null, hostKey: 'SHA256:x' },
				mysql: {
					ok: false,
					error: 'denied',
					skipped: false,
					storageMode: null,
				},
			},
			{ failure: 'SSH: connected. MySQL failed: denied' },
		],
		[
			{
				ok: false,
				ssh: null,
				mysql: {
					ok: false,
					error: 'denied',
					skipped: false,
					storageMode: null,
				},
			},
			{ failure: 'MySQL failed: denied' },
		],
		[
			{
				ok: true,
				ssh: null,
				mysql: {
					ok: true,
					error: null,
					skipped: false,
					storageMode: 'legacy',
				},
			},
			{ success: 'MySQL: connected (legacy order storage).' },
		],
	] )( '%j', ( result, expected ) => {
		expect( testSummary( result ) ).toEqual( expected );
	} );
} );
