/**
 * External dependencies
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

/**
 * Internal dependencies
 */
import { fakeRest, wpError } from '../support/fake-rest';
import { HEALTHY, NS, SETTINGS } from '../support/fixtures';
import { quietSystem, renderPage } from '../support/render-page';

function settingsCard(): HTMLElement {
	const found = document.querySelector< HTMLElement >( '.synchub-settings' );
	if ( ! found ) {
		throw new Error( 'No settings card' );
	}
	return found;
}

function input( label: string ): HTMLInputElement {
	return within( settingsCard() ).getByLabelText< HTMLInputElement >( label );
}

function pageNotice( text: string ): Promise< HTMLElement > {
	const page = document.querySelector< HTMLElement >( '.synchub-page' );
	if ( ! page ) {
		throw new Error( 'No page' );
	}
	return within( page ).findByText( text );
}

describe( 'Connection settings', () => {
	it( 'never puts a secret into the page, even one the server sends back', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'GET', `${ NS }/settings`, {
			body: {
				...SETTINGS,
				admin_token: 'tok-LEAKED-1234',
				webhook_secret: 'whs-LEAKED-5678',
			},
		} );
		renderPage();
		await within( settingsCard() ).findByDisplayValue(
			'http://127.0.0.1:8787'
		);
		expect( input( 'Admin token' ).value ).toBe( '' );
		expect( input( 'Admin token' ).type ).toBe( 'password' );
		expect( input( 'Webhook secret' ).value ).toBe( '' );
		expect( document.body.innerHTML ).not.toContain( 'LEAKED' );
		expect(
			within( settingsCard() ).getAllByText(
				'A value is saved. Leave blank to keep it.'
			)
		).toHaveLength( 2 );
	} );

	it( 'saves the URL and a new token, ends in a notice and forgets the token', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'GET', `${ NS }/settings`, {
			body: {
				worker_url: '',
				has_admin_token: false,
				has_webhook_secret: false,
				can_edit: true,
			},
		} );
		rest.on( 'POST', `${ NS }/settings`, ( request ) => {
			return {
				body: {
					worker_url: String(
						( request.body as { worker_url: string } ).worker_url
					),
					has_admin_token: true,
					has_webhook_secret: false,
					can_edit: true,
				},
			};
		} );
		renderPage();
		await within( settingsCard() ).findByText( 'Save settings' );
		expect(
			within( settingsCard() ).getAllByText( 'Not set yet.' )
		).toHaveLength( 2 );

		fireEvent.change( input( 'Worker URL' ), {
			target: { value: 'http://127.0.0.1:9999' },
		} );
		fireEvent.change( input( 'Admin token' ), {
			target: { value: 'new-admin-token' },
		} );
		fireEvent.click(
			within( settingsCard() ).getByRole( 'button', {
				name: 'Save settings',
			} )
		);

		const deadLettersBefore = rest.calls(
			'GET',
			`${ NS }/worker/api/v1/jobs/failed`
		).length;
		const healthBefore = rest.calls(
			'GET',
			`${ NS }/worker/health`
		).length;
		expect( await pageNotice( 'Settings saved.' ) ).toBeTruthy();
		// What came from the worker is loaded again through the new connection.
		await waitFor( () => {
			expect(
				rest.calls( 'GET', `${ NS }/worker/health` ).length
			).toBeGreaterThan( healthBefore );
			expect(
				rest.calls( 'GET', `${ NS }/worker/api/v1/jobs/failed` ).length
			).toBeGreaterThan( deadLettersBefore );
		} );
		const posted = rest.calls( 'POST', `${ NS }/settings` );
		expect( posted ).toHaveLength( 1 );
		// The blank webhook secret is not sent, so the stored one is kept.
		expect( posted[ 0 ]?.body ).toEqual( {
			worker_url: 'http://127.0.0.1:9999',
			admin_token: 'new-admin-token',
		} );
		expect( input( 'Admin token' ).value ).toBe( '' );
		expect( document.body.innerHTML ).not.toContain( 'new-admin-token' );
		// The answer of the save is the new state: shown at once, without another GET.
		expect( input( 'Worker URL' ).value ).toBe( 'http://127.0.0.1:9999' );
		expect(
			within( settingsCard() ).getByText(
				'A value is saved. Leave blank to keep it.'
			)
		).toBeTruthy();
		expect( rest.calls( 'GET', `${ NS }/settings` ) ).toHaveLength( 1 );
	} );

	it( 'ends a refused save in an error notice with the server message and keeps the input', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on(
			'POST',
			`${ NS }/settings`,
			wpError(
				400,
				'rest_invalid_param',
				'Invalid parameter(s): worker_url'
			)
		);
		renderPage();
		await within( settingsCard() ).findByDisplayValue(
			'http://127.0.0.1:8787'
		);
		fireEvent.change( input( 'Worker URL' ), {
			target: { value: 'http://worker.invalid:8787' },
		} );
		fireEvent.change( input( 'Admin token' ), {
			target: { value: 'admin-token-for-the-new-url' },
		} );
		fireEvent.change( input( 'Webhook secret' ), {
			target: { value: 'webhook-secret-for-the-new-url' },
		} );
		fireEvent.click(
			within( settingsCard() ).getByRole( 'button', {
				name: 'Save settings',
			} )
		);
		expect(
			await pageNotice(
				'Settings were not saved: Invalid parameter(s): worker_url'
			)
		).toBeTruthy();
		expect( input( 'Worker URL' ).value ).toBe(
			'http://worker.invalid:8787'
		);
	} );

	it( 'tests the connection and refreshes the health on success', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'POST', `${ NS }/settings/test`, {
			body: { ok: true, health: HEALTHY },
		} );
		renderPage();
		await screen.findByText( 'Healthy' );
		const before = rest.calls( 'GET', `${ NS }/worker/health` ).length;
		fireEvent.click(
			await within( settingsCard() ).findByRole( 'button', {
				name: 'Test connection',
			} )
		);
		expect( await pageNotice( 'Connected to the worker.' ) ).toBeTruthy();
		await waitFor( () =>
			expect( rest.calls( 'GET', `${ NS }/worker/health` ).length ).toBe(
				before + 1
			)
		);
	} );

	it( 'reports a failed connection test with its reason', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'POST', `${ NS }/settings/test`, {
			body: {
				ok: false,
				error: { code: 'unauthorized', message: 'Invalid admin token' },
			},
		} );
		renderPage();
		fireEvent.click(
			await within( settingsCard() ).findByRole( 'button', {
				name: 'Test connection',
			} )
		);
		expect(
			await pageNotice(
				'The worker could not be reached: Invalid admin token'
			)
		).toBeTruthy();
	} );

	it( 'asks for the saved secrets again before saving a new worker URL', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'POST', `${ NS }/settings`, ( request ) => ( {
			body: {
				...SETTINGS,
				worker_url: String(
					( request.body as { worker_url: string } ).worker_url
				),
			},
		} ) );
		renderPage();
		await within( settingsCard() ).findByDisplayValue(
			'http://127.0.0.1:8787'
		);
		const save = () =>
			within( settingsCard() ).getByRole< HTMLButtonElement >( 'button', {
				name: 'Save settings',
			} );
		expect(
			within( settingsCard() ).queryByText(
				/Saved secrets are never sent to a new address/
			)
		).toBeNull();

		fireEvent.change( input( 'Worker URL' ), {
			target: { value: 'https://elsewhere.example' },
		} );
		expect(
			within( settingsCard() ).getByText(
				'The worker URL changed. Saved secrets are never sent to a new address: enter them again to save.'
			)
		).toBeTruthy();
		expect(
			within( settingsCard() ).getAllByText(
				'Enter it again: the worker URL changed.'
			)
		).toHaveLength( 2 );
		expect( save().disabled ).toBe( true );

		fireEvent.change( input( 'Admin token' ), {
			target: { value: 'moved-admin-token' },
		} );
		expect( save().disabled ).toBe( true );
		fireEvent.change( input( 'Webhook secret' ), {
			target: { value: 'moved-webhook-secret' },
		} );
		expect( save().disabled ).toBe( false );
		fireEvent.click( save() );

		expect( await pageNotice( 'Settings saved.' ) ).toBeTruthy();
		expect( rest.calls( 'POST', `${ NS }/settings` )[ 0 ]?.body ).toEqual( {
			worker_url: 'https://elsewhere.example',
			admin_token: 'moved-admin-token',
			webhook_secret: 'moved-webhook-secret',
		} );
		// A trailing slash is the same URL: nothing to enter again.
		fireEvent.change( input( 'Worker URL' ), {
			target: { value: 'https://elsewhere.example/' },
		} );
		expect( save().disabled ).toBe( false );
	} );

	it( 'shows the connection read-only to users who may not change it, and lets them test it', async () => {
		const rest = fakeRest();
		quietSystem( rest );
		rest.on( 'GET', `${ NS }/settings`, {
			body: { ...SETTINGS, can_edit: false },
		} );
		rest.on( 'POST', `${ NS }/settings/test`, {
			body: { ok: true, health: HEALTHY },
		} );
		renderPage();
		expect(
			await within( settingsCard() ).findByText(
				'Only administrators can change the connection settings.'
			)
		).toBeTruthy();
		expect( input( 'Worker URL' ).disabled ).toBe( true );
		expect(
			within( settingsCard() ).queryByLabelText( 'Admin token' )
		).toBeNull();
		expect(
			within( settingsCard() ).queryByLabelText( 'Webhook secret' )
		).toBeNull();
		expect(
			within( settingsCard() ).queryByRole( 'button', {
				name: 'Save settings',
			} )
		).toBeNull();
		expect(
			within( settingsCard() ).getByText( /An admin token is saved\./ )
		).toBeTruthy();

		fireEvent.click(
			within( settingsCard() ).getByRole( 'button', {
				name: 'Test connection',
			} )
		);
		expect( await pageNotice( 'Connected to the worker.' ) ).toBeTruthy();
		expect( rest.calls( 'POST', `${ NS }/settings` ) ).toHaveLength( 0 );
	} );
} );
