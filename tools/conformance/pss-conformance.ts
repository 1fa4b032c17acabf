/**
 * Pod Security Standards conformance: run the built-in pss-baseline and pss-restricted
 * sets over kubernetes/pod-security-admission's own fixtures (../shared/corpus/pss-fixtures)
 * through the real pipeline, at every policy version, each pod as it is and wrapped in a
 * Deployment and a CronJob, with the version pinned by --pss-version (the policies'
 * version parameter) and by the Namespace label, and also unpinned (latest).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createResolver, defaultConfig } from '../../src/config/index.js'
import { compilePolicySet, type CompiledPolicySet, type PolicySpec } from '../../src/engine/index.js'
import { checkSources, resourcesOf } from '../../src/pipeline/index.js'
import { BUILTIN_POLICIES, isPssPolicy, PSS_ENFORCE_VERSION_LABEL, PSS_LATEST_MINOR } from '../../src/policies/index.js'

export type Level = 'baseline' | 'restricted'
export type Wrapper = 'Pod' | 'Deployment' | 'CronJob'
/** How the fixture's policy version reaches the policies. */
export type Pinning = 'flag' | 'label' | 'unpinned'

/** One fixture of the corpus: the pod, the level and version it was written for, the verdict. */
export interface PssFixture {
  path: string
  level: Level
  minor: number
  expected: 'allow' | 'deny'
  /** The check the fixture exercises (manifest.tsv), '' for the minimal valid pods. */
  check: string
}

/** The outcome of one fixture in one variant. */
export interface PssCase {
  fixture: PssFixture
  wrapper: Wrapper
  pinning: Pinning
  /** Check ids of the PSS findings (status fail); 'ERROR' for findings that could not evaluate. */
  reported: string[]
  agrees: boolean
}

/** Where restricted replaces a baseline check (pod-security-admission's overrides), from which minor. */
const REPLACED_BY: Readonly<Record<string, readonly [string, number]>> = {
  hostPathVolumes: ['restrictedVolumes', 0],
  seccompProfile_baseline: ['seccompProfile_restricted', 19],
  capabilities_baseline: ['capabilities_restricted', 22],
  procMount: ['procMount_restricted', 35],
}

/** Canonical check ids by the lower-case stem of fixture file names. */
const CHECK_IDS = [
  'privileged',
  'hostNamespaces',
  'hostPathVolumes',
  'hostPorts',
  'capabilities_baseline',
  'appArmorProfile',
  'seLinuxOptions',
  'procMount',
  'seccompProfile_baseline',
  'sysctls',
  'windowsHostProcess',
  'hostProbesAndHostLifecycle',
  'restrictedVolumes',
  'runAsNonRoot',
  'allowPrivilegeEscalation',
  'seccompProfile_restricted',
  'capabilities_restricted',
  'runAsUser',
  'procMount_restricted',
]
const BY_STEM = new Map(CHECK_IDS.map((id) => [id.toLowerCase(), id]))

/** Every fixture under testdata/, with manifest.tsv's check ids where the manifest lists the file. */
export function loadPssFixtures(corpusDir: string): PssFixture[] {
  const manifest = new Map<string, string>()
  const manifestFile = join(corpusDir, 'manifest.tsv')
  if (existsSync(manifestFile)) {
    for (const line of readFileSync(manifestFile, 'utf8').split('\n').slice(1)) {
      const [path, , , , check] = line.split('\t')
      if (path && check) manifest.set(path, check.startsWith('(') ? '' : check)
    }
  }
  const out: PssFixture[] = []
  const testdata = join(corpusDir, 'testdata')
  for (const level of ['baseline', 'restricted'] as const) {
    for (const version of readdirSync(join(testdata, level))) {
      for (const verdict of ['pass', 'fail'] as const) {
        const dir = join(testdata, level, version, verdict)
        if (!existsSync(dir)) continue
        for (const file of readdirSync(dir)
          .filter((f) => f.endsWith('.yaml'))
          .sort()) {
          const path = relative(corpusDir, join(dir, file))
          const stem = file.replace(/\d*\.yaml$/, '')
          const check = manifest.get(path) ?? (stem.startsWith('base') ? '' : (BY_STEM.get(stem) ?? stem))
          out.push({
            path,
            level,
            minor: Number(version.replace(/^v1\./, '')),
            expected: verdict === 'pass' ? 'allow' : 'deny',
            check,
          })
        }
      }
    }
  }
  return out
}

function wrap(pod: Record<string, unknown>, wrapper: Wrapper, namespace: string | undefined): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    ...(pod.metadata as Record<string, unknown>),
    ...(namespace === undefined ? {} : { namespace }),
  }
  const template = {
    metadata: { labels: { app: 'fixture' }, ...(meta.annotations ? { annotations: meta.annotations } : {}) },
    spec: pod.spec,
  }
  switch (wrapper) {
    case 'Pod':
      return { ...pod, metadata: meta }
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: { selector: { matchLabels: { app: 'fixture' } }, template },
      }
    case 'CronJob':
      return {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta,
        spec: { schedule: '0 * * * *', jobTemplate: { spec: { template } } },
      }
  }
}

/** The PSS set of a level, compiled with a pinned version (or latest). */
function compileLevel(level: Level, version: string | undefined): CompiledPolicySet {
  const set = level === 'baseline' ? 'pss-baseline' : 'pss-restricted'
  const specs: PolicySpec[] = BUILTIN_POLICIES.filter((p) => isPssPolicy(p) && (p.sets ?? []).includes(set))
  const params = version === undefined ? {} : Object.fromEntries(specs.map((p) => [p.id, { version }]))
  const { set: compiled, diagnostics } = compilePolicySet(specs, params)
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '))
  return compiled
}

/** Run every fixture in every wrapper and pinning mode. */
export function runPssConformance(
  corpusDir: string,
  options: {
    wrappers?: readonly Wrapper[]
    pinnings?: readonly Pinning[]
    only?: (fixture: PssFixture) => boolean
  } = {},
): PssCase[] {
  const wrappers = options.wrappers ?? ['Pod', 'Deployment', 'CronJob']
  const pinnings = options.pinnings ?? ['flag', 'label', 'unpinned']
  const resolver = createResolver(defaultConfig('.'), new Date(0))
  const sets = new Map<string, CompiledPolicySet>()
  const setFor = (level: Level, version: string | undefined): CompiledPolicySet => {
    const key = `${level}:${version ?? 'latest'}`
    if (!sets.has(key)) sets.set(key, compileLevel(level, version))
    return sets.get(key) as CompiledPolicySet
  }
  const cases: PssCase[] = []
  for (const fixture of loadPssFixtures(corpusDir).filter(options.only ?? (() => true))) {
    const pod = podOf(readFileSync(join(corpusDir, fixture.path), 'utf8'), fixture.path)
    const version = `v1.${fixture.minor}`
    for (const pinning of pinnings) {
      const policies = setFor(fixture.level, pinning === 'flag' ? version : undefined)
      for (const wrapper of wrappers) {
        const docs: unknown[] = []
        if (pinning === 'label') {
          docs.push({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: {
              name: 'conformance',
              labels: { 'pod-security.kubernetes.io/enforce': fixture.level, [PSS_ENFORCE_VERSION_LABEL]: version },
            },
          })
        }
        docs.push(wrap(pod, wrapper, pinning === 'label' ? 'conformance' : undefined))
        // JSON is YAML: one document per line after ---.
        const result = checkSources(
          [{ path: `${fixture.path}#${wrapper}`, text: docs.map((d) => JSON.stringify(d)).join('\n---\n') }],
          { policies, resolver },
        )
        const reported = [
          ...new Set(
            result.findings.map((f) =>
              f.status === 'error'
                ? 'ERROR'
                : (f.controls.find((c) => c.framework === 'pss')?.control.split('/')[1] ?? '?'),
            ),
          ),
        ]
        cases.push({
          fixture,
          wrapper,
          pinning,
          reported,
          agrees: agrees(fixture, reported, pinning === 'unpinned' ? PSS_LATEST_MINOR : fixture.minor),
        })
      }
    }
  }
  return cases
}

/** The fixture's Pod, read by the real YAML layer. */
function podOf(text: string, path: string): Record<string, unknown> {
  const { resources, diagnostics } = resourcesOf({ path, text })
  const pod = resources[0]?.object
  if (diagnostics.length > 0 || resources.length !== 1 || pod?.kind !== 'Pod')
    throw new Error(`${path}: expected one Pod (${diagnostics.map((d) => d.message).join('; ')})`)
  return pod
}

function agrees(fixture: PssFixture, reported: readonly string[], minor: number): boolean {
  if (reported.includes('ERROR')) return false
  if (fixture.expected === 'allow') return reported.length === 0
  if (reported.includes(fixture.check)) return true
  const replacement = fixture.level === 'restricted' ? REPLACED_BY[fixture.check] : undefined
  return replacement !== undefined && minor >= replacement[1] && reported.includes(replacement[0])
}
