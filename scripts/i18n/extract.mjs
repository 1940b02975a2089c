/**
 * Extraction: the gettext calls of admin-ui/src (TypeScript compiler API) and plugin/ (PHP
 * parser), with their translator comments, into a catalogue.
 */

// External dependencies
import { readFileSync } from 'node:fs';
import path from 'node:path';

// Internal dependencies
import { DOMAIN, JS_SOURCES, PHP_SOURCES, PhpEngine, ROOT, entryKey, listFiles, ts } from './shared.mjs';
import { placeholders } from './translations.mjs';

const PHP_SKIP = new Set(['build', 'languages', 'node_modules', 'vendor']);

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
const PLUGIN_HEADERS = ['Plugin Name', 'Description'];

/**
 * A catalogue being built: key → { msgctxt, msgid, msgid_plural, references[], comments[] }.
 */
class Catalog {
  constructor() {
    this.entries = new Map();
    this.issues = [];
  }

  add({ msgctxt, msgid, plural, reference, comment }) {
    const key = entryKey(msgctxt, msgid);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { msgctxt, msgid, msgid_plural: plural, references: [], comments: [] };
      this.entries.set(key, entry);
    }
    if (plural && !entry.msgid_plural) {
      entry.msgid_plural = plural;
    }
    if (!entry.references.includes(reference)) {
      entry.references.push(reference);
    }
    if (comment && !entry.comments.includes(comment)) {
      entry.comments.push(comment);
    }
  }

  issue(reference, message) {
    this.issues.push(`${reference}: ${message}`);
  }
}

export function createCatalog() {
  return new Catalog();
}

function cleanComment(raw) {
  return raw
    .replace(/^\/\*+|\*+\/$/g, '')
    .replace(/^\/\/+/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .filter(Boolean)
    .join(' ')
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
function record(catalog, spec, args, reference, comment) {
  const domain = args[spec.domain];
  if (domain === undefined) {
    catalog.issue(reference, `no text domain (use '${DOMAIN}')`);
    return;
  }
  if (domain === null) {
    catalog.issue(reference, 'the text domain must be a literal string');
    return;
  }
  if (domain !== DOMAIN) {
    return; // Another domain (e.g. WordPress core's 'default'): not ours to translate.
  }
  for (const part of ['msgid', 'plural', 'context']) {
    if (spec[part] !== undefined && typeof args[spec[part]] !== 'string') {
      catalog.issue(reference, `the ${part} must be a literal string`);
      return;
    }
  }
  const msgid = args[spec.msgid];
  if (msgid === '') {
    catalog.issue(reference, 'empty msgid');
    return;
  }
  catalog.add({
    msgctxt: spec.context === undefined ? undefined : args[spec.context],
    msgid,
    plural: spec.plural === undefined ? undefined : args[spec.plural],
    reference,
    comment,
  });
}

function jsCallee(expression) {
  if (ts.isIdentifier(expression)) {
    return expression.text;
  }
  if (ts.isPropertyAccessExpression(expression)) {
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
function jsTranslatorComment(node, text) {
  for (let current = node; current && !ts.isSourceFile(current); current = current.parent) {
    const ranges = ts.getLeadingCommentRanges(text, current.getFullStart()) ?? [];
    const found = ranges.map((range) => text.slice(range.pos, range.end)).filter((comment) => /translators:/i.test(comment));
    if (found.length > 0) {
      return cleanComment(found[found.length - 1]);
    }
    if (ts.isStatement(current) || ts.isJsxElement(current) || ts.isJsxSelfClosingElement(current)) {
      return undefined;
    }
  }
  return undefined;
}

export function extractJs(catalog, file) {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const visit = (node) => {
    if (ts.isCallExpression(node)) {
      const name = jsCallee(node.expression);
      const spec = name !== undefined && Object.hasOwn(JS_FUNCTIONS, name) ? JS_FUNCTIONS[name] : undefined;
      if (spec) {
        const args = node.arguments.map((arg) => (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg) ? arg.text : null));
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        record(catalog, spec, args, `${file}:${line}`, jsTranslatorComment(node, text));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function phpTranslatorComment(comments, call) {
  const line = call.loc.start.line;
  const candidates = comments.filter(
    (comment) => /translators:/i.test(comment.value) && comment.loc.end.offset <= call.loc.start.offset && comment.loc.end.line >= line - 1,
  );
  const nearest = candidates[candidates.length - 1];
  return nearest ? cleanComment(nearest.value) : undefined;
}

function walkPhp(node, visit) {
  if (Array.isArray(node)) {
    node.forEach((child) => walkPhp(child, visit));
    return;
  }
  if (!node || typeof node !== 'object') {
    return;
  }
  if (typeof node.kind === 'string') {
    visit(node);
  }
  for (const [name, value] of Object.entries(node)) {
    if (name !== 'loc' && name !== 'leadingComments' && name !== 'trailingComments') {
      walkPhp(value, visit);
    }
  }
}

export function extractPhp(catalog, file) {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const engine = new PhpEngine({
    parser: { extractDoc: true, php8: true },
    ast: { withPositions: true },
  });
  let program;
  try {
    program = engine.parseCode(text, file);
  } catch (error) {
    catalog.issue(file, `cannot be parsed: ${error.message}`);
    return;
  }
  const comments = (program.comments ?? []).slice().sort((a, b) => a.loc.start.offset - b.loc.start.offset);
  walkPhp(program.children, (node) => {
    if (node.kind !== 'call' || node.what?.kind !== 'name') {
      return;
    }
    const name = String(node.what.name).replace(/^\\/, '');
    const spec = Object.hasOwn(PHP_FUNCTIONS, name) ? PHP_FUNCTIONS[name] : undefined;
    if (!spec) {
      return;
    }
    const args = node.arguments.map((arg) => (arg.kind === 'string' ? arg.value : null));
    record(catalog, spec, args, `${file}:${node.loc.start.line}`, phpTranslatorComment(comments, node));
  });
  if (file === `${PHP_SOURCES}/sync-hub.php`) {
    extractPluginHeaders(catalog, file, text);
  }
}

function extractPluginHeaders(catalog, file, text) {
  const header = text.slice(0, 8192);
  for (const name of PLUGIN_HEADERS) {
    const match = new RegExp(`^[ \\t/*#@]*${name}:(.*)$`, 'mi').exec(header);
    const value = match?.[1]?.trim();
    if (value) {
      catalog.add({
        msgid: value,
        reference: file,
        comment: `${name} of the plugin`,
      });
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
  for (const file of listFiles(JS_SOURCES, (name) => /\.tsx?$/.test(name) && !name.endsWith('.d.ts'))) {
    extractJs(catalog, file);
  }
  for (const file of listFiles(PHP_SOURCES, (name) => name.endsWith('.php'), PHP_SKIP)) {
    extractPhp(catalog, file);
  }
  return catalog;
}

/**
 * House style: every string with placeholders explains them to translators.
 *
 * @param catalog Catalogue.
 * @return {string[]} Problems.
 */
export function commentProblems(catalog) {
  return [...catalog.entries.values()]
    .filter(
      (entry) =>
        (placeholders(entry.msgid).length > 0 || placeholders(entry.msgid_plural ?? '').length > 0) &&
        !entry.comments.some((comment) => /translators:/i.test(comment)),
    )
    .map((entry) => `"${entry.msgid}" has placeholders but no translators: comment (${entry.references[0]})`);
}

export function isScriptEntry(entry) {
  return entry.references.some((reference) => reference.startsWith(`${JS_SOURCES}/`));
}
