import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { createResolver, defaultConfig } from '../config/index.js'
import { applyFixOperations, compilePolicySet } from '../engine/index.js'
import { lineChanges } from '../fix/index.js'
import { checkSources, resourcesOf } from '../pipeline/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { parseManifests } from '../yaml/index.js'
import { proveFixes } from './index.js'

const { set: policies } = compilePolicySet(BUILTIN_POLICIES.filter((p) => p.stage !== 'experimental'))
const check = { policies, resolver: createResolver(defaultConfig('.'), new Date('2026-01-01T00:00:00Z')) }

// Random pod specs: images with and without registries, security contexts that are partly set (privileged
// ones too, whose escalation fix the API server would refuse), pull policies, comments, styles.
const securityContext = fc.record(
  {
    runAsUser: fc.integer({ min: 1, max: 70000 }),
    privileged: fc.boolean(),
    allowPrivilegeEscalation: fc.boolean(),
    readOnlyRootFilesystem: fc.boolean(),
    capabilities: fc.record({ drop: fc.constant(['ALL']) }),
  },
  { requiredKeys: [] },
)
const container = fc.record(
  {
    name: fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/),
    image: fc.constantFrom(
      'nginx:1.27',
      'docker.io/library/redis:7',
      'ghcr.io/acme/api:2',
      'busybox',
      'quay.io/x/y:1.0',
    ),
    imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent', 'Never'),
    securityContext,
    ports: fc.array(fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }) }), { maxLength: 2 }),
  },
  { requiredKeys: ['name', 'image'] },
)
const pod = fc.record({
  containers: fc.uniqueArray(container, { minLength: 1, maxLength: 3, selector: (c) => c.name }),
  automountServiceAccountToken: fc.option(fc.boolean(), { nil: undefined }),
})
const manifest = fc
  .tuple(fc.constantFrom('Pod', 'Deployment', 'Job'), pod, fc.stringMatching(/^[a-z]{1,8}$/))
  .map(([kind, spec, name]) => {
    const clean = JSON.parse(JSON.stringify(spec)) as Record<string, unknown>
    if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata: { name }, spec: clean }
    const template = {
      metadata: { labels: { app: name } },
      spec: kind === 'Job' ? { ...clean, restartPolicy: 'Never' } : clean,
    }
    return {
      apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
      kind,
      metadata: { name },
      spec: kind === 'Job' ? { template } : { selector: { matchLabels: { app: name } }, template },
    }
  })
const style = fc.record({
  flowLevel: fc.constantFrom(0, 0, 2, 4),
  indentSeq: fc.boolean(),
  defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
  comment: fc.boolean(),
  crlf: fc.boolean(),
})

function render(
  objects: readonly object[],
  s: {
    flowLevel: number
    indentSeq: boolean
    defaultStringType: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'
    comment: boolean
    crlf: boolean
  },
): string {
  const docs = objects.map((o) =>
    stringify(o, {
      flowLevel: s.flowLevel || undefined,
      indentSeq: s.indentSeq,
      defaultStringType: s.defaultStringType,
      defaultKeyType: 'PLAIN',
    } as never),
  )
  let text = docs.map((d) => (s.comment ? `# generated\n${d.replace(/\n/, ' # first line\n')}` : d)).join('---\n')
  if (s.crlf) text = text.replace(/\n/g, '\r\n')
  return text
}

describe('palisade fix: property', () => {
  it('on random manifests, the only differences in the parsed objects are the fixed fields, and only edited lines change', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(manifest, { minLength: 1, maxLength: 3, selector: (m) => m.metadata.name }),
        style,
        fc.boolean(),
        (objects, s, unsafe) => {
          const text = render(objects, s)
          const source = { path: 'm.yaml', text }
          const parsed = resourcesOf(source)
          const before = checkSources([source], check)
          const { outcome } = proveFixes(
            { sources: [source], resources: parsed.resources, diagnostics: parsed.diagnostics, renders: 0 },
            before,
            check,
            unsafe,
          )
          const after = outcome.files[0]?.after ?? text
          const docsBefore = parseManifests(text, 'm.yaml').documents
          const docsAfter = parseManifests(after, 'm.yaml').documents
          expect(docsAfter.length).toBe(docsBefore.length)
          const applied = outcome.files.flatMap((f) => f.applied.map((a) => a.finding))
          docsBefore.forEach((doc, i) => {
            const object = doc.object as Record<string, unknown>
            const mine = applied.filter((f) => f.resource.name === (object.metadata as { name: string }).name)
            const expected = applyFixOperations(
              object,
              mine.flatMap((f) => f.fix?.patch ?? []),
            )
            expect(docsAfter[i]?.object).toEqual(expected)
          })
          // New lines follow the file's line endings.
          if (s.crlf) expect(after.replace(/\r\n/g, '')).not.toContain('\n')
          else expect(after).not.toContain('\r')
          // Every applied fix changed some line, and a second plan on the result changes nothing.
          expect(lineChanges(text, after).length > 0).toBe(applied.length > 0)
        },
      ),
      { numRuns: 40, seed: 15 },
    )
  })
})
