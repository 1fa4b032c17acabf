import { statSync } from 'node:fs'
import path from 'node:path'
import { ToolError, type Action, type Diagnostic, type KubeObject } from '../core/index.js'
import type { ConfigResolver, PalisadeConfig } from '../config/index.js'
import type { CompiledPolicy, EvalLimits } from '../engine/index.js'
import { discoverFiles } from '../sources/index.js'
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
 * The YAML/JSON files below DIR (itself a root), found by the one manifest walker
 * (sources.discoverFiles: the skip list, .palisadeignore, symlinks followed only inside
 * the root, anything else reported naming the link).
 */
async function yamlFilesBelow(dir: string, cwd: string): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  try {
    statSync(dir)
  } catch (error) {
    throw new ToolError('USAGE', `cannot read --policy-dir ${dir}`, {
      cause: error,
      hint: 'a folder (or file) of Kyverno policies or ValidatingAdmissionPolicies',
    })
  }
  const found = await discoverFiles([dir], { cwd, allFiles: true })
  const files = found.files.map((f) => f.absolutePath).filter((abs) => abs === dir || /\.(ya?ml|json)$/.test(abs))
  return { files: files.sort(), diagnostics: found.diagnostics }
}

/** Every Kubernetes document of the YAML/JSON files below DIR; unreadable files are diagnostics. */
export async function loadUserPolicyDocuments(
  dir: string,
  cwd: string,
  files: YamlFiles,
): Promise<{ documents: LoadedDocument[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = []
  const documents: LoadedDocument[] = []
  const below = await yamlFilesBelow(path.resolve(cwd, dir), cwd)
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
 * bindings; Gatekeeper ConstraintTemplates and Constraints). Other documents there (VAP params, ConfigMaps) are visible to lookups. A
 * policy that cannot be read is a diagnostic with its file and line; the rest still run.
 * `limits` bound each policy's evaluation of one resource (default: 2 s, Kubernetes' CEL budget).
 */
export async function loadUserPolicies(
  dir: string,
  cwd: string,
  now: () => Date,
  limits?: EvalLimits,
): Promise<UserPolicies> {
  // Loaded here, not at start-up: the Kyverno/Gatekeeper layer (jmespath, the Rego engine, ajv)
  // is only needed when there are user policies.
  const { createJmespath, defaultHooks, isPolicyDocument, loadPolicyDocuments, POLICY_KINDS, toCompiledPolicies } =
    await import('../compat/index.js')
  const { documents, diagnostics } = await loadUserPolicyDocuments(dir, cwd, new YamlFiles(cwd))
  const policyDocs = documents.filter((d) => isPolicyDocument(d.object))
  // Gatekeeper constraints stay visible to lookups: they are the params of exported VAPs.
  const extraObjects: KubeObject[] = documents
    .filter((d) => !POLICY_KINDS.has(String(d.object.kind)))
    .map((d) => d.object)
  const loaded = loadPolicyDocuments(policyDocs)
  diagnostics.push(...loaded.diagnostics)
  const compiled = toCompiledPolicies(loaded.policies, {
    jp: createJmespath(now),
    now,
    hooks: defaultHooks(builtinPodSecurity()),
    extraObjects,
    ...(limits ? { limits } : {}),
  })
  const declared = new Map<string, Action>(loaded.policies.map((p) => [p.testName, p.declaredAction]))
  return { compiled, declared, diagnostics }
}

/**
 * A user policy's own action (Kyverno Enforce/Audit, VAP validationActions) applies unless
 * palisade.yaml sets an action for that policy id.
 */
export function withDeclaredActions(
  resolver: ConfigResolver,
  config: PalisadeConfig,
  declared: ReadonlyMap<string, Action>,
): ConfigResolver {
  const configured = (id: string): boolean =>
    config.actions.policies?.[id] !== undefined ||
    config.environments.some((e) => e.actions.policies?.[id] !== undefined)
  return {
    ...resolver,
    actionFor(policyId, severity, environment) {
      const own = declared.get(policyId)
      return own !== undefined && !configured(policyId) ? own : resolver.actionFor(policyId, severity, environment)
    },
  }
}
