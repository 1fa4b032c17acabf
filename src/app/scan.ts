import type { BlockingRule, CheckResult, Severity } from '../core/index.js'
import type { ConfigResolver, PalisadeConfig } from '../config/index.js'
import { checkResources } from '../pipeline/index.js'
import { baselineOf, compareWithBaseline, repositoryOfPaths } from './baseline.js'
import type { BaselineChoice } from './synthetic-merge.js'
import { collectInputs, renderBase, requireExistingPaths, type InputOptions, type Inputs } from './collect-inputs.js'
import type { GitOpsScan } from '../gitops/index.js'
import type { AppIo, ProgressSink } from './io.js'
import { loadPolicySet, type PolicyOptions, type PolicySet } from './policy-set.js'
import { redactedResult } from './redact-result.js'
import { withImageRules, type ImageOptions } from './image-rules.js'

/** Everything `scan` is asked: what to read, which policies, which environment, which baseline. */
export interface ScanOptions extends PolicyOptions, InputOptions, ImageOptions {
  paths: readonly string[]
  /** `--env`: every resource is in this environment. */
  env?: string
  /** `--baseline REF`: compare with the tree of this Git ref. */
  baseline?: string
  /** `--fail-on`: deny findings below this severity do not block. */
  failOn?: Severity
  /** Keep a record of every policy × resource evaluation (JUnit). */
  collectChecks?: boolean
  onProgress?: ProgressSink
  /** Called when a phase's progress display should end (before the next phase prints). */
  onProgressDone?: () => void
  /** A warning to show the user while the scan goes on (an unknown --env). */
  onWarning?: (message: string) => void
}

/** What a scan found and what it was judged by. */
export interface ScanOutcome {
  /** The complete result: baseline applied, summary counted from its findings, secrets redacted. */
  result: CheckResult
  config: PalisadeConfig
  policySet: PolicySet
  resolver: ConfigResolver
  inputs: Inputs
  /** The rule by which the result blocks (exit 1): `--fail-on` over palisade.yaml, and its `errors:` mode. */
  rule: BlockingRule
  /** With `--baseline REF`: the commit compared with (the fork point, or a synthetic merge's first parent) and why. */
  baseline?: BaselineChoice
}

/** What every scan does first: the paths exist, the policy set, the resolver of the run's time. */
export interface PreparedScan {
  policySet: PolicySet
  resolver: ConfigResolver
}

/** Check the paths, load the policy set, and warn about an --env palisade.yaml does not define. */
export async function prepareScan(options: ScanOptions, io: AppIo): Promise<PreparedScan> {
  const { paths } = options
  await requireExistingPaths(paths, io.cwd)
  const policySet = await loadPolicySet({ ...options, scanPaths: paths }, io)
  const { config } = policySet
  const resolver = policySet.resolverAt(io.now())
  if (
    options.env !== undefined &&
    config.environments.length > 0 &&
    !config.environments.some((e) => e.name === options.env)
  ) {
    options.onWarning?.(
      `environment "${options.env}" is not defined in ${config.file ?? 'palisade.yaml'}; global actions apply`,
    )
  }
  return { policySet, resolver }
}

/**
 * `palisade scan` as a use case: load the policy set, collect the inputs (render, read,
 * parse, validate), check them, compare with the baseline when asked, and redact. The
 * result is complete; a front end only prints it.
 */
export async function runScan(
  options: ScanOptions,
  io: AppIo,
  /** What a streaming scan already did before it found it had to hold everything (GitOps renders). */
  prepared?: { scan: PreparedScan; rendered?: GitOpsScan },
): Promise<ScanOutcome> {
  const { paths } = options
  const { policySet, resolver } = prepared?.scan ?? (await prepareScan(options, io))
  const { config, policies } = policySet
  const progress = options.onProgress ?? (() => {})
  const inputs = await collectInputs(paths, options, config, resolver, io, progress, prepared?.rendered)
  const environment = options.env === undefined ? {} : { environment: options.env }
  // Image rules: facts (registry, Git history, reports) gathered for these resources, judged by pure policies.
  const envOf = (r: Inputs['resources'][number]): string | undefined =>
    options.env ?? r.environment ?? resolver.environmentForFile(r.file)
  const images = await withImageRules(
    policies,
    inputs.resources.map((r) => ({ object: r.object, environment: envOf(r) })),
    config,
    options,
    io,
  )
  let result = checkResources(
    inputs.resources,
    inputs.sources,
    [...policySet.diagnostics, ...inputs.diagnostics, ...images.diagnostics],
    {
      policies: images.policies,
      unreadFiles: inputs.unreadable.length,
      resolver,
      ...environment,
      collectChecks: options.collectChecks === true,
      ...(inputs.gitops ? { renderedTexts: inputs.gitops.texts } : {}),
    },
  )
  options.onProgressDone?.()
  let baseline: BaselineChoice | undefined
  if (options.baseline !== undefined) {
    baseline = await baselineOf(await repositoryOfPaths(paths, io.cwd), options.baseline)
    const baseRendered = options.render
      ? await renderBase(options.baseline, paths, options, config, resolver, io, (d, t) =>
          progress('Rendering base', d, t),
        )
      : undefined
    options.onProgressDone?.()
    const check = { policies, resolver, ...environment }
    result = await compareWithBaseline(
      result,
      {
        ref: options.baseline,
        paths,
        maxFileBytes: options.maxFileSize,
        config,
        check,
        headSources: inputs.sources,
        ...(baseRendered ? { baseRendered } : {}),
      },
      io,
    )
  }
  const failOn = options.failOn ?? config.failOn
  return {
    result: redactedResult(result),
    config,
    policySet,
    resolver,
    inputs,
    rule: { ...(failOn ? { failOn } : {}), ...(config.errors ? { errors: config.errors } : {}) },
    ...(baseline ? { baseline } : {}),
  }
}
