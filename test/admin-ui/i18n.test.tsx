/**
 * The page's translations: extraction, the --check gate, the files WordPress loads, and the
 * page rendered in Persian and Spanish from those files.
 */

/**
 * External dependencies
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

/**
 * WordPress dependencies
 */
import { setLocaleData } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import {
	ROOT,
	commentProblems,
	createCatalog,
	entryKey,
	extract,
	extractJs,
	extractPhp,
	isScriptEntry,
	jsonFileName,
	loadFragments,
	localeProblems,
	placeholders,
	type JedData,
} from '../../scripts/i18n.mjs';
import { fakeRest } from './support/fake-rest';
import { quietSystem, renderPage } from './support/render-page';

const LOCALES = [ 'es_ES', 'fa_IR' ] as const;
const BUNDLE = path.join( ROOT, 'plugin/build/index.js' );

function jed( locale: string ): JedData {
	const file = path.join( ROOT, 'plugin/languages', jsonFileName( locale ) );
	return JSON.parse( readFileSync( file, 'utf8' ) ) as JedData;
}

function scriptStrings(): string[] {
	return [ ...extract().entries.entries() ]
		.filter( ( [ , entry ] ) => isScriptEntry( entry ) )
		.map( ( [ key ] ) => key );
}

/**
 * Strings of the built bundle: the minifier keeps `(0,x.__)("text","sync-hub")` calls.
 *
 * @param bundle Built JavaScript.
 */
function bundleStrings( bundle: string ): string[] {
	const literal = '"((?:[^"\\\\]|\\\\.)*)"';
	const keys: string[] = [];
	for ( const match of bundle.matchAll(
		new RegExp( `\\.__\\)\\(${ literal },"sync-hub"\\)`, 'g' )
	) ) {
		keys.push( JSON.parse( `"${ match[ 1 ] ?? '' }"` ) as string );
	}
	for ( const match of bundle.matchAll(
		new RegExp( `\\._x\\)\\(${ literal },${ literal },"sync-hub"\\)`, 'g' )
	) ) {
		keys.push(
			entryKey(
				JSON.parse( `"${ match[ 2 ] ?? '' }"` ) as string,
				JSON.parse( `"${ match[ 1 ] ?? '' }"` ) as string
			)
		);
	}
	return keys;
}

describe( 'i18n extraction', () => {
	it( 'reads gettext calls, contexts, plurals and translator comments from TypeScript', () => {
		const catalog = createCatalog();
		extractJs( catalog, 'test/admin-ui/fixtures/i18n-sample.tsx' );
		const get = ( key: string ) => catalog.entries.get( key );

		expect( get( 'Plain string' )?.references ).toEqual( [
			'test/admin-ui/fixtures/i18n-sample.tsx:13',
		] );
		expect( get( 'Queue %s is empty' )?.comments ).toEqual( [
			'translators: %s: a queue name.',
		] );
		expect( get( '%d job' )?.msgid_plural ).toBe( '%d jobs' );
		expect( get( '%d job' )?.comments ).toEqual( [
			'translators: %d: how many jobs.',
		] );
		expect( get( entryKey( 'verb: to send', 'Post' ) )?.msgctxt ).toBe(
			'verb: to send'
		);
		expect( get( 'Template' ) ).toBeDefined();
		// Another text domain is not ours.
		expect( get( 'Core string' ) ).toBeUndefined();
		expect( catalog.issues ).toEqual( [
			"test/admin-ui/fixtures/i18n-sample.tsx:23: no text domain (use 'sync-hub')",
			'test/admin-ui/fixtures/i18n-sample.tsx:24: the msgid must be a literal string',
		] );
		expect( commentProblems( catalog ) ).toEqual( [
			'"Missing %s comment" has placeholders but no translators: comment (test/admin-ui/fixtures/i18n-sample.tsx:25)',
		] );
	} );

	it( 'reads the WordPress gettext functions from PHP', () => {
		const catalog = createCatalog();
		extractPhp( catalog, 'test/admin-ui/fixtures/i18n-sample.php' );
		const keys = [ ...catalog.entries.keys() ];
		expect( keys ).toEqual( [
			'Escaped echo',
			'Order %s was paid',
			entryKey( 'verb: to send', 'Post' ),
			'One row',
			'Namespaced call',
			'Double "quoted"',
		] );
		expect( catalog.entries.get( 'Order %s was paid' )?.comments ).toEqual(
			[ 'translators: %s: order number.' ]
		);
		expect( catalog.entries.get( 'One row' )?.msgid_plural ).toBe(
			'%d rows'
		);
		expect( catalog.issues ).toEqual( [
			"test/admin-ui/fixtures/i18n-sample.php:14: no text domain (use 'sync-hub')",
		] );
	} );

	it( 'finds missing translations and placeholders that do not match', () => {
		const catalog = createCatalog();
		extractJs( catalog, 'test/admin-ui/fixtures/i18n-sample.tsx' );
		const translations = new Map( [
			[
				'Plain string',
				{ msgstr: [ 'Texto' ], fuzzy: false, file: 'x.po' },
			],
			[
				'Queue %s is empty',
				{
					msgstr: [ 'La cola está vacía' ],
					fuzzy: false,
					file: 'x.po',
				},
			],
			[
				'%d job',
				{
					msgstr: [ 'un trabajo', '%d trabajos' ],
					fuzzy: false,
					file: 'x.po',
				},
			],
			[
				'Template',
				{ msgstr: [ 'Plantilla' ], fuzzy: true, file: 'x.po' },
			],
		] );
		const problems = localeProblems( catalog, translations, 'es_ES' );
		expect( problems ).toContain(
			'es_ES: placeholders of "Queue %s is empty" are [1:s] but translation 0 has [] (x.po)'
		);
		expect( problems ).toContain(
			'es_ES: no translation for "Post" (context "verb: to send") (test/admin-ui/fixtures/i18n-sample.tsx:21)'
		);
		expect(
			problems.some( ( problem ) => problem.includes( '"Template"' ) )
		).toBe( true );
		expect(
			problems.some( ( problem ) => problem.includes( '"Plain string"' ) )
		).toBe( false );
		expect(
			problems.some( ( problem ) => problem.includes( '"%d job"' ) )
		).toBe( false );
		expect( placeholders( '%2$s y %1$d, 100%%' ) ).toEqual( [
			'1:d',
			'2:s',
		] );
	} );
} );

describe( 'shipped translations', () => {
	it( 'pass the --check gate: every string translated in es_ES and fa_IR, files up to date', () => {
		const run = spawnSync(
			process.execPath,
			[ 'scripts/i18n.mjs', '--check' ],
			{
				cwd: ROOT,
				encoding: 'utf8',
			}
		);
		expect( run.stderr ).toBe( '' );
		expect( run.status ).toBe( 0 );
		expect( run.stdout ).toMatch(
			/^i18n: \d+ strings, translated for es_ES, fa_IR/
		);
	} );

	it.each( LOCALES )(
		'has consistent %s fragments, at least the page chrome, Overview and PHP',
		( locale ) => {
			const { files, issues } = loadFragments( locale );
			expect( issues ).toEqual( [] );
			const names = files.map( ( file ) => path.basename( file ) );
			for ( const area of [ 'admin', 'overview', 'plugin' ] ) {
				expect( names ).toContain( `${ area }.${ locale }.po` );
			}
		}
	);

	it.each( LOCALES )(
		'names the %s JSON as load_script_textdomain() looks for it',
		( locale ) => {
			const hash = createHash( 'md5' )
				.update( 'build/index.js' )
				.digest( 'hex' );
			expect( jsonFileName( locale ) ).toBe(
				`sync-hub-${ locale }-${ hash }.json`
			);
			const data = jed( locale );
			expect( data.domain ).toBe( 'messages' );
			expect( data.locale_data.messages[ '' ] ).toMatchObject( {
				domain: 'messages',
				lang: locale,
			} );
		}
	);

	it.each( LOCALES )(
		'translates every string of the admin script in %s',
		( locale ) => {
			const messages = jed( locale ).locale_data.messages;
			const keys = scriptStrings();
			expect( keys.length ).toBeGreaterThan( 50 );
			const missing = keys.filter( ( key ) => {
				const value = messages[ key ];
				return (
					! Array.isArray( value ) ||
					value.length === 0 ||
					value.some( ( text ) => text.trim() === '' )
				);
			} );
			expect( missing ).toEqual( [] );
		}
	);

	it.skipIf( ! existsSync( BUNDLE ) ).each( LOCALES )(
		'translates every string found in the built bundle in %s',
		( locale ) => {
			const found = bundleStrings( readFileSync( BUNDLE, 'utf8' ) );
			expect( found.length ).toBeGreaterThan( 50 );
			const messages = jed( locale ).locale_data.messages;
			expect(
				found.filter( ( key ) => ! Array.isArray( messages[ key ] ) )
			).toEqual( [] );
		}
	);
} );

describe( 'the page in other languages', () => {
	function loadLocale( locale: string ) {
		const messages = jed( locale ).locale_data.messages;
		setLocaleData(
			messages as Parameters< typeof setLocaleData >[ 0 ],
			'sync-hub'
		);
		window.syncHubAdmin = {
			namespace: 'sync-hub/v1',
			locale,
			isRtl: locale === 'fa_IR',
		};
	}

	it( 'shows Persian from the shipped fa_IR file, with Persian digits', async () => {
		loadLocale( 'fa_IR' );
		const rest = fakeRest();
		quietSystem( rest );
		renderPage();
		expect( await screen.findByText( 'سالم' ) ).toBeTruthy();
		expect( screen.getByRole( 'tab', { name: 'نمای کلی' } ) ).toBeTruthy();
		expect( screen.getByText( 'سلامت ورکر' ) ).toBeTruthy();
		expect( screen.queryByText( 'Worker health' ) ).toBeNull();
		const bookings = document.querySelector( 'tr[data-queue="bookings"]' );
		expect( bookings?.textContent ).toBe( 'رزروها۲۱۳۰' );
	} );

	it( 'shows Spanish from the shipped es_ES file', async () => {
		loadLocale( 'es_ES' );
		const rest = fakeRest();
		quietSystem( rest );
		renderPage();
		expect( await screen.findByText( 'En buen estado' ) ).toBeTruthy();
		expect( screen.getByText( 'Bandeja de salida' ) ).toBeTruthy();
		expect(
			await screen.findByText( 'No hay entregas fallidas.' )
		).toBeTruthy();
	} );
} );
