import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

// scripts/audit.mjs (the "dependency audit" stage of npm test), run against a stand-in `npm` on
// PATH that answers `npm audit --json` the way npm does: with a report, an error body, or nothing.
const ROOT = path.resolve(__dirname, '../../..');

interface Vulnerability {
  name: string;
  severity: 'critical' | 'high' | 'moderate' | 'low' | 'info';
}

const report = (vulnerabilities: Vulnerability[]): unknown => ({
  auditReportVersion: 2,
  vulnerabilities: Object.fromEntries(
    vulnerabilities.map((entry) => [entry.name, { ...entry, isDirect: false, via: [], effects: [], range: '*', nodes: [], fixAvailable: true }]),
  ),
  metadata: {
    vulnerabilities: Object.fromEntries(
      ['info', 'low', 'moderate', 'high', 'critical'].map((level) => [level, vulnerabilities.filter((entry) => entry.severity === level).length]),
    ),
  },
});

/** Runs the stage with a fake npm: `production` answers `--omit=dev`, `all` the full audit. */
function runAudit(production: string, all: string, extraEnv: Record<string, string> = {}): { status: number | null; stdout: string } {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'synchub-fake-npm-'));
  const fake = path.join(bin, 'npm');
  writeFileSync(
    fake,
    `#!/usr/bin/env node
const args = process.argv.slice(2);
const body = args.includes('--omit=dev') ? ${JSON.stringify(production)} : ${JSON.stringify(all)};
if (body === 'HANG') setTimeout(() => undefined, 60_000);
else { process.stdout.write(body); process.exitCode = 1; }
`,
  );
  chmodSync(fake, 0o755);
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/audit.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, ...extraEnv },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout };
}

const REGISTRY_405 = JSON.stringify({
  message: '405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk',
  statusCode: 405,
  error: { summary: '', detail: '' },
});

describe('dependency audit stage', () => {
  it('fails on a high advisory in a production dependency, naming it', () => {
    const { status, stdout } = runAudit(
      JSON.stringify(report([{ name: 'left-pad', severity: 'high' }])),
      JSON.stringify(report([{ name: 'left-pad', severity: 'high' }])),
    );
    expect(status).toBe(1);
    expect(stdout).toContain('npm audit, production dependencies: 0 critical, 1 high, 0 moderate, 0 low, 0 info');
    expect(stdout).toContain('high left-pad (production, fix available)');
    expect(stdout).toContain('FAIL: 1 high or critical advisories in production dependencies: left-pad');
  });

  it('fails on a critical one too', () => {
    expect(runAudit(JSON.stringify(report([{ name: 'evil', severity: 'critical' }])), JSON.stringify(report([]))).status).toBe(1);
  });

  it('prints but passes moderate production advisories and high dev-only ones', () => {
    const { status, stdout } = runAudit(
      JSON.stringify(report([{ name: 'qs', severity: 'moderate' }])),
      JSON.stringify(
        report([
          { name: 'qs', severity: 'moderate' },
          { name: 'webpack-dev-server', severity: 'high' },
        ]),
      ),
    );
    expect(status).toBe(0);
    expect(stdout).toContain('moderate qs (production, fix available)');
    expect(stdout).toContain('high webpack-dev-server (dev only, fix available)');
    expect(stdout).toContain('known: xmlrpc@');
    expect(stdout).not.toContain('FAIL');
  });

  it.each([
    ['an error body (a mirror without the audit endpoint)', REGISTRY_405, /unreachable \(405 Method Not Allowed/],
    ['no JSON at all', 'npm error network request failed, reason: getaddrinfo ENOTFOUND', /unreachable \(/],
  ])('passes with offline lockfile checks when the service answers %s', (_name, body, reason) => {
    const { status, stdout } = runAudit(body, body);
    expect(status).toBe(0);
    expect(stdout).toMatch(reason);
    expect(stdout).toMatch(/lockfile: \d+ packages \(\d+ production\)/);
    expect(stdout).toContain('integrity: every package pinned by an sha512 hash');
    expect(stdout).toMatch(/install scripts \(production\): /);
    expect(stdout).toContain('known: xmlrpc@');
  });

  it('passes, saying so, when npm audit does not answer in time', () => {
    const { status, stdout } = runAudit('HANG', 'HANG', { NPM_AUDIT_TIMEOUT_MS: '500' });
    expect(status).toBe(0);
    expect(stdout).toContain('unreachable (no answer within 500 ms)');
  });
});
