/**
 * PHP 7.4 syntax guard. Only PHP 8 is installed here, so `php -l` alone would accept PHP 8-only
 * syntax. php-parser (npm, the parser behind Prettier's PHP plugin) parses with the PHP 7.4
 * grammar, which already refuses match, enum, `?->`, named arguments, `catch` without a variable,
 * `f(...)` and a trailing comma in parameter lists. What that grammar still reads is checked here
 * on its tree: readonly, constructor promotion, union and intersection types, the PHP 8 type
 * names in signatures, and `$object::class`.
 *
 *   node scripts/wordpress/php74-check.mjs <dir-or-file>…
 */

// External dependencies
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { Engine } = createRequire(path.join(ROOT, 'admin-ui', 'package.json'))('php-parser');

const SKIP = new Set(['build', 'node_modules', 'vendor']);
const PARAMETER_TYPES = new Set(['mixed', 'never', 'false', 'null']);
const RETURN_TYPES = new Set([...PARAMETER_TYPES, 'static']);

function phpFiles(target) {
  if (statSync(target).isFile()) {
    return [target];
  }
  return readdirSync(target, { withFileTypes: true })
    .filter((entry) => !(entry.isDirectory() && SKIP.has(entry.name)))
    .flatMap((entry) => {
      const child = path.join(target, entry.name);
      return entry.isDirectory() ? phpFiles(child) : entry.name.endsWith('.php') ? [child] : [];
    })
    .sort();
}

function typeProblems(type, allowed, where) {
  if (!type) {
    return [];
  }
  if (type.kind === 'uniontype' || type.kind === 'intersectiontype') {
    return [`${where}: ${type.kind === 'uniontype' ? 'union' : 'intersection'} type`];
  }
  const name = String(type.name ?? '').toLowerCase();
  return allowed.has(name) ? [`${where}: ${name} type`] : [];
}

/** What the PHP 7.4 grammar accepts but PHP 7.4 cannot run, found in one node. */
function nodeProblems(node) {
  const line = node.loc?.start.line ?? 0;
  const found = [];
  if (node.readonly === true || node.isReadonly === true) {
    found.push(`${line}: readonly`);
  }
  if (node.kind === 'parameter') {
    if (node.flags) {
      found.push(`${line}: constructor property promotion`);
    }
    found.push(...typeProblems(node.type, PARAMETER_TYPES, line));
  }
  if (['function', 'method', 'closure', 'arrowfunc'].includes(node.kind)) {
    found.push(...typeProblems(node.type, RETURN_TYPES, line).map((problem) => `${problem} (return)`));
  }
  if (node.kind === 'property') {
    found.push(...typeProblems(node.type, PARAMETER_TYPES, line));
  }
  if (node.kind === 'staticlookup' && node.what?.kind === 'variable' && node.offset?.name === 'class') {
    found.push(`${line}: $object::class`);
  }
  return found;
}

function walk(node, visit) {
  if (Array.isArray(node)) {
    node.forEach((child) => walk(child, visit));
    return;
  }
  if (!node || typeof node !== 'object') {
    return;
  }
  if (typeof node.kind === 'string') {
    visit(node);
  }
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'loc' && value && typeof value === 'object') {
      walk(value, visit);
    }
  }
}

/**
 * The PHP 7.4 problems of one source, as "line: what" items.
 *
 * @param {string} source PHP source.
 * @param {string} file   Name for parse errors.
 * @return {string[]} Problems.
 */
export function php74Problems(source, file = 'input.php') {
  const parser = new Engine({
    parser: { version: '7.4', suppressErrors: false, extractDoc: false },
    ast: { withPositions: true },
  });
  let ast;
  try {
    ast = parser.parseCode(source, file);
  } catch (error) {
    const line = error.lineNumber ?? /line (\d+)/.exec(error.message)?.[1] ?? 0;
    return [`${line}: not PHP 7.4 syntax (${error.message.replace(/ on line \d+$/, '')})`];
  }
  const found = [];
  walk(ast.children, (node) => found.push(...nodeProblems(node)));
  return found;
}

function main(targets) {
  if (targets.length === 0) {
    process.stderr.write('usage: node scripts/wordpress/php74-check.mjs <dir-or-file>…\n');
    return 2;
  }
  const files = targets.flatMap(phpFiles);
  const problems = files.flatMap((file) => php74Problems(readFileSync(file, 'utf8'), file).map((problem) => `${file}:${problem}`));
  if (problems.length > 0) {
    process.stderr.write(`PHP 7.4 incompatible syntax:\n  ${problems.join('\n  ')}\n`);
    return 1;
  }
  process.stdout.write(`php 7.4 syntax: ${files.length} files checked\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
