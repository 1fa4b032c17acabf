/**
 * `npm run new-policy -- ID`: scaffold a built-in policy. Creates src/policies/ID/ with
 * policy.ts (every metadata field the registry meta-test requires, stubbed with TODOs,
 * stage experimental so it does not run by default before it is finished), a valid and
 * an invalid fixture, policy.test.ts, then regenerates src/policies/index.ts.
 * Refuses an id that is not verb-prefixed kebab-case or that already exists.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderRegistry } from './gen-registry.js'

const POLICY_ID = /^(disallow|require|restrict)-[a-z0-9]+(-[a-z0-9]+)*$/

/** Why `id` cannot be a new policy's id, or undefined when it can. */
export function refusal(id: string | undefined, policiesDir: string): string | undefined {
  if (id === undefined || id === '') return 'usage: npm run new-policy -- <id>   (e.g. disallow-foo-bar)'
  if (!POLICY_ID.test(id))
    return `"${id}" is not a policy id: verb-prefixed kebab-case (disallow-, require- or restrict-, then lowercase words and digits joined by -)`
  if (existsSync(join(policiesDir, id))) return `src/policies/${id} already exists`
  return undefined
}

/** The files of a new policy, by path relative to its folder. */
export function scaffold(id: string): Map<string, string> {
  const files = new Map<string, string>()
  files.set(
    'policy.ts',
    `import { definePolicy } from '../../engine/index.js'

// TODO: replace every TODO below; the registry meta-test (src/policies/registry.test.ts) checks the metadata.
export default definePolicy({
  id: '${id}',
  title: 'TODO what must hold, as a rule without a final period',
  summary: 'TODO one sentence, at most 200 characters, on what is refused or required.',
  rationale:
    'TODO why this matters: the attack or the failure it prevents, who can exploit it, and what it costs when it happens.',
  remediation: 'TODO how to fix a finding.',
  severity: 'medium',
  category: 'workload',
  // Experimental policies run only when named: drop this line once the policy is finished and reviewed.
  stage: 'experimental',
  // TODO the controls this policy implements: CIS or NSA/CISA, and NIST SP 800-53 (src/core/control-registry.ts).
  controls: [
    { framework: 'nsa', control: 'pod-security/hardening' },
    { framework: 'nist', control: 'CM-6' },
  ],
  messages: {
    todo: 'TODO ConfigMap "{{name}}" carries the todo label.',
  },
  // TODO the kinds to check; a rule's expression is true when the object passes.
  match: { kinds: ['ConfigMap'] },
  rules: [
    { messageId: 'todo', path: '/metadata/labels', expression: "!('todo' in object.metadata.?labels.orValue({}))", data: { name: 'object.metadata.name' } },
  ],
})
`,
  )
  files.set(
    'policy.test.ts',
    `import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-example.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-example.yaml'),
      errors: [{ messageId: 'todo', path: '/metadata/labels', line: 5, column: 3 }],
      output: null,
    },
  ],
})
`,
  )
  files.set(
    'fixtures/valid-example.yaml',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: example\ndata:\n  key: value\n',
  )
  files.set(
    'fixtures/invalid-example.yaml',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: example\n  labels:\n    todo: "true"\ndata:\n  key: value\n',
  )
  return files
}

/**
 * Create the policy's folder and files in `policiesDir` and regenerate its index.ts.
 * Throws (creating nothing) when the id is refused.
 */
export function createPolicy(id: string | undefined, policiesDir: string): string[] {
  const refused = refusal(id, policiesDir)
  if (refused !== undefined || id === undefined) throw new Error(refused)
  const dir = join(policiesDir, id)
  mkdirSync(join(dir, 'fixtures'), { recursive: true })
  const written: string[] = []
  for (const [file, text] of scaffold(id)) {
    writeFileSync(join(dir, file), text, { flag: 'wx' })
    written.push(join(dir, file))
  }
  writeFileSync(join(policiesDir, 'index.ts'), renderRegistry(policiesDir))
  return [...written, join(policiesDir, 'index.ts')]
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const policiesDir = fileURLToPath(new URL('../src/policies/', import.meta.url))
  const id = process.argv[2]
  try {
    createPolicy(id, policiesDir)
  } catch (error) {
    console.error((error as Error).message)
    process.exit(2)
  }
  console.log(
    `created src/policies/${id}/ (policy.ts, policy.test.ts, fixtures/) and regenerated src/policies/index.ts`,
  )
  console.log(
    `next: fill in the TODOs, then npx vitest run src/policies/${id} src/policies/registry.test.ts, and npm run docs`,
  )
}
