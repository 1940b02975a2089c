// Prettier for the worker, tests, benchmarks and scripts: 160 columns, single quotes, checked by
// `npm test` (scripts/lint.sh passes this file with --config). It is not named .prettierrc on
// purpose: the admin page keeps WordPress's own formatting (@wordpress/prettier-config, through
// its ESLint rules), which would otherwise pick this file up.
module.exports = {
  printWidth: 160,
  singleQuote: true,
  trailingComma: 'all',
  parenSpacing: false,
};
