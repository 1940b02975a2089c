// Adds up the suites' machine-readable results into one closing line: "tests: N passed, N failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? '.tmp/test-results';
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
// Named at the very end, so a CI log cut to its tail still says which test failed and why.
const failures = [];
const firstLines = (text, lines = 4) =>
  String(text ?? '')
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .slice(0, lines)
    .map((line) => `    ${line}`)
    .join('\n');
for (const file of existsSync(dir) ? readdirSync(dir) : []) {
  const full = path.join(dir, file);
  if (file.endsWith('.json')) {
    const report = JSON.parse(readFileSync(full, 'utf8'));
    const suiteFailed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    rows.push([file.replace(/\.json$/, ''), report.numPassedTests, suiteFailed, report.numPendingTests + (report.numTodoTests ?? 0)]);
    passed += report.numPassedTests;
    failed += suiteFailed;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    for (const suite of report.testResults ?? []) {
      const where = path.relative(process.cwd(), suite.name ?? '');
      const bad = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
      for (const test of bad) failures.push(`${where} › ${test.fullName ?? test.title}\n${firstLines((test.failureMessages ?? []).join('\n'))}`);
      if (bad.length === 0 && suite.status === 'failed') failures.push(`${where} (the file failed to run)\n${firstLines(suite.message)}`);
    }
  } else if (file.endsWith('.xml')) {
    const xml = readFileSync(full, 'utf8');
    // The first <testsuite> holds the totals; read its attributes whatever their order.
    const tag = /<testsuite\b[^>]*>/.exec(xml)?.[0] ?? '';
    const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(tag)?.[1] ?? 0);
    if (tag) {
      const total = attr('tests');
      const bad = attr('failures') + attr('errors');
      const skip = attr('skipped');
      rows.push([file.replace(/\.xml$/, ''), total - bad - skip, bad, skip]);
      passed += total - bad - skip;
      failed += bad;
      skipped += skip;
      for (const chunk of xml.split('<testcase').slice(1)) {
        const head = chunk.slice(0, chunk.indexOf('>') + 1);
        if (head.endsWith('/>')) continue;
        const body = chunk.slice(head.length, chunk.indexOf('</testcase>'));
        const fault = /<(failure|error)\b[^>]*>([\s\S]*?)<\/\1>/.exec(body);
        if (!fault) continue;
        const name = /\bname="([^"]*)"/.exec(head)?.[1] ?? '?';
        const cls = /\bclass="([^"]*)"/.exec(head)?.[1] ?? '';
        const text = fault[2]
          .replace(/&quot;/g, '"')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&');
        failures.push(`${file} › ${cls ? `${cls}::` : ''}${name}\n${firstLines(text)}`);
      }
    }
  }
}
console.log('\nsuite            passed  failed  skipped');
for (const [name, p, f, s] of rows) console.log(`${name.padEnd(16)} ${String(p).padStart(6)}  ${String(f).padStart(6)}  ${String(s).padStart(7)}`);
if (failures.length > 0) {
  console.log('\nfailed tests:');
  for (const failure of failures.slice(0, 20)) console.log(`  ${failure}`);
  if (failures.length > 20) console.log(`  … and ${failures.length - 20} more`);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
