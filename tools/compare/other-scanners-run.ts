/**
 * Run Palisade's mapped policies over the fixtures that Polaris, kube-score and kubesec
 * test their own checks with, and compare verdicts: a fixture their authors expect to
 * fail must get a finding from the mapped policies, a passing one must get none.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createResolver, defaultConfig } from '../../src/config/index.js'
import { compilePolicySet } from '../../src/engine/index.js'
import { checkSources } from '../../src/pipeline/index.js'
import { BUILTIN_POLICIES } from '../../src/policies/index.js'
import { KUBE_SCORE, KUBESEC, KUBESEC_CASES, POLARIS, type OurCheck } from './mappings.js'

export type Tool = 'polaris' | 'kube-score' | 'kubesec'

/** One fixture judged by one of their checks and by the Palisade policies it maps to. */
export interface Comparison {
  tool: Tool
  check: string
  /** Relative to the tool's corpus folder. */
  file: string
  theirs: 'pass' | 'fail'
  ours: 'pass' | 'fail'
  agrees: boolean
  /** The policy ids and messages of our findings. */
  evidence: string[]
}

/** A fixture row that was not compared, and why. */
export interface Skipped {
  tool: Tool
  check: string
  file: string
  reason: string
}

const resolver = createResolver(defaultConfig('.'), new Date(0))

/** Our verdict on a file: fail when any mapped policy reports a finding (on the matching paths). */
function judge(
  text: string,
  file: string,
  ours: readonly OurCheck[],
): { verdict: 'pass' | 'fail'; evidence: string[] } {
  const evidence: string[] = []
  for (const check of ours) {
    const spec = BUILTIN_POLICIES.find((p) => p.id === check.policy)
    if (!spec) throw new Error(`mapping names unknown policy ${check.policy}`)
    const { set, diagnostics } = compilePolicySet([spec], check.params ? { [spec.id]: check.params } : {})
    if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '))
    const result = checkSources([{ path: file, text }], { policies: set, resolver })
    for (const f of result.findings)
      if (!check.paths || check.paths.test(f.path)) evidence.push(`${f.policyId}: ${f.message}`)
  }
  return { verdict: evidence.length > 0 ? 'fail' : 'pass', evidence }
}

/** Compare every mapped check of the three tools; rows that cannot be compared are listed. */
export function compareScanners(corpusDir: string): {
  comparisons: Comparison[]
  skipped: Skipped[]
  unmapped: Record<Tool, string[]>
} {
  const comparisons: Comparison[] = []
  const skipped: Skipped[] = []
  const unmapped: Record<Tool, Set<string>> = { polaris: new Set(), 'kube-score': new Set(), kubesec: new Set() }
  const compare = (
    tool: Tool,
    check: string,
    dir: string,
    files: readonly string[],
    theirs: 'pass' | 'fail',
    ours: readonly OurCheck[],
  ): void => {
    const missing = files.filter((f) => !existsSync(join(dir, f)))
    if (missing.length > 0)
      return void skipped.push({
        tool,
        check,
        file: files.join(','),
        reason: 'fixture not in this corpus snapshot (held out)',
      })
    // kube-score tests may load several files as one input: judge them together.
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n---\n')
    const { verdict, evidence } = judge(text, files.join(','), ours)
    comparisons.push({
      tool,
      check,
      file: files.join(','),
      theirs,
      ours: verdict,
      agrees: verdict === theirs,
      evidence,
    })
  }

  const polarisDir = join(corpusDir, 'polaris')
  for (const line of readFileSync(join(polarisDir, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1)) {
    const [path = '', check = '', , , expected = ''] = line.split('\t')
    const ours = POLARIS[check]
    if (!ours) {
      unmapped.polaris.add(check)
      continue
    }
    if (expected === 'mutation-output') continue
    compare('polaris', check, polarisDir, [path], expected === 'deny' ? 'fail' : 'pass', ours)
  }

  const kubeScoreDir = join(corpusDir, 'kube-score')
  for (const line of readFileSync(join(kubeScoreDir, 'expectations.tsv'), 'utf8').trim().split('\n').slice(1)) {
    const [files = '', , check = '', grade = '', config = ''] = line.split('\t')
    let ours = KUBE_SCORE[check]
    if (!ours) {
      unmapped['kube-score'].add(check)
      continue
    }
    const theirs = grade === 'AllOK' ? 'pass' : grade === 'Warning' || grade === 'Critical' ? 'fail' : undefined
    if (theirs === undefined) {
      skipped.push({ tool: 'kube-score', check, file: files, reason: `grade ${grade} is not a verdict` })
      continue
    }
    if (config.includes('IgnoreContainerMemoryLimitRequirement=true')) {
      skipped.push({
        tool: 'kube-score',
        check,
        file: files,
        reason: 'run with a kube-score option Palisade has no equivalent of (memory limits not required)',
      })
      continue
    }
    if (config.includes('IgnoreContainerCpuLimitRequirement=true'))
      ours = ours.map((o) => (o.policy === 'require-resource-limits' ? { ...o, params: { cpu: false } } : o))
    compare('kube-score', check, join(kubeScoreDir, 'testdata'), files.split(/[,;]\s*/), theirs, ours)
  }

  const kubesecDir = join(corpusDir, 'kubesec')
  for (const { fixture, rule, fails } of KUBESEC_CASES) {
    const ours = KUBESEC[rule]
    if (!ours) throw new Error(`kubesec case names unmapped rule ${rule}`)
    compare('kubesec', rule, kubesecDir, [fixture], fails ? 'fail' : 'pass', ours)
  }
  for (const line of readFileSync(join(kubesecDir, 'rules.tsv'), 'utf8').trim().split('\n').slice(1)) {
    const rule = line.split('\t')[0] ?? ''
    if (!KUBESEC[rule]) unmapped.kubesec.add(rule)
  }
  return {
    comparisons,
    skipped,
    unmapped: {
      polaris: [...unmapped.polaris].sort(),
      'kube-score': [...unmapped['kube-score']].sort(),
      kubesec: [...unmapped.kubesec].sort(),
    },
  }
}
