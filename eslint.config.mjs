// ESLint for the worker, its tests, benchmarks and scripts (TypeScript rules, no type information,
// so the whole tree lints in seconds). The admin page has its own config: admin-ui/eslint.config.mjs
// (WordPress's rules). Formatting is Prettier's (prettier.worker.cjs); `npm test` checks both.
import tseslint from 'typescript-eslint';

const DOMAINS = ['events', 'bookings', 'stock', 'products'];

/** The house walls (main → runtime → domains → connectors → core) as import bans per folder. */
const walls = (files, banned, message, allowConnectors = true) => ({
  files,
  // A connector's own file may share a domain's name (connectors/woocommerce-db/events…): allowed.
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: allowConnectors ? [...banned, '!**/connectors/**'] : banned, message }] }] },
});
const domainImports = (names) => names.flatMap((name) => [`**/${name}`, `**/${name}/**`]);

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'admin-ui/**', 'plugin/**', 'worker/dist/**', 'test/artifacts/**', 'test/admin-ui/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
      'prefer-const': 'error',
    },
  },
  {
    // Tests, fakes, benchmarks and scripts print and poke at loosely typed answers.
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  walls(['worker/src/core/**'], [...domainImports(DOMAINS), '**/connectors/**', '**/runtime', '**/main'], 'core knows no domain, connector or runtime', false),
  walls(['worker/src/connectors/**'], [...domainImports(DOMAINS), '**/runtime', '**/main'], 'connectors know no domain'),
  ...DOMAINS.map((domain) =>
    walls(
      [`worker/src/${domain}/**`],
      [...domainImports(DOMAINS.filter((other) => other !== domain)), '**/runtime', '**/main'],
      'a domain imports no other domain',
    ),
  ),
);
