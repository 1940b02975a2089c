/**
 * External dependencies
 */
import { describe, expect, it } from 'vitest';

/**
 * Internal dependencies
 */
import {
	parseConnectionTest,
	parseSettings,
	secretsToReenter,
	toRequestBody,
	type Settings,
	type SettingsInput,
} from '../../../admin-ui/src/data/settings';
import { HEALTHY } from '../support/fixtures';

describe( 'settings data', () => {
	it( 'sends blank secrets as absent, so the stored ones stay', () => {
		expect(
			toRequestBody( {
				worker_url: ' http://127.0.0.1:8787 ',
				admin_token: '',
				webhook_secret: '',
			} )
		).toEqual( { worker_url: 'http://127.0.0.1:8787' } );
		expect(
			toRequestBody( {
				worker_url: 'http://w',
				admin_token: 'tok',
				webhook_secret: 'sec',
			} )
		).toEqual( {
			worker_url: 'http://w',
			admin_token: 'tok',
			webhook_secret: 'sec',
		} );
	} );

	it( 'keeps only the flags of secrets even when a server sends their values', () => {
		const settings = parseSettings( {
			worker_url: 'http://w',
			has_admin_token: true,
			has_webhook_secret: false,
			admin_token: 'leaked-token',
		} );
		expect( settings ).toEqual( {
			worker_url: 'http://w',
			has_admin_token: true,
			has_webhook_secret: false,
			can_edit: false,
		} );
	} );

	const saved: Settings = {
		worker_url: 'http://127.0.0.1:8787',
		has_admin_token: true,
		has_webhook_secret: true,
		can_edit: true,
	};
	it.each< [ string, Settings, SettingsInput, string[] ] >( [
		[ 'same URL', saved, { worker_url: 'http://127.0.0.1:8787' }, [] ],
		[
			'same URL, trailing slash and spaces',
			saved,
			{ worker_url: ' http://127.0.0.1:8787/ ' },
			[],
		],
		[
			'new URL, nothing entered',
			saved,
			{
				worker_url: 'http://10.0.0.5:8787',
				admin_token: '',
				webhook_secret: '',
			},
			[ 'admin_token', 'webhook_secret' ],
		],
		[
			'new URL, token entered',
			saved,
			{ worker_url: 'http://10.0.0.5:8787', admin_token: 'tok' },
			[ 'webhook_secret' ],
		],
		[
			'new URL, both entered',
			saved,
			{
				worker_url: 'http://10.0.0.5:8787',
				admin_token: 'tok',
				webhook_secret: 'sec',
			},
			[],
		],
		[
			'new URL, nothing saved yet',
			{ ...saved, has_admin_token: false, has_webhook_secret: false },
			{ worker_url: 'http://10.0.0.5:8787' },
			[],
		],
	] )( 'secrets to enter again: %s', ( _name, settings, input, expected ) => {
		expect( secretsToReenter( settings, input ) ).toEqual( expected );
	} );

	it( 'reads connection test answers in every documented shape', () => {
		expect(
			parseConnectionTest( { ok: true, health: HEALTHY } ).health?.status
		).toBe( 'healthy' );
		expect(
			parseConnectionTest( { ok: false, error: 'Connection refused' } )
				.error
		).toBe( 'Connection refused' );
		expect(
			parseConnectionTest( {
				ok: false,
				error: { code: 'unauthorized', message: 'Bad token' },
			} ).error
		).toBe( 'Bad token' );
		expect( () => parseConnectionTest( { health: HEALTHY } ) ).toThrow();
	} );
} );
