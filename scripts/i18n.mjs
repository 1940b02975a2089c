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
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Internal dependencies
import { commentProblems, extract } from './i18n/extract.mjs';
import { obsolete, outputs, staleFiles } from './i18n/output.mjs';
import { FRAGMENTS_DIR, LOCALES, ROOT } from './i18n/shared.mjs';
import { loadFragments, localeProblems } from './i18n/translations.mjs';

export { commentProblems, createCatalog, extract, extractJs, extractPhp, isScriptEntry } from './i18n/extract.mjs';
export { jedData, jsonFileName, outputs } from './i18n/output.mjs';
export { DOMAIN, LOCALES, ROOT, SCRIPT_PATH, entryKey } from './i18n/shared.mjs';
export { loadFragments, localeProblems, placeholders } from './i18n/translations.mjs';

function main(argv) {
  const check = argv.includes('--check');
  const catalog = extract();
  const merged = Object.fromEntries(Object.keys(LOCALES).map((locale) => [locale, loadFragments(locale)]));
  const files = outputs(catalog, merged);

  const problems = [...catalog.issues, ...commentProblems(catalog)];
  for (const [locale, fragments] of Object.entries(merged)) {
    if (fragments.files.length === 0) {
      problems.push(`${locale}: no fragment ${FRAGMENTS_DIR}/<area>.${locale}.po`);
    }
    problems.push(...fragments.issues, ...localeProblems(catalog, fragments.translations, locale));
  }
  for (const note of obsolete(catalog, merged)) {
    process.stderr.write(`i18n: note: ${note}\n`);
  }

  if (check) {
    const stale = staleFiles(files, true);
    if (stale.length > 0) {
      problems.push(`generated files are out of date (run: node scripts/i18n.mjs): ${stale.join(', ')}`);
    }
    for (const problem of problems) {
      process.stderr.write(`i18n: ${problem}\n`);
    }
    const count = catalog.entries.size;
    if (problems.length > 0) {
      process.stderr.write(`i18n: ${problems.length} problem(s) in ${count} strings\n`);
      return 1;
    }
    process.stdout.write(`i18n: ${count} strings, translated for ${Object.keys(LOCALES).join(', ')}\n`);
    return 0;
  }

  const written = staleFiles(files);
  for (const name of written) {
    writeFileSync(path.join(ROOT, name), files.get(name));
  }
  for (const problem of problems) {
    process.stderr.write(`i18n: warning: ${problem}\n`);
  }
  process.stdout.write(`i18n: ${catalog.entries.size} strings; ${written.length ? `wrote ${written.join(', ')}` : 'nothing changed'}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
