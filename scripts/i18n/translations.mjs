/**
 * Translations: the fragments `plugin/languages/po/<area>.<locale>.po`, merged per locale, and
 * what is wrong with them.
 */

// External dependencies
import { readFileSync } from 'node:fs';
import path from 'node:path';

// Internal dependencies
import { FRAGMENTS_DIR, LOCALES, ROOT, entryKey, listFiles, po } from './shared.mjs';

/**
 * The translations of one locale from every fragment `po/<area>.<locale>.po`.
 *
 * @param locale Locale.
 * @return {{ translations: Map<string, { msgstr: string[], fuzzy: boolean, file: string }>, issues: string[], files: string[] }}
 */
export function loadFragments(locale) {
  const translations = new Map();
  const issues = [];
  const files = listFiles(FRAGMENTS_DIR, (name) => name.endsWith(`.${locale}.po`));
  for (const file of files) {
    const parsed = po.parse(readFileSync(path.join(ROOT, file)));
    const pluralForms = parsed.headers['Plural-Forms'];
    if (pluralForms && pluralForms !== LOCALES[locale]) {
      issues.push(`${file}: Plural-Forms "${pluralForms}" differs from "${LOCALES[locale]}"`);
    }
    for (const [context, messages] of Object.entries(parsed.translations)) {
      for (const [msgid, message] of Object.entries(messages)) {
        if (msgid === '') {
          continue;
        }
        const key = entryKey(context, msgid);
        const fuzzy = /\bfuzzy\b/.test(message.comments?.flag ?? '');
        const known = translations.get(key);
        if (known && known.msgstr.join('\0') !== message.msgstr.join('\0')) {
          issues.push(`${file}: "${msgid}" is also translated, differently, in ${known.file}`);
          continue;
        }
        translations.set(key, { msgstr: message.msgstr, fuzzy, file });
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
export function placeholders(text) {
  const found = [];
  let next = 1;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match[2] === '%') {
      continue;
    }
    const position = match[1] ? Number(match[1]) : next++;
    found.push(`${position}:${match[2] === 'i' ? 'd' : match[2]}`);
  }
  return found.sort();
}

export function isTranslated(entry, translation) {
  if (!translation || translation.fuzzy) {
    return false;
  }
  const forms = entry.msgid_plural ? 2 : 1;
  return translation.msgstr.length >= forms && translation.msgstr.slice(0, forms).every((text) => text.trim() !== '');
}

/**
 * What is wrong with one locale: missing or fuzzy translations, placeholders that differ.
 *
 * @param catalog      Extracted catalogue.
 * @param translations Merged fragments of the locale.
 * @param locale       Locale.
 * @return {string[]} Problems.
 */
export function localeProblems(catalog, translations, locale) {
  const problems = [];
  for (const [key, entry] of catalog.entries) {
    const translation = translations.get(key);
    const where = entry.references[0];
    const label = entry.msgctxt ? `"${entry.msgid}" (context "${entry.msgctxt}")` : `"${entry.msgid}"`;
    if (!isTranslated(entry, translation)) {
      problems.push(`${locale}: no translation for ${label} (${where})`);
      continue;
    }
    const expected = placeholders(entry.msgid).join(' ');
    const allowed = new Set([expected]);
    if (entry.msgid_plural) {
      // A plural form may leave out the number itself ("un elemento"); the others must stay.
      for (const source of [entry.msgid, entry.msgid_plural]) {
        const items = placeholders(source);
        allowed.add(items.join(' '));
        items.forEach((item, at) => {
          if (item.endsWith(':d')) {
            allowed.add(items.filter((_other, index) => index !== at).join(' '));
          }
        });
      }
    }
    translation.msgstr.forEach((text, index) => {
      const actual = placeholders(text).join(' ');
      if (!allowed.has(actual)) {
        problems.push(`${locale}: placeholders of ${label} are [${expected}] but translation ${index} has [${actual}] (${translation.file})`);
      }
    });
  }
  return problems;
}
