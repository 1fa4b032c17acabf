import path from 'node:path'
import { ToolError, type Diagnostic, type ImageFacts, type ImageReportFact, type KubeObject } from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import { compilePolicySet, indexPolicies, type CompiledPolicy, type CompiledPolicySet } from '../engine/index.js'
import { BUILTIN_POLICIES, IMAGE_RULE_POLICIES } from '../policies/index.js'
import type * as Supply from '../supply/index.js'
import type { ImageUse, SignatureLookup } from '../supply/index.js'
import { ConfigError } from './load-config.js'
import type { AppIo } from './io.js'

/**
 * The supply-chain module (registry client, Sigstore verification: some 100 modules), loaded
 * only when palisade.yaml has image rules: a scan without them never initialises it.
 */
const supply = (): Promise<typeof Supply> => import('../supply/index.js')

/** The image-rule options shared by `scan` and `serve` (`--registry`, `--offline`, ...). */
export interface ImageOptions {
  registry?: string[]
  offline?: boolean
  imageCache?: string
  trustedRoot?: string
  dockerConfig?: string
  imageReports?: string
  registryTimeout?: number
}

/** Registry access, trust and cache of a run, ready to gather facts. */
export async function prepareLookup(config: PalisadeConfig, flags: ImageOptions, io: AppIo): Promise<SignatureLookup> {
  const { loadTrust, readDockerConfig, RegistryClient, SignatureCache } = await supply()
  const rules = config.images ?? []
  const trust = await loadTrust(
    rules,
    path.resolve(io.cwd, config.root),
    flags.trustedRoot === undefined ? undefined : path.resolve(io.cwd, flags.trustedRoot),
  )
  const cache = new SignatureCache(path.resolve(io.cwd, flags.imageCache ?? '.palisade/cache/images'))
  if (flags.offline) {
    if (flags.registry?.length)
      throw new ToolError('USAGE', '--offline and --registry contradict each other', { hint: 'drop one of them' })
    return { rules, trust, cache, client: undefined }
  }
  const dockerConfig =
    flags.dockerConfig ?? path.join(io.env.DOCKER_CONFIG ?? path.join(io.env.HOME ?? '/', '.docker'), 'config.json')
  const credentials = await readDockerConfig(path.resolve(io.cwd, dockerConfig))
  const client = new RegistryClient({
    allow: new Set(flags.registry ?? []),
    credentials,
    timeoutMs: flags.registryTimeout ?? 10_000,
  })
  return { rules, trust, cache, client }
}

/**
 * The image policies of a run, compiled with the facts gathered for `objects`: the five
 * policies of IMAGE_RULE_POLICIES (minus `policies.disable`), with their configured params.
 * Undefined when palisade.yaml has no image rules.
 */
export async function imageRulePolicies(
  objects: readonly { object: KubeObject; environment: string | undefined }[],
  config: PalisadeConfig,
  lookup: SignatureLookup,
  flags: ImageOptions,
  now: Date,
  cwd: string,
): Promise<{ policies: CompiledPolicy[]; diagnostics: Diagnostic[] } | undefined> {
  if (!config.images?.length) return undefined
  const { gatherImageFacts, imagesOf } = await supply()
  const uses: ImageUse[] = objects.flatMap(({ object, environment }) =>
    imagesOf(object).map((image) => ({ image, environment })),
  )
  // The configuration's folder as the process sees it: Git and key files are read there, not in the process's working directory.
  const gathered = await gatherImageFacts(uses, {
    config: { ...config, root: path.resolve(cwd, config.root) },
    lookup,
    now,
    ...(flags.imageReports === undefined ? {} : { reportsDir: path.resolve(cwd, flags.imageReports) }),
  })
  return { policies: compileImagePolicies(config, gathered.facts), diagnostics: gathered.diagnostics }
}

/** The image policies (minus `policies.disable`) compiled with their configured params and these facts. */
export function compileImagePolicies(config: PalisadeConfig, facts: ImageFacts): CompiledPolicy[] {
  const supply = { rules: config.images ?? [], facts }
  const disabled = new Set(config.policies.disable)
  const specs = BUILTIN_POLICIES.filter((p) => IMAGE_RULE_POLICIES.includes(p.id) && !disabled.has(p.id))
  const params = Object.fromEntries(specs.map((p) => [p.id, { ...(config.policies.params[p.id] ?? {}), supply }]))
  const compiled = compilePolicySet(specs, params)
  if (compiled.diagnostics.length > 0)
    throw new ToolError('USAGE', compiled.diagnostics.map((d) => d.message).join('; '))
  return [...compiled.set.policies]
}

/** Replace the image policies of a set by the ones compiled with facts. */
export function withImagePolicies(
  policies: readonly CompiledPolicy[],
  images: readonly CompiledPolicy[],
): CompiledPolicy[] {
  return [...policies.filter((p) => !IMAGE_RULE_POLICIES.includes(p.meta.id)), ...images]
}

/**
 * The policies of a scan with image rules applied: facts gathered for the scanned
 * resources, the image policies compiled with them in place of the plain ones. Returns
 * the set unchanged when palisade.yaml has no image rules.
 */
export async function withImageRules(
  set: CompiledPolicySet,
  resources: readonly { object: KubeObject; environment: string | undefined }[],
  config: PalisadeConfig,
  options: ImageOptions,
  io: AppIo,
): Promise<{ policies: CompiledPolicySet; diagnostics: Diagnostic[] }> {
  if (!config.images?.length) return { policies: set, diagnostics: [] }
  const lookup = await prepareLookup(config, options, io)
  const images = (await imageRulePolicies(resources, config, lookup, options, io.now(), io.cwd)) as {
    policies: CompiledPolicy[]
    diagnostics: Diagnostic[]
  }
  return { policies: indexPolicies(withImagePolicies(set.policies, images.policies)), diagnostics: images.diagnostics }
}

/**
 * Image rules at admission: promotion history and reports read once per policy generation,
 * signatures looked up per request (`prefetch`) into live facts that the image policies read.
 */
export async function admissionImageRules(
  set: CompiledPolicySet,
  config: PalisadeConfig,
  options: ImageOptions,
  io: AppIo,
): Promise<{ policies: CompiledPolicySet; prefetch?: (object: unknown) => Promise<void> | undefined }> {
  if (!config.images?.length) return { policies: set }
  const { AdmissionImageFacts, gatherPromotion, readReports } = await supply()
  const lookup = await prepareLookup(config, options, io)
  const froms = new Set(config.images.flatMap((r) => (r.promotion ? [r.promotion.from] : [])))
  const history = await gatherPromotion({ ...config, root: path.resolve(io.cwd, config.root) }, froms, io.now())
  const reports = new Map<string, ImageReportFact>()
  if (options.imageReports !== undefined) {
    const problems: Diagnostic[] = []
    await readReports(path.resolve(io.cwd, options.imageReports), reports, problems)
    if (problems.length > 0) throw new ConfigError(problems)
  }
  const live = new AdmissionImageFacts(lookup, [undefined, ...config.environments.map((e) => e.name)], {
    ...history,
    reports,
    reportsGiven: options.imageReports !== undefined,
  })
  return {
    policies: indexPolicies(withImagePolicies(set.policies, compileImagePolicies(config, live.facts))),
    prefetch: (object) => live.prefetch(object),
  }
}
