// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * Module boundaries (docs/architecture.md): a folder may import only the modules listed
 * for it, and other modules only through their index.js.
 */
const internal = [
  'app',
  'core',
  'yaml',
  'engine',
  'policies',
  'pipeline',
  'report',
  'sources',
  'config',
  'server',
  'cli',
  'testing',
  'git',
  'compat',
  'gitops',
  'schema',
  'secrets',
  'cluster',
  'live',
  'fix',
  'supply',
  'rego',
  'store',
  'dashboard',
  'cel',
  'compliance',
  'evidence',
]
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
            group: internal
              .filter((m) => m !== folder && !allowed.includes(m))
              .flatMap((m) => ups.map((u) => `${u}${m}/*`)),
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
const noIo = {
  group: [
    'node:fs',
    'node:fs/*',
    'fs',
    'node:net',
    'node:http',
    'node:https',
    'node:child_process',
    'node:worker_threads',
  ],
  message: 'Pure modules do no I/O.',
}
// Inside compat, vap/, kyverno/ and gatekeeper/ share only compat/shared/ (docs/architecture.md); shared/ imports none of them.
// A later config replaces the rule's options, so these repeat the compat boundary and add theirs.
const compatPart = (part, forbidden) => ({
  ...boundary(
    'compat',
    ['core', 'engine', 'yaml', 'rego'],
    [
      noIo,
      {
        group: forbidden.flatMap((f) => ups.map((u) => `${u}${f}/*`)),
        message: `src/compat/${part} may not import compat/${forbidden.join(' or compat/')}: put what both need in compat/shared/.`,
      },
    ],
  ),
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
  // The CEL compiler and runtime (with the evaluation budget): below the policy engine, knowing nothing of policies.
  boundary('cel', [], [noIo]),
  boundary('engine', ['cel', 'core'], [noIo]),
  boundary('policies', ['engine', 'secrets', 'core'], [noIo]),
  boundary('config', ['core', 'yaml'], [noIo]),
  boundary('pipeline', ['yaml', 'engine', 'policies', 'config', 'core'], [noIo]),
  // The Rego engine: pure, spends from the engine's evaluation budget.
  boundary('rego', ['core', 'engine'], [noIo]),
  boundary('compat', ['core', 'engine', 'yaml', 'rego'], [noIo]),
  compatPart('vap', ['kyverno', 'gatekeeper']),
  compatPart('kyverno', ['vap', 'gatekeeper']),
  compatPart('gatekeeper', ['vap', 'kyverno']),
  compatPart('shared', ['vap', 'kyverno', 'gatekeeper']),
  boundary('report', ['core'], [noIo]),
  // The fix model and edit planning: pure, shared by `palisade fix` and the webhook's /mutate.
  boundary('fix', ['core', 'yaml', 'engine'], [noIo]),
  // The catalogue of secret shapes: pure, shared by the policies and the Git secret scan.
  boundary('secrets', ['core'], [noIo]),
  boundary('sources', ['core']),
  // git spawns the git binary (I/O); its parsing and verification files stay pure.
  boundary('git', ['core', 'yaml', 'engine', 'config', 'pipeline', 'secrets']),
  boundary('gitops', ['core', 'yaml']),
  // Registries, signatures, Git history and scan reports, gathered before evaluation (docs/supply-chain.md).
  boundary('supply', ['core', 'config', 'policies', 'git']),
  boundary('schema', ['core']),
  // The Kubernetes API edge (audit, drift): HTTPS to the API server; no policy logic.
  boundary('cluster', ['core', 'yaml']),
  // The live side's pure part: live objects as resources, drift, GitOps owners.
  boundary('live', ['core', 'yaml', 'engine', 'pipeline', 'config'], [noIo]),
  // The findings store: an I/O edge (a database) that knows only core's types.
  boundary('store', ['core']),
  // The dashboard's HTTP server and pages: reads the store, nothing else.
  boundary('dashboard', ['core', 'store']),
  // Compliance reports and evidence bundles read the store; src/compliance/testing seeds it from the policies.
  boundary('compliance', ['core', 'engine', 'store', 'policies']),
  boundary('evidence', ['core', 'store', 'compliance']),
  // The webhook is an I/O edge (sockets, files) over the pure modules; cli wires the rest in.
  boundary('server', ['app', 'core', 'config', 'engine', 'pipeline', 'report', 'policies', 'fix']),
  // The use cases (docs/architecture.md): everything below them, never the front ends (cli, server) or testing.
  boundary('app', [
    'core',
    'yaml',
    'engine',
    'policies',
    'config',
    'pipeline',
    'compat',
    'report',
    'secrets',
    'sources',
    'git',
    'gitops',
    'schema',
    'cluster',
    'live',
    'fix',
    'supply',
    'store',
  ]),
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', '**/*.test.ts', 'src/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='exit']",
          message: 'Only src/cli may exit.',
        },
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Only src/cli reads process.env.',
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'tools/**/*.ts', 'tools/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  // bin/ is CommonJS (bin/package.json): the entry loads without ES module views of the builtins.
  {
    files: ['bin/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
