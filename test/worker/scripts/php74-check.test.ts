import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

// scripts/wordpress/php74-check.mjs (run by the plugin stage of npm test): the plugin must parse
// and run on PHP 7.4 although only PHP 8 is installed here.
const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts/wordpress/php74-check.mjs');

interface Checker {
  php74Problems: (source: string, file?: string) => string[];
}
const load = async (): Promise<Checker> => (await import(SCRIPT)) as Checker;

const PHP8_ONLY: Record<string, string> = {
  'match expression': '$a = match ( $x ) { 1 => 2, default => 3 };',
  enum: 'enum Suit { case Hearts; }',
  'nullsafe operator': '$name = $order?->get_id();',
  'named argument': 'wc_get_orders( limit: 5 );',
  'catch without variable': 'try { f(); } catch ( Exception ) { }',
  'first-class callable': '$length = strlen( ... );',
  'trailing comma in a parameter list': 'function f( $a, $b, ) {}',
  'readonly property': 'class A { public readonly int $x; }',
  'constructor promotion': 'class A { public function __construct( private int $x ) {} }',
  'union type': 'function f( int|string $x ) {}',
  'mixed parameter': 'function f( mixed $x ) {}',
  'static return type': 'class A { public function f(): static { return $this; } }',
  'never return type': 'function f(): never { exit; }',
  '$object::class': '$class = $order::class;',
};

describe('PHP 7.4 syntax check', () => {
  it.each(Object.entries(PHP8_ONLY))('refuses %s', async (_name, code) => {
    const { php74Problems } = await load();
    expect(php74Problems(`<?php\n${code}\n`)).toHaveLength(1);
  });

  it('accepts what PHP 7.4 runs: nullable and scalar types, arrow functions, ?? and self::class', async () => {
    const { php74Problems } = await load();
    const source = `<?php
declare(strict_types=1);
namespace SyncHub\\Sample;
final class Sample {
  private ?int $id = null;
  public static function name( ?int $id, string ...$rest ): ?string {
    $map = array_map( fn ( $item ) => $item ?? self::class, $rest );
    return static::class . ( $id ?? 0 ) . implode( ',', $map );
  }
}`;
    expect(php74Problems(source)).toEqual([]);
  });

  it('checks the shipped plugin, and fails naming the file and line when one is not 7.4', () => {
    const clean = spawnSync(process.execPath, [SCRIPT, path.join(ROOT, 'plugin')], { encoding: 'utf8' });
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/php 7\.4 syntax: \d+ files checked/);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'php74-'));
    writeFileSync(path.join(dir, 'ok.php'), '<?php\necho 1;\n');
    writeFileSync(path.join(dir, 'bad.php'), '<?php\n\n$a = $b?->c;\n');
    const failed = spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${path.join(dir, 'bad.php')}:3:`);
    expect(failed.stderr).not.toContain('ok.php');
  });
});
