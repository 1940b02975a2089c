/**
 * Output: the template, the .po/.mo per locale for PHP and the Jed JSON for the admin script.
 */

// External dependencies
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Internal dependencies
import { isScriptEntry } from './extract.mjs';
import { DOMAIN, LANGUAGES_DIR, LOCALES, PHP_SOURCES, ROOT, SCRIPT_PATH, mo, po } from './shared.mjs';
import { isTranslated } from './translations.mjs';

function pluginVersion() {
  const main = path.join(ROOT, PHP_SOURCES, 'sync-hub.php');
  if (!existsSync(main)) {
    return '0.0.0';
  }
  return /^[ \t/*#@]*Version:\s*(\S+)/m.exec(readFileSync(main, 'utf8'))?.[1] ?? '0.0.0';
}

function headers(locale) {
  return {
    'Project-Id-Version': `Sync Hub for WooCommerce ${pluginVersion()}`,
    'Report-Msgid-Bugs-To': '',
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=UTF-8',
    'Content-Transfer-Encoding': '8bit',
    Language: locale ?? '',
    'Plural-Forms': locale ? LOCALES[locale] : 'nplurals=INTEGER; plural=EXPRESSION;',
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
function table(catalog, locale, translate) {
  const translations = { '': { '': { msgid: '', msgstr: [''] } } };
  for (const [key, entry] of catalog.entries) {
    const msgstr = translate(key, entry);
    if (msgstr === undefined) {
      continue;
    }
    const context = entry.msgctxt ?? '';
    translations[context] ??= {};
    translations[context][entry.msgid] = {
      ...(entry.msgctxt ? { msgctxt: entry.msgctxt } : {}),
      msgid: entry.msgid,
      ...(entry.msgid_plural ? { msgid_plural: entry.msgid_plural } : {}),
      msgstr,
      comments: {
        ...(entry.comments.length ? { extracted: entry.comments.join('\n') } : {}),
        reference: entry.references.join('\n'),
      },
    };
  }
  const header = Object.entries(headers(locale))
    .map(([name, value]) => `${name}: ${value}\n`)
    .join('');
  translations[''][''].msgstr = [header];
  return { charset: 'utf-8', headers: headers(locale), translations };
}

export function jsonFileName(locale) {
  const hash = createHash('md5').update(SCRIPT_PATH).digest('hex');
  return `${DOMAIN}-${locale}-${hash}.json`;
}

/**
 * The Jed 1.x data WordPress' load_script_textdomain() reads: admin script strings only.
 *
 * @param catalog      Catalogue.
 * @param translations Merged fragments of the locale.
 * @param locale       Locale.
 */
export function jedData(catalog, translations, locale) {
  const messages = {
    '': { domain: 'messages', lang: locale, 'plural-forms': LOCALES[locale] },
  };
  for (const [key, entry] of catalog.entries) {
    const translation = translations.get(key);
    if (isScriptEntry(entry) && isTranslated(entry, translation)) {
      messages[key] = translation.msgstr;
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
export function outputs(catalog, merged) {
  const files = new Map();
  const compileOptions = { foldLength: 0, sort: false };
  files.set(
    `${LANGUAGES_DIR}/${DOMAIN}.pot`,
    po.compile(
      table(catalog, undefined, (_key, entry) => (entry.msgid_plural ? ['', ''] : [''])),
      compileOptions,
    ),
  );
  for (const locale of Object.keys(LOCALES)) {
    const { translations } = merged[locale];
    const translated = (key, entry) => {
      const translation = translations.get(key);
      return isTranslated(entry, translation) ? translation.msgstr : undefined;
    };
    files.set(
      `${LANGUAGES_DIR}/${DOMAIN}-${locale}.po`,
      po.compile(
        table(catalog, locale, (key, entry) => translated(key, entry) ?? (entry.msgid_plural ? ['', ''] : [''])),
        compileOptions,
      ),
    );
    // Untranslated entries are left out: an empty msgstr in a .mo would print as empty text.
    files.set(`${LANGUAGES_DIR}/${DOMAIN}-${locale}.mo`, mo.compile(table(catalog, locale, translated)));
    files.set(`${LANGUAGES_DIR}/${jsonFileName(locale)}`, Buffer.from(`${JSON.stringify(jedData(catalog, translations, locale), null, '\t')}\n`));
  }
  for (const [name, content] of files) {
    files.set(name, Buffer.isBuffer(content) ? content : Buffer.from(content));
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
export function staleFiles(files, ignoreSources = false) {
  const comparable = (name, content) =>
    ignoreSources && /\.pot?$/.test(name)
      ? content
          .toString('utf8')
          .split('\n')
          .filter((line) => !line.startsWith('#:'))
          .join('\n')
      : content;
  return [...files]
    .filter(([name, content]) => {
      const absolute = path.join(ROOT, name);
      if (!existsSync(absolute)) {
        return true;
      }
      const current = comparable(name, readFileSync(absolute));
      const next = comparable(name, content);
      return Buffer.isBuffer(next) ? !next.equals(current) : next !== current;
    })
    .map(([name]) => name);
}

export function obsolete(catalog, merged) {
  const notes = [];
  for (const [locale, { translations }] of Object.entries(merged)) {
    for (const [key, translation] of translations) {
      if (!catalog.entries.has(key)) {
        notes.push(`${locale}: "${key.replace('\u0004', ' | ')}" in ${translation.file} is no longer used`);
      }
    }
  }
  return notes;
}
