import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs'
import path from 'node:path'
import { describeError, outsideRootMessage, ToolError, type Action, type Diagnostic, type KubeObject } from '../core/index.js'
import { createJmespath, defaultHooks, loadPolicyDocuments, POLICY_KINDS, toCompiledPolicies } from '../compat/index.js'
import type { ConfigResolver, PalisadeConfig } from '../config/index.js'
import type { CompiledPolicy, EvalLimits } from '../engine/index.js'
import { realPathInside } from '../sources/index.js'
import { builtinPodSecurity } from './pod-security.js'
import { YamlFiles, type LoadedDocument } from './yaml-files.js'

/** User policies of `--policy-dir`, compiled, with what went wrong reading them. */
export interface UserPolicies {
  compiled: CompiledPolicy[]
  /** Action each policy declares (Enforce/Audit, VAP validationActions), by policy id. */
  declared: Map<string, Action>
  diagnostics: Diagnostic[]
}

/**
 * The YAML/JSON files below DIR (itself a root): a symlink whose real path leads out of
 * DIR is reported, naming the link, and not read.
 */
function yamlFilesBelow(dir: string, display: (abs: string) => string): { files: string[]; diagnostics: Diagnostic[] } {
  const out: string[] = []
  const diagnostics: Diagnostic[] = []
  let info: Stats
  let rootReal: string
  try {
    info = statSync(dir)
    rootReal = realpathSync.native(dir)
  } catch (error) {
    throw new ToolError('USAGE', `cannot read --policy-dir ${dir}`, { cause: error, hint: 'a folder (or file) of Kyverno policies or ValidatingAdmissionPolicies' })
  }
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(full)
      } else if (/\.(ya?ml|json)$/.test(entry.name)) {
        if (entry.isSymbolicLink()) {
          let inside: string | undefined
          try {
            inside = realPathInside(full, rootReal)
          } catch (error) {
            diagnostics.push({ code: 'FILE_UNREADABLE', message: `cannot resolve ${display(full)}: ${describeError(error)}` })
            continue
          }
          if (inside === undefined) {
            diagnostics.push({ code: 'FILE_UNREADABLE', message: outsideRootMessage(display(full), display(dir)) })
            continue
          }
        }
        out.push(full)
      }
    }
  }
  if (info.isDirectory()) walk(dir)
  else out.push(dir)
  return { files: out.sort(), diagnostics }
}

/** Every Kubernetes document of the YAML/JSON files below DIR; unreadable files are diagnostics. */
export function loadUserPolicyDocuments(dir: string, cwd: string, files: YamlFiles): { documents: LoadedDocument[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const documents: LoadedDocument[] = []
  const below = yamlFilesBelow(path.resolve(cwd, dir), (abs) => files.display(abs))
  diagnostics.push(...below.diagnostics)
  for (const file of below.files) {
    const r = files.load(file)
    if ('error' in r) diagnostics.push(r.error)
    else documents.push(...r.documents)
  }
  return { documents, diagnostics }
}

/**
 * Read every YAML/JSON file below DIR and keep the documents whose kind is a policy
 * (Kyverno ClusterPolicy, Policy, ValidatingPolicy; ValidatingAdmissionPolicy and
 * bindings). Other documents there (VAP params, ConfigMaps) are visible to lookups. A
 * policy that cannot be read is a diagnostic with its file and line; the rest still run.
 * `limits` bound each policy's evaluation of one resource (default: 2 s, Kubernetes' CEL budget).
 */
export function loadUserPolicies(dir: string, cwd: string, now: () => Date, limits?: EvalLimits): UserPolicies {
  const { documents, diagnostics } = loadUserPolicyDocuments(dir, cwd, new YamlFiles(cwd))
  const policyDocs = documents.filter((d) => POLICY_KINDS.has(String(d.object.kind)))
  const extraObjects: KubeObject[] = documents.filter((d) => !POLICY_KINDS.has(String(d.object.kind))).map((d) => d.object)
  const loaded = loadPolicyDocuments(policyDocs)
  diagnostics.push(...loaded.diagnostics)
  const compiled = toCompiledPolicies(loaded.policies, { jp: createJmespath(now), hooks: defaultHooks(builtinPodSecurity()), extraObjects, ...(limits ? { limits } : {}) })
  const declared = new Map<string, Action>(loaded.policies.map((p) => [p.testName, p.declaredAction]))
  return { compiled, declared, diagnostics }
}

/**
 * A user policy's own action (Kyverno Enforce/Audit, VAP validationActions) applies unless
 * palisade.yaml sets an action for that policy id.
 */
export function withDeclaredActions(resolver: ConfigResolver, config: PalisadeConfig, declared: ReadonlyMap<string, Action>): ConfigResolver {
  const configured = (id: string): boolean =>
    config.actions.policies?.[id] !== undefined || config.environments.some((e) => e.actions.policies?.[id] !== undefined)
  return {
    ...resolver,
    actionFor(policyId, severity, environment) {
      const own = declared.get(policyId)
      return own !== undefined && !configured(policyId) ? own : resolver.actionFor(policyId, severity, environment)
    },
  }
}
