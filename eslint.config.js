// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * Module boundaries (docs/architecture.md): a folder may import only the modules listed
 * for it, and other modules only through their index.js.
 */
const internal = ['app', 'core', 'yaml', 'engine', 'policies', 'pipeline', 'report', 'sources', 'config', 'storage', 'server', 'cli', 'testing', 'git', 'compat', 'gitops', 'schema', 'secrets', 'store', 'dashboard', 'compliance', 'evidence']
const ups = ['../', '../../', '../../../']
const boundary = (folder, allowed, extra = []) => ({
  files: [`src/${folder}/**/*.ts`],
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: internal.filter((m) => m !== folder && !allowed.includes(m)).flatMap((m) => ups.map((u) => `${u}${m}/*`)),
            message: `src/${folder} may import only: ${allowed.join(', ') || 'nothing internal'}.`,
          },
          {
            group: allowed.flatMap((m) => ups.flatMap((u) => [`${u}${m}/*`, `!${u}${m}/index.js`])),
            message: 'Import other modules through their index.js.',
          },
          ...extra,
          // ESLint rejects a pattern with an empty group (src/core may import nothing).
        ].filter((p) => p.group.length > 0),
      },
    ],
  },
})
const noIo = { group: ['node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'node:https', 'node:child_process', 'node:worker_threads'], message: 'Pure modules do no I/O.' }
// Inside compat, vap/ and kyverno/ share only compat/shared/ (docs/architecture.md); shared/ imports neither.
// A later config replaces the rule's options, so these repeat the compat boundary and add theirs.
const compatPart = (part, forbidden) => ({
  ...boundary('compat', ['core', 'engine', 'yaml'], [noIo, {
    group: forbidden.flatMap((f) => ups.map((u) => `${u}${f}/*`)),
    message: `src/compat/${part} may not import compat/${forbidden.join(' or compat/')}: put what both need in compat/shared/.`,
  }]),
  files: [`src/compat/${part}/**/*.ts`],
})

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.bench/', '.tools/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  boundary('core', [], [noIo]),
  boundary('yaml', ['core'], [noIo]),
  boundary('engine', ['core'], [noIo]),
  boundary('policies', ['engine', 'secrets', 'core'], [noIo]),
  boundary('config', ['core', 'yaml'], [noIo]),
  boundary('pipeline', ['yaml', 'engine', 'policies', 'config', 'core'], [noIo]),
  boundary('compat', ['core', 'engine', 'yaml'], [noIo]),
  compatPart('vap', ['kyverno']),
  compatPart('kyverno', ['vap']),
  compatPart('shared', ['vap', 'kyverno']),
  boundary('report', ['core'], [noIo]),
  // The catalogue of secret shapes: pure, shared by the policies and the Git secret scan.
  boundary('secrets', ['core'], [noIo]),
  boundary('sources', ['core']),
  // git spawns the git binary (I/O); its parsing and verification files stay pure.
  boundary('git', ['core', 'yaml', 'engine', 'config', 'pipeline', 'secrets']),
  boundary('gitops', ['core', 'yaml']),
  boundary('schema', ['core']),
  // The findings store: an I/O edge (a database) that knows only core's types.
  boundary('store', ['core']),
  // The dashboard's HTTP server and pages: reads the store, nothing else.
  boundary('dashboard', ['core', 'store']),
  // Compliance reports and evidence bundles read the store; src/compliance/testing seeds it from the policies.
  boundary('compliance', ['core', 'engine', 'store', 'policies']),
  boundary('evidence', ['core', 'store', 'compliance']),
  // The webhook is an I/O edge (sockets, files) over the pure modules; cli wires the rest in.
  boundary('server', ['app', 'core', 'config', 'engine', 'pipeline', 'report', 'policies']),
  // The use cases (docs/architecture.md): everything below them, never the front ends (cli, server) or testing.
  boundary('app', ['core', 'yaml', 'engine', 'policies', 'config', 'pipeline', 'compat', 'report', 'secrets', 'sources', 'git', 'gitops', 'schema', 'store']),
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', '**/*.test.ts', 'src/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='exit']", message: 'Only src/cli may exit.' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Only src/cli reads process.env.' },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'tools/**/*.ts', 'tools/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
)
