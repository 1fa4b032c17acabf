import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { ToolError, type Action, type Diagnostic } from '../core/index.js'
import { createResolver, withLayoutEnvironments, type ConfigResolver, type PalisadeConfig } from '../config/index.js'
import { indexPolicies, type CompiledPolicySet } from '../engine/index.js'
import { discoverFiles } from '../sources/index.js'
import { scanPolicySpecs } from './credential-policy.js'
import { evalLimits } from './eval-limits.js'
import type { AppIo } from './io.js'
import { ConfigError, loadConfig } from './load-config.js'
import { buildPolicySet } from './policy-selection.js'
import { noPolicyError } from './no-policy.js'
import { withPssVersion } from './pss-version.js'
import { admissionImageRules, type ImageOptions } from './image-rules.js'
import { loadUserPolicies, withDeclaredActions } from './user-policies.js'

/** What chooses the policies of a run (the policy flags scan, serve, install and hook share). */
export interface PolicyOptions {
  /** `--config`: else palisade.yaml in the first scanned folder, else in the working directory. */
  config?: string
  /** `--policies`: sets and ids, over palisade.yaml's `policies.select`. */
  policies?: string
  /** `--policy-dir`: users' Kyverno policies and ValidatingAdmissionPolicies. */
  policyDir?: string
  /** `--pss-version`: the Pod Security Standards version of the built-in PSS policies. */
  pssVersion?: string
  /** `--action`: the default action when the configuration sets none for a finding. */
  action?: Action
  /** `--eval-timeout`: most milliseconds one user policy may take on one object. */
  evalTimeout?: number
}

/** How {@link loadPolicySet} loads, beyond the flags. */
export interface LoadPolicyOptions extends PolicyOptions {
  /** The scanned paths: palisade.yaml is looked for in the first folder among them. */
  scanPaths?: readonly string[]
  /** Any problem in a user policy fails the load (serve, install: a reload never serves a partial set). */
  strict?: boolean
  /** Policy ids to leave out (the pre-commit hook leaves credentials to its secret scan). */
  exclude?: readonly string[]
}

/** The policies of a run with the configuration they were chosen by. */
export interface PolicySet {
  config: PalisadeConfig
  policies: CompiledPolicySet
  /** A resolver (environments, actions, waivers) for the day of `now`, with the user policies' declared actions. */
  resolverAt(now: Date): ConfigResolver
  /** Problems reading the user policies (each names its file and line); the policies that could be read still run. */
  diagnostics: Diagnostic[]
  /** The configuration's environment names. */
  environments: string[]
}

/**
 * The one policy-set assembly of every use case: configuration (`--config`, else
 * palisade.yaml found by the scanned paths or the working directory; layout environments
 * when it defines none), the built-in library with the credential policy's palisade.yaml
 * parameters, `--policies`, `--pss-version`, `--action`, and `--policy-dir` user policies
 * with their declared actions.
 */
export async function loadPolicySet(options: LoadPolicyOptions, io: AppIo): Promise<PolicySet> {
  const read = await loadConfig(options.config, options.scanPaths ?? [], io)
  // The layout environments (production, staging, dev, qa) when palisade.yaml defines none.
  const loaded = withLayoutEnvironments(read)
  const config: PalisadeConfig =
    options.action === undefined ? loaded : { ...loaded, actions: { ...loaded.actions, default: options.action } }
  const specs = scanPolicySpecs(config)
  const builtins = buildPolicySet(withPssVersion(config, options.pssVersion), options.policies, specs)
  if (options.strict && options.policyDir !== undefined) {
    const dir = path.resolve(io.cwd, options.policyDir)
    await stat(dir).catch((error: unknown) => {
      throw new ToolError('FILE_UNREADABLE', `cannot read --policy-dir ${options.policyDir}`, {
        cause: error,
        hint: 'a folder of Kyverno policies or ValidatingAdmissionPolicies (a Git checkout)',
      })
    })
  }
  const user =
    options.policyDir === undefined
      ? undefined
      : await loadUserPolicies(options.policyDir, io.cwd, io.now, evalLimits(options.evalTimeout))
  if (options.strict) {
    const problems = user?.diagnostics.filter((d) => d.severity !== 'warning') ?? []
    if (problems.length > 0) throw new ConfigError(problems)
  }
  const excluded = new Set(options.exclude ?? [])
  const kept = excluded.size === 0 ? builtins.policies : builtins.policies.filter((p) => !excluded.has(p.meta.id))
  const policies = user
    ? indexPolicies([...kept, ...user.compiled])
    : excluded.size === 0
      ? builtins
      : indexPolicies(kept)
  // No policy at all passes everything; the hook's `exclude` is not emptiness (its secret scan does that check).
  if (builtins.policies.length === 0 && (user?.compiled.length ?? 0) === 0)
    throw noPolicyError(config, options.policies, specs)
  const resolverAt = (now: Date): ConfigResolver =>
    user ? withDeclaredActions(createResolver(config, now), config, user.declared) : createResolver(config, now)
  return {
    config,
    policies,
    resolverAt,
    diagnostics: user?.diagnostics ?? [],
    environments: config.environments.map((e) => e.name),
  }
}

/**
 * One policy generation for the webhook (`serve`, `install`): the scan's assembly, strict,
 * with palisade.yaml looked for in the working directory, and a hash of every file read so
 * a reload that changes nothing is skipped.
 */
export async function loadServePolicies(
  options: PolicyOptions & ImageOptions,
  io: AppIo,
): Promise<PolicySet & { hash: string; prefetch?: (object: unknown) => Promise<void> | undefined }> {
  const set = await loadPolicySet({ ...options, strict: true }, io)
  // Image rules: the image policies read live facts that `prefetch` fills before each request is decided.
  const images = await admissionImageRules(set.policies, set.config, options, io)
  return {
    ...set,
    policies: images.policies,
    hash: await contentHash(watchedPaths(options, set.config, io), io.cwd),
    ...(images.prefetch ? { prefetch: images.prefetch } : {}),
  }
}

/** The files and folders a serve reloads from: the configuration file and the policy folder. */
export function watchedPaths(options: PolicyOptions, config: PalisadeConfig, io: AppIo): string[] {
  const out: string[] = []
  if (config.file !== undefined) out.push(path.resolve(io.cwd, config.file))
  if (options.policyDir !== undefined) out.push(path.resolve(io.cwd, options.policyDir))
  return out
}

/** A hash of the YAML/JSON files below the paths (the one manifest walker's view of them), names and contents. */
async function contentHash(paths: readonly string[], cwd: string): Promise<string> {
  const hash = createHash('sha256')
  const found = await discoverFiles(paths, { cwd, allFiles: true })
  const files = found.files
    .map((f) => f.absolutePath)
    .filter((abs) => paths.includes(abs) || /\.(ya?ml|json)$/.test(abs))
  for (const file of files.sort())
    hash
      .update(file)
      .update('\0')
      .update(await readFile(file))
      .update('\0')
  return hash.digest('hex')
}
