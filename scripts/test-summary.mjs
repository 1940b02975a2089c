// Adds up the suites' machine-readable results into one closing line: "tests: N passed, N failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? '.tmp/test-results';
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const file of existsSync(dir) ? readdirSync(dir) : []) {
  const full = path.join(dir, file);
  if (file.endsWith('.json')) {
    const report = JSON.parse(readFileSync(full, 'utf8'));
    const suiteFailed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    rows.push([file.replace(/\.json$/, ''), report.numPassedTests, suiteFailed, report.numPendingTests + (report.numTodoTests ?? 0)]);
    passed += report.numPassedTests;
    failed += suiteFailed;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
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
    }
  }
}
console.log('\nsuite            passed  failed  skipped');
for (const [name, p, f, s] of rows) console.log(`${name.padEnd(16)} ${String(p).padStart(6)}  ${String(f).padStart(6)}  ${String(s).padStart(7)}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
