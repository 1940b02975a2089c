/**
 * Translations of the plugin (text domain `sync-hub`), see docs/architecture.md → i18n.
 *
 *   node scripts/i18n.mjs          extract the strings of admin-ui/src and plugin/ into
 *                                  plugin/languages/sync-hub.pot, merge the fragments
 *                                  plugin/languages/po/<area>.<locale>.po into
 *                                  sync-hub-<locale>.po/.mo (PHP) and the Jed JSON
 *                                  sync-hub-<locale>-<md5("build/index.js")>.json (admin script)
 *   node scripts/i18n.mjs --check  write nothing; exit 1 when a string has no translation in a
 *                                  locale, a translation's placeholders differ from its source,
 *                                  a call cannot be extracted, or the generated files are stale
 *
 * The functions are exported for the tests (test/admin-ui/i18n.test.ts).
 */

// External dependencies
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve( path.dirname( fileURLToPath( import.meta.url ) ), '..' );
export const DOMAIN = 'sync-hub';
/** The admin script, relative to the plugin folder, as load_script_textdomain() hashes it. */
export const SCRIPT_PATH = 'build/index.js';
export const LOCALES = {
	es_ES: 'nplurals=2; plural=n != 1;',
	fa_IR: 'nplurals=2; plural=(n > 1);',
};
const LANGUAGES_DIR = 'plugin/languages';
const FRAGMENTS_DIR = 'plugin/languages/po';
const JS_SOURCES = 'admin-ui/src';
const PHP_SOURCES = 'plugin';
const PHP_SKIP = new Set( [ 'build', 'languages', 'node_modules', 'vendor' ] );

// Libraries are dependencies of the admin-ui workspace; resolve them from there.
const requireFromAdminUi = createRequire( path.join( ROOT, 'admin-ui', 'package.json' ) );
const ts = requireFromAdminUi( 'typescript' );
const { Engine: PhpEngine } = requireFromAdminUi( 'php-parser' );
const { po, mo } = await import(
	pathToFileURL( requireFromAdminUi.resolve( 'gettext-parser' ) ).href
);

/**
 * Where msgid, plural, context and domain sit in each gettext function's arguments.
 * JS (@wordpress/i18n) and PHP (WordPress) share the names that exist in both.
 */
const JS_FUNCTIONS = {
	__: { msgid: 0, domain: 1 },
	_x: { msgid: 0, context: 1, domain: 2 },
	_n: { msgid: 0, plural: 1, domain: 3 },
	_nx: { msgid: 0, plural: 1, context: 3, domain: 4 },
};
const PHP_FUNCTIONS = {
	__: { msgid: 0, domain: 1 },
	_e: { msgid: 0, domain: 1 },
	esc_html__: { msgid: 0, domain: 1 },
	esc_html_e: { msgid: 0, domain: 1 },
	esc_attr__: { msgid: 0, domain: 1 },
	esc_attr_e: { msgid: 0, domain: 1 },
	_x: { msgid: 0, context: 1, domain: 2 },
	_ex: { msgid: 0, context: 1, domain: 2 },
	esc_html_x: { msgid: 0, context: 1, domain: 2 },
	esc_attr_x: { msgid: 0, context: 1, domain: 2 },
	_n: { msgid: 0, plural: 1, domain: 3 },
	_nx: { msgid: 0, plural: 1, context: 3, domain: 4 },
	_n_noop: { msgid: 0, plural: 1, domain: 2 },
	_nx_noop: { msgid: 0, plural: 1, context: 2, domain: 3 },
};
const PLUGIN_HEADERS = [ 'Plugin Name', 'Description' ];

// ── Extraction ──────────────────────────────────────────────────────────────────────────────

function listFiles( dir, accept, skip = new Set() ) {
	const absolute = path.join( ROOT, dir );
	if ( ! existsSync( absolute ) ) {
		return [];
	}
	const found = [];
	for ( const entry of readdirSync( absolute, { withFileTypes: true } ) ) {
		const relative = `${ dir }/${ entry.name }`;
		if ( entry.isDirectory() ) {
			if ( ! skip.has( entry.name ) ) {
				found.push( ...listFiles( relative, accept, skip ) );
			}
		} else if ( accept( entry.name ) ) {
			found.push( relative );
		}
	}
	return found.sort();
}

export function entryKey( msgctxt, msgid ) {
	return msgctxt ? `${ msgctxt }\u0004${ msgid }` : msgid;
}

/**
 * A catalogue being built: key → { msgctxt, msgid, msgid_plural, references[], comments[] }.
 */
class Catalog {
	constructor() {
		this.entries = new Map();
		this.issues = [];
	}

	add( { msgctxt, msgid, plural, reference, comment } ) {
		const key = entryKey( msgctxt, msgid );
		let entry = this.entries.get( key );
		if ( ! entry ) {
			entry = { msgctxt, msgid, msgid_plural: plural, references: [], comments: [] };
			this.entries.set( key, entry );
		}
		if ( plural && ! entry.msgid_plural ) {
			entry.msgid_plural = plural;
		}
		if ( ! entry.references.includes( reference ) ) {
			entry.references.push( reference );
		}
		if ( comment && ! entry.comments.includes( comment ) ) {
			entry.comments.push( comment );
		}
	}

	issue( reference, message ) {
		this.issues.push( `${ reference }: ${ message }` );
	}
}

export function createCatalog() {
	return new Catalog();
}

function cleanComment( raw ) {
	return raw
		.replace( /^\/\*+|\*+\/$/g, '' )
		.replace( /^\/\/+/, '' )
		.split( '\n' )
		.map( ( line ) => line.replace( /^\s*\*\s?/, '' ).trim() )
		.filter( Boolean )
		.join( ' ' )
		.trim();
}

/**
 * Records one gettext call whose arguments were already read as literal strings (or null).
 *
 * @param catalog   Catalogue.
 * @param spec      Argument positions.
 * @param args      Literal values by position; null where not a literal.
 * @param reference `file:line`.
 * @param comment   Translator comment, if any.
 */
function record( catalog, spec, args, reference, comment ) {
	const domain = args[ spec.domain ];
	if ( domain === undefined ) {
		catalog.issue( reference, `no text domain (use '${ DOMAIN }')` );
		return;
	}
	if ( domain === null ) {
		catalog.issue( reference, 'the text domain must be a literal string' );
		return;
	}
	if ( domain !== DOMAIN ) {
		return; // Another domain (e.g. WordPress core's 'default'): not ours to translate.
	}
	for ( const part of [ 'msgid', 'plural', 'context' ] ) {
		if ( spec[ part ] !== undefined && typeof args[ spec[ part ] ] !== 'string' ) {
			catalog.issue( reference, `the ${ part } must be a literal string` );
			return;
		}
	}
	const msgid = args[ spec.msgid ];
	if ( msgid === '' ) {
		catalog.issue( reference, 'empty msgid' );
		return;
	}
	catalog.add( {
		msgctxt: spec.context === undefined ? undefined : args[ spec.context ],
		msgid,
		plural: spec.plural === undefined ? undefined : args[ spec.plural ],
		reference,
		comment,
	} );
}

function jsCallee( expression ) {
	if ( ts.isIdentifier( expression ) ) {
		return expression.text;
	}
	if ( ts.isPropertyAccessExpression( expression ) ) {
		return expression.name.text;
	}
	return undefined;
}

/**
 * The nearest `translators:` comment before the call or before the expressions around it,
 * up to the statement that holds it.
 *
 * @param node The call.
 * @param text Source text.
 */
function jsTranslatorComment( node, text ) {
	for ( let current = node; current && ! ts.isSourceFile( current ); current = current.parent ) {
		const ranges = ts.getLeadingCommentRanges( text, current.getFullStart() ) ?? [];
		const found = ranges
			.map( ( range ) => text.slice( range.pos, range.end ) )
			.filter( ( comment ) => /translators:/i.test( comment ) );
		if ( found.length > 0 ) {
			return cleanComment( found[ found.length - 1 ] );
		}
		if ( ts.isStatement( current ) || ts.isJsxElement( current ) || ts.isJsxSelfClosingElement( current ) ) {
			return undefined;
		}
	}
	return undefined;
}

export function extractJs( catalog, file ) {
	const text = readFileSync( path.join( ROOT, file ), 'utf8' );
	const source = ts.createSourceFile(
		file,
		text,
		ts.ScriptTarget.Latest,
		true,
		file.endsWith( 'x' ) ? ts.ScriptKind.TSX : ts.ScriptKind.TS
	);
	const visit = ( node ) => {
		if ( ts.isCallExpression( node ) ) {
			const name = jsCallee( node.expression );
			const spec = name !== undefined && Object.hasOwn( JS_FUNCTIONS, name ) ? JS_FUNCTIONS[ name ] : undefined;
			if ( spec ) {
				const args = node.arguments.map( ( arg ) =>
					ts.isStringLiteral( arg ) || ts.isNoSubstitutionTemplateLiteral( arg ) ? arg.text : null
				);
				const line = source.getLineAndCharacterOfPosition( node.getStart() ).line + 1;
				record( catalog, spec, args, `${ file }:${ line }`, jsTranslatorComment( node, text ) );
			}
		}
		ts.forEachChild( node, visit );
	};
	visit( source );
}

function phpTranslatorComment( comments, call ) {
	const line = call.loc.start.line;
	const candidates = comments.filter(
		( comment ) =>
			/translators:/i.test( comment.value ) &&
			comment.loc.end.offset <= call.loc.start.offset &&
			comment.loc.end.line >= line - 1
	);
	const nearest = candidates[ candidates.length - 1 ];
	return nearest ? cleanComment( nearest.value ) : undefined;
}

function walkPhp( node, visit ) {
	if ( Array.isArray( node ) ) {
		node.forEach( ( child ) => walkPhp( child, visit ) );
		return;
	}
	if ( ! node || typeof node !== 'object' ) {
		return;
	}
	if ( typeof node.kind === 'string' ) {
		visit( node );
	}
	for ( const [ name, value ] of Object.entries( node ) ) {
		if ( name !== 'loc' && name !== 'leadingComments' && name !== 'trailingComments' ) {
			walkPhp( value, visit );
		}
	}
}

export function extractPhp( catalog, file ) {
	const text = readFileSync( path.join( ROOT, file ), 'utf8' );
	const engine = new PhpEngine( {
		parser: { extractDoc: true, php8: true },
		ast: { withPositions: true },
	} );
	let program;
	try {
		program = engine.parseCode( text, file );
	} catch ( error ) {
		catalog.issue( file, `cannot be parsed: ${ error.message }` );
		return;
	}
	const comments = ( program.comments ?? [] ).slice().sort( ( a, b ) => a.loc.start.offset - b.loc.start.offset );
	walkPhp( program.children, ( node ) => {
		if ( node.kind !== 'call' || node.what?.kind !== 'name' ) {
			return;
		}
		const name = String( node.what.name ).replace( /^\\/, '' );
		const spec = Object.hasOwn( PHP_FUNCTIONS, name ) ? PHP_FUNCTIONS[ name ] : undefined;
		if ( ! spec ) {
			return;
		}
		const args = node.arguments.map( ( arg ) => ( arg.kind === 'string' ? arg.value : null ) );
		record( catalog, spec, args, `${ file }:${ node.loc.start.line }`, phpTranslatorComment( comments, node ) );
	} );
	if ( file === `${ PHP_SOURCES }/sync-hub.php` ) {
		extractPluginHeaders( catalog, file, text );
	}
}

function extractPluginHeaders( catalog, file, text ) {
	const header = text.slice( 0, 8192 );
	for ( const name of PLUGIN_HEADERS ) {
		const match = new RegExp( `^[ \\t/*#@]*${ name }:(.*)$`, 'mi' ).exec( header );
		const value = match?.[ 1 ]?.trim();
		if ( value ) {
			catalog.add( {
				msgid: value,
				reference: file,
				comment: `${ name } of the plugin`,
			} );
		}
	}
}

/**
 * Every translatable string of the admin page and the plugin.
 *
 * @return {{ entries: Map, issues: string[] }} The catalogue.
 */
export function extract() {
	const catalog = new Catalog();
	for ( const file of listFiles( JS_SOURCES, ( name ) => /\.tsx?$/.test( name ) && ! name.endsWith( '.d.ts' ) ) ) {
		extractJs( catalog, file );
	}
	for ( const file of listFiles( PHP_SOURCES, ( name ) => name.endsWith( '.php' ), PHP_SKIP ) ) {
		extractPhp( catalog, file );
	}
	return catalog;
}

/**
 * House style: every string with placeholders explains them to translators.
 *
 * @param catalog Catalogue.
 * @return {string[]} Problems.
 */
export function commentProblems( catalog ) {
	return [ ...catalog.entries.values() ]
		.filter(
			( entry ) =>
				( placeholders( entry.msgid ).length > 0 || placeholders( entry.msgid_plural ?? '' ).length > 0 ) &&
				! entry.comments.some( ( comment ) => /translators:/i.test( comment ) )
		)
		.map( ( entry ) => `"${ entry.msgid }" has placeholders but no translators: comment (${ entry.references[ 0 ] })` );
}

export function isScriptEntry( entry ) {
	return entry.references.some( ( reference ) => reference.startsWith( `${ JS_SOURCES }/` ) );
}

// ── Fragments and checks ────────────────────────────────────────────────────────────────────

/**
 * The translations of one locale from every fragment `po/<area>.<locale>.po`.
 *
 * @param locale Locale.
 * @return {{ translations: Map<string, { msgstr: string[], fuzzy: boolean, file: string }>, issues: string[], files: string[] }}
 */
export function loadFragments( locale ) {
	const translations = new Map();
	const issues = [];
	const files = listFiles( FRAGMENTS_DIR, ( name ) => name.endsWith( `.${ locale }.po` ) );
	for ( const file of files ) {
		const parsed = po.parse( readFileSync( path.join( ROOT, file ) ) );
		const pluralForms = parsed.headers[ 'Plural-Forms' ];
		if ( pluralForms && pluralForms !== LOCALES[ locale ] ) {
			issues.push( `${ file }: Plural-Forms "${ pluralForms }" differs from "${ LOCALES[ locale ] }"` );
		}
		for ( const [ context, messages ] of Object.entries( parsed.translations ) ) {
			for ( const [ msgid, message ] of Object.entries( messages ) ) {
				if ( msgid === '' ) {
					continue;
				}
				const key = entryKey( context, msgid );
				const fuzzy = /\bfuzzy\b/.test( message.comments?.flag ?? '' );
				const known = translations.get( key );
				if ( known && known.msgstr.join( '\0' ) !== message.msgstr.join( '\0' ) ) {
					issues.push( `${ file }: "${ msgid }" is also translated, differently, in ${ known.file }` );
					continue;
				}
				translations.set( key, { msgstr: message.msgstr, fuzzy, file } );
			}
		}
	}
	return { translations, issues, files };
}

const PLACEHOLDER = /%(?:(\d+)\$)?[-+ 0#']*\d*(?:\.\d+)?([bcdeEfFgGosuxX%])/g;

/**
 * The printf placeholders of a string, as sorted `position:type` items (`%%` excluded).
 *
 * @param text Format string.
 */
export function placeholders( text ) {
	const found = [];
	let next = 1;
	for ( const match of text.matchAll( PLACEHOLDER ) ) {
		if ( match[ 2 ] === '%' ) {
			continue;
		}
		const position = match[ 1 ] ? Number( match[ 1 ] ) : next++;
		found.push( `${ position }:${ match[ 2 ] === 'i' ? 'd' : match[ 2 ] }` );
	}
	return found.sort();
}

function isTranslated( entry, translation ) {
	if ( ! translation || translation.fuzzy ) {
		return false;
	}
	const forms = entry.msgid_plural ? 2 : 1;
	return translation.msgstr.length >= forms && translation.msgstr.slice( 0, forms ).every( ( text ) => text.trim() !== '' );
}

/**
 * What is wrong with one locale: missing or fuzzy translations, placeholders that differ.
 *
 * @param catalog      Extracted catalogue.
 * @param translations Merged fragments of the locale.
 * @param locale       Locale.
 * @return {string[]} Problems.
 */
export function localeProblems( catalog, translations, locale ) {
	const problems = [];
	for ( const [ key, entry ] of catalog.entries ) {
		const translation = translations.get( key );
		const where = entry.references[ 0 ];
		const label = entry.msgctxt ? `"${ entry.msgid }" (context "${ entry.msgctxt }")` : `"${ entry.msgid }"`;
		if ( ! isTranslated( entry, translation ) ) {
			problems.push( `${ locale }: no translation for ${ label } (${ where })` );
			continue;
		}
		const expected = placeholders( entry.msgid ).join( ' ' );
		const allowed = new Set( [ expected ] );
		if ( entry.msgid_plural ) {
			// A plural form may leave out the number itself ("un elemento"); the others must stay.
			for ( const source of [ entry.msgid, entry.msgid_plural ] ) {
				const items = placeholders( source );
				allowed.add( items.join( ' ' ) );
				items.forEach( ( item, at ) => {
					if ( item.endsWith( ':d' ) ) {
						allowed.add( items.filter( ( _other, index ) => index !== at ).join( ' ' ) );
					}
				} );
			}
		}
		translation.msgstr.forEach( ( text, index ) => {
			const actual = placeholders( text ).join( ' ' );
			if ( ! allowed.has( actual ) ) {
				problems.push(
					`${ locale }: placeholders of ${ label } are [${ expected }] but translation ${ index } has [${ actual }] (${ translation.file })`
				);
			}
		} );
	}
	return problems;
}

// ── Output ──────────────────────────────────────────────────────────────────────────────────

function pluginVersion() {
	const main = path.join( ROOT, PHP_SOURCES, 'sync-hub.php' );
	if ( ! existsSync( main ) ) {
		return '0.0.0';
	}
	return /^[ \t/*#@]*Version:\s*(\S+)/m.exec( readFileSync( main, 'utf8' ) )?.[ 1 ] ?? '0.0.0';
}

function headers( locale ) {
	return {
		'Project-Id-Version': `Sync Hub for WooCommerce ${ pluginVersion() }`,
		'Report-Msgid-Bugs-To': '',
		'MIME-Version': '1.0',
		'Content-Type': 'text/plain; charset=UTF-8',
		'Content-Transfer-Encoding': '8bit',
		Language: locale ?? '',
		'Plural-Forms': locale ? LOCALES[ locale ] : 'nplurals=INTEGER; plural=EXPRESSION;',
		'X-Domain': DOMAIN,
		'X-Generator': 'scripts/i18n.mjs',
	};
}

/**
 * A gettext-parser table of the catalogue, with msgstr from `translate(key, entry)`.
 *
 * @param catalog   Catalogue.
 * @param locale    Locale, or undefined for the template.
 * @param translate Gives the msgstr array of an entry, or undefined to leave the entry out.
 */
function table( catalog, locale, translate ) {
	const translations = { '': { '': { msgid: '', msgstr: [ '' ] } } };
	for ( const [ key, entry ] of catalog.entries ) {
		const msgstr = translate( key, entry );
		if ( msgstr === undefined ) {
			continue;
		}
		const context = entry.msgctxt ?? '';
		translations[ context ] ??= {};
		translations[ context ][ entry.msgid ] = {
			...( entry.msgctxt ? { msgctxt: entry.msgctxt } : {} ),
			msgid: entry.msgid,
			...( entry.msgid_plural ? { msgid_plural: entry.msgid_plural } : {} ),
			msgstr,
			comments: {
				...( entry.comments.length ? { extracted: entry.comments.join( '\n' ) } : {} ),
				reference: entry.references.join( '\n' ),
			},
		};
	}
	const header = Object.entries( headers( locale ) )
		.map( ( [ name, value ] ) => `${ name }: ${ value }\n` )
		.join( '' );
	translations[ '' ][ '' ].msgstr = [ header ];
	return { charset: 'utf-8', headers: headers( locale ), translations };
}

export function jsonFileName( locale ) {
	const hash = createHash( 'md5' ).update( SCRIPT_PATH ).digest( 'hex' );
	return `${ DOMAIN }-${ locale }-${ hash }.json`;
}

/**
 * The Jed 1.x data WordPress' load_script_textdomain() reads: admin script strings only.
 *
 * @param catalog      Catalogue.
 * @param translations Merged fragments of the locale.
 * @param locale       Locale.
 */
export function jedData( catalog, translations, locale ) {
	const messages = {
		'': { domain: 'messages', lang: locale, 'plural-forms': LOCALES[ locale ] },
	};
	for ( const [ key, entry ] of catalog.entries ) {
		const translation = translations.get( key );
		if ( isScriptEntry( entry ) && isTranslated( entry, translation ) ) {
			messages[ key ] = translation.msgstr;
		}
	}
	return {
		'translation-revision-date': '',
		generator: 'scripts/i18n.mjs',
		domain: 'messages',
		locale_data: { messages },
	};
}

/**
 * Every generated file, path → content.
 *
 * @param catalog Catalogue.
 * @param merged  Locale → merged fragments.
 * @return {Map<string, Buffer>} Outputs.
 */
export function outputs( catalog, merged ) {
	const files = new Map();
	const compileOptions = { foldLength: 0, sort: false };
	files.set(
		`${ LANGUAGES_DIR }/${ DOMAIN }.pot`,
		po.compile( table( catalog, undefined, ( _key, entry ) => ( entry.msgid_plural ? [ '', '' ] : [ '' ] ) ), compileOptions )
	);
	for ( const locale of Object.keys( LOCALES ) ) {
		const { translations } = merged[ locale ];
		const translated = ( key, entry ) => {
			const translation = translations.get( key );
			return isTranslated( entry, translation ) ? translation.msgstr : undefined;
		};
		files.set(
			`${ LANGUAGES_DIR }/${ DOMAIN }-${ locale }.po`,
			po.compile(
				table( catalog, locale, ( key, entry ) => translated( key, entry ) ?? ( entry.msgid_plural ? [ '', '' ] : [ '' ] ) ),
				compileOptions
			)
		);
		// Untranslated entries are left out: an empty msgstr in a .mo would print as empty text.
		files.set( `${ LANGUAGES_DIR }/${ DOMAIN }-${ locale }.mo`, mo.compile( table( catalog, locale, translated ) ) );
		files.set(
			`${ LANGUAGES_DIR }/${ jsonFileName( locale ) }`,
			Buffer.from( `${ JSON.stringify( jedData( catalog, translations, locale ), null, '\t' ) }\n` )
		);
	}
	for ( const [ name, content ] of files ) {
		files.set( name, Buffer.isBuffer( content ) ? content : Buffer.from( content ) );
	}
	return files;
}

/**
 * Generated files whose content on disk differs from what would be written now.
 *
 * @param files         Outputs.
 * @param ignoreSources Compare .po/.pot without their `#:` source references, which move with
 *                      every edit of the code (the build rewrites them anyway).
 */
function staleFiles( files, ignoreSources = false ) {
	const comparable = ( name, content ) =>
		ignoreSources && /\.pot?$/.test( name )
			? content
					.toString( 'utf8' )
					.split( '\n' )
					.filter( ( line ) => ! line.startsWith( '#:' ) )
					.join( '\n' )
			: content;
	return [ ...files ]
		.filter( ( [ name, content ] ) => {
			const absolute = path.join( ROOT, name );
			if ( ! existsSync( absolute ) ) {
				return true;
			}
			const current = comparable( name, readFileSync( absolute ) );
			const next = comparable( name, content );
			return Buffer.isBuffer( next ) ? ! next.equals( current ) : next !== current;
		} )
		.map( ( [ name ] ) => name );
}

function obsolete( catalog, merged ) {
	const notes = [];
	for ( const [ locale, { translations } ] of Object.entries( merged ) ) {
		for ( const [ key, translation ] of translations ) {
			if ( ! catalog.entries.has( key ) ) {
				notes.push( `${ locale }: "${ key.replace( '\u0004', ' | ' ) }" in ${ translation.file } is no longer used` );
			}
		}
	}
	return notes;
}

// ── CLI ─────────────────────────────────────────────────────────────────────────────────────

function main( argv ) {
	const check = argv.includes( '--check' );
	const catalog = extract();
	const merged = Object.fromEntries( Object.keys( LOCALES ).map( ( locale ) => [ locale, loadFragments( locale ) ] ) );
	const files = outputs( catalog, merged );

	const problems = [ ...catalog.issues, ...commentProblems( catalog ) ];
	for ( const [ locale, fragments ] of Object.entries( merged ) ) {
		if ( fragments.files.length === 0 ) {
			problems.push( `${ locale }: no fragment ${ FRAGMENTS_DIR }/<area>.${ locale }.po` );
		}
		problems.push( ...fragments.issues, ...localeProblems( catalog, fragments.translations, locale ) );
	}
	for ( const note of obsolete( catalog, merged ) ) {
		process.stderr.write( `i18n: note: ${ note }\n` );
	}

	if ( check ) {
		const stale = staleFiles( files, true );
		if ( stale.length > 0 ) {
			problems.push( `generated files are out of date (run: node scripts/i18n.mjs): ${ stale.join( ', ' ) }` );
		}
		for ( const problem of problems ) {
			process.stderr.write( `i18n: ${ problem }\n` );
		}
		const count = catalog.entries.size;
		if ( problems.length > 0 ) {
			process.stderr.write( `i18n: ${ problems.length } problem(s) in ${ count } strings\n` );
			return 1;
		}
		process.stdout.write( `i18n: ${ count } strings, translated for ${ Object.keys( LOCALES ).join( ', ' ) }\n` );
		return 0;
	}

	const written = staleFiles( files );
	for ( const name of written ) {
		writeFileSync( path.join( ROOT, name ), files.get( name ) );
	}
	for ( const problem of problems ) {
		process.stderr.write( `i18n: warning: ${ problem }\n` );
	}
	process.stdout.write(
		`i18n: ${ catalog.entries.size } strings; ${ written.length ? `wrote ${ written.join( ', ' ) }` : 'nothing changed' }\n`
	);
	return 0;
}

if ( process.argv[ 1 ] && import.meta.url === pathToFileURL( path.resolve( process.argv[ 1 ] ) ).href ) {
	process.exitCode = main( process.argv.slice( 2 ) );
}
