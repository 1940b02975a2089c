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
	toRequestBody,
} from '../../../admin-ui/src/data/settings';
import { HEALTHY } from '../support/fixtures';

describe( 'settings data', () => {
	it( 'sends blank secrets as absent, so the stored ones stay', () => {
		expect(
			toRequestBody( { worker_url: ' http://127.0.0.1:8787 ', admin_token: '', webhook_secret: '' } )
		).toEqual( { worker_url: 'http://127.0.0.1:8787' } );
		expect(
			toRequestBody( { worker_url: 'http://w', admin_token: 'tok', webhook_secret: 'sec' } )
		).toEqual( { worker_url: 'http://w', admin_token: 'tok', webhook_secret: 'sec' } );
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
		} );
	} );

	it( 'reads connection test answers in every documented shape', () => {
		expect( parseConnectionTest( { ok: true, health: HEALTHY } ).health?.status ).toBe( 'healthy' );
		expect( parseConnectionTest( { ok: false, error: 'Connection refused' } ).error ).toBe(
			'Connection refused'
		);
		expect(
			parseConnectionTest( { ok: false, error: { code: 'unauthorized', message: 'Bad token' } } ).error
		).toBe( 'Bad token' );
		expect( () => parseConnectionTest( { health: HEALTHY } ) ).toThrow();
	} );
} );
