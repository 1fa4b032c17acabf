import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { ToolError, type Action, type Diagnostic, type ImageReportFact } from '../core/index.js'
import { createResolver, withLayoutEnvironments, type PalisadeConfig } from '../config/index.js'
import { indexPolicies } from '../engine/index.js'
import type { LoadedPolicies } from '../server/index.js'
import { evalLimits } from './eval-limits.js'
import type { CliIo } from './io.js'
import { ConfigError, loadConfig } from './load-config.js'
import { buildPolicySet } from './policies.js'
import { withPssVersion } from './pss-version.js'
import { scanPolicySpecs } from './scan-gate.js'
import { loadUserPolicies, withDeclaredActions } from './user-policies.js'
import { compileImagePolicies, prepareLookup, withImagePolicies, type ImageFlags } from './scan-images.js'
import { AdmissionImageFacts, gatherPromotion, readReports } from '../supply/index.js'

/** The policy flags `serve` and `install` share with `scan`. */
export interface PolicyFlags extends ImageFlags {
  config?: string
  policies?: string
  policyDir?: string
  pssVersion?: string
  /** `--action`: the default action when the configuration sets none for a finding. */
  action?: Action
  /** `--eval-timeout`: most milliseconds one user policy may take on one object. */
  evalTimeout?: number
}

/**
 * Load one policy generation exactly as `scan` builds its policies: configuration
 * (`--config`, else palisade.yaml in the working directory; layout environments when it
 * defines none, as in scan), the built-in library plus
 * the credential rules, `--policies`, `--policy-dir` user policies with their declared
 * actions. Any problem in a user policy fails the whole load, so a reload never serves a
 * partial set. The hash covers every file read.
 */
export async function loadServePolicies(flags: PolicyFlags, io: CliIo): Promise<LoadedPolicies & { config: PalisadeConfig }> {
  const loaded = withLayoutEnvironments(await loadConfig(flags.config, [], io))
  const config: PalisadeConfig = flags.action === undefined ? loaded : { ...loaded, actions: { ...loaded.actions, default: flags.action } }
  const builtins = buildPolicySet(withPssVersion(config, flags.pssVersion), flags.policies, scanPolicySpecs(config))
  if (flags.policyDir !== undefined) {
    const dir = path.resolve(io.cwd, flags.policyDir)
    await stat(dir).catch((error: unknown) => {
      throw new ToolError('FILE_UNREADABLE', `cannot read --policy-dir ${flags.policyDir}`, { cause: error, hint: 'a folder of Kyverno policies or ValidatingAdmissionPolicies (a Git checkout)' })
    })
  }
  const user = flags.policyDir === undefined ? undefined : loadUserPolicies(flags.policyDir, io.cwd, io.now, evalLimits(flags.evalTimeout))
  const problems = user?.diagnostics.filter((d) => d.severity !== 'warning') ?? []
  if (problems.length > 0) throw new ConfigError(problems)
  const images = config.images?.length ? await admissionImages(config, flags, io) : undefined
  const base = images ? withImagePolicies(builtins.policies, images.policies) : builtins.policies
  const policies = user || images ? indexPolicies([...base, ...(user?.compiled ?? [])]) : builtins
  const resolverAt = (now: Date) => (user ? withDeclaredActions(createResolver(config, now), config, user.declared) : createResolver(config, now))
  return { policies, resolverAt, hash: await contentHash(watchedPaths(flags, config, io)), environments: config.environments.map((e) => e.name), config, ...(images ? { prefetch: images.prefetch } : {}) }
}

/**
 * Image rules at admission: promotion history and reports read once per generation, and
 * signatures looked up per request (prefetch) into live facts that the image policies read.
 */
async function admissionImages(config: PalisadeConfig, flags: PolicyFlags, io: CliIo): Promise<{ policies: ReturnType<typeof compileImagePolicies>; prefetch: (object: unknown) => Promise<void> | undefined }> {
  const lookup = await prepareLookup(config, flags, io)
  const froms = new Set((config.images ?? []).flatMap((r) => (r.promotion ? [r.promotion.from] : [])))
  const history = await gatherPromotion(config, froms, io.now())
  const reports = new Map<string, ImageReportFact>()
  if (flags.imageReports !== undefined) {
    const problems: Diagnostic[] = []
    await readReports(path.resolve(io.cwd, flags.imageReports), reports, problems)
    if (problems.length > 0) throw new ConfigError(problems)
  }
  const live = new AdmissionImageFacts(lookup, [undefined, ...config.environments.map((e) => e.name)], { ...history, reports, reportsGiven: flags.imageReports !== undefined })
  return { policies: compileImagePolicies(config, live.facts), prefetch: (object) => live.prefetch(object) }
}

/** The files and folders a serve reloads from: the configuration file and the policy folder. */
export function watchedPaths(flags: PolicyFlags, config: PalisadeConfig, io: CliIo): string[] {
  const out: string[] = []
  if (config.file !== undefined) out.push(path.resolve(io.cwd, config.file))
  if (flags.policyDir !== undefined) out.push(path.resolve(io.cwd, flags.policyDir))
  return out
}

async function contentHash(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256')
  const add = async (p: string): Promise<void> => {
    const info = await stat(p)
    if (info.isDirectory()) {
      for (const entry of (await readdir(p)).sort()) if (entry !== '.git' && entry !== 'node_modules') await add(path.join(p, entry))
    } else if (/\.(ya?ml|json)$/.test(p)) {
      hash.update(p).update('\0').update(await readFile(p)).update('\0')
    }
  }
  for (const p of paths) await add(p)
  return hash.digest('hex')
}
