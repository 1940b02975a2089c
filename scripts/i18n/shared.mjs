/**
 * What the i18n modules share: paths, the text domain, locales, and the libraries (resolved
 * from the admin-ui workspace, whose dependencies they are).
 */

// External dependencies
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DOMAIN = 'sync-hub';
/** The admin script, relative to the plugin folder, as load_script_textdomain() hashes it. */
export const SCRIPT_PATH = 'build/index.js';
export const LOCALES = {
  es_ES: 'nplurals=2; plural=n != 1;',
  fa_IR: 'nplurals=2; plural=(n > 1);',
};
export const LANGUAGES_DIR = 'plugin/languages';
export const FRAGMENTS_DIR = 'plugin/languages/po';
export const JS_SOURCES = 'admin-ui/src';
export const PHP_SOURCES = 'plugin';

const requireFromAdminUi = createRequire(path.join(ROOT, 'admin-ui', 'package.json'));
export const ts = requireFromAdminUi('typescript');
export const { Engine: PhpEngine } = requireFromAdminUi('php-parser');
export const { po, mo } = await import(pathToFileURL(requireFromAdminUi.resolve('gettext-parser')).href);

/**
 * Files below `dir` (relative to ROOT) whose name passes `accept`, sorted.
 *
 * @param dir    Folder, relative to ROOT.
 * @param accept Test on the file name.
 * @param skip   Folder names not entered.
 * @return {string[]} Paths relative to ROOT.
 */
export function listFiles(dir, accept, skip = new Set()) {
  const absolute = path.join(ROOT, dir);
  if (!existsSync(absolute)) {
    return [];
  }
  const found = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!skip.has(entry.name)) {
        found.push(...listFiles(relative, accept, skip));
      }
    } else if (accept(entry.name)) {
      found.push(relative);
    }
  }
  return found.sort();
}

export function entryKey(msgctxt, msgid) {
  return msgctxt ? `${msgctxt}\u0004${msgid}` : msgid;
}
