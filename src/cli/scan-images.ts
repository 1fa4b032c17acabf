import path from 'node:path'
import { Option, InvalidArgumentError, type Command } from 'commander'
import { ToolError, type Diagnostic, type ImageFacts, type KubeObject } from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import { compilePolicySet, type CompiledPolicy } from '../engine/index.js'
import { BUILTIN_POLICIES, IMAGE_RULE_POLICIES } from '../policies/index.js'
import { gatherImageFacts, imagesOf, loadTrust, readDockerConfig, RegistryClient, SignatureCache, type ImageUse, type SignatureLookup } from '../supply/index.js'
import type { CliIo } from './io.js'

/** The image-rule flags shared by `scan` and `serve`. */
export interface ImageFlags {
  registry?: string[]
  offline?: boolean
  imageCache?: string
  trustedRoot?: string
  dockerConfig?: string
  imageReports?: string
  registryTimeout?: number
}

/** Add the image-rule options (palisade.yaml `images:`) to a command. */
export function withImageOptions(command: Command): Command {
  return command
    .option('--registry <host...>', 'registries (host[:port]) image rules may contact; palisade.yaml cannot add any, so a repository never makes Palisade reach a host; * allows every registry')
    .option('--offline', 'image rules: use only the image cache; images not in it are reported as not checked (which blocks)')
    .option('--image-cache <dir>', 'folder of the signature cache by digest (default: .palisade/cache/images)')
    .option('--trusted-root <file>', 'Sigstore trusted_root.json that keyless signatures must chain to (certificate authorities, transparency logs)')
    .option('--docker-config <file>', 'registry credentials (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json)')
    .option('--image-reports <dir>', 'Trivy or Grype JSON reports and CycloneDX or SPDX JSON SBOMs of the images, for images rules with reports')
    .addOption(new Option('--registry-timeout <ms>', 'most time one registry request may take (default: 10000)').argParser(positiveMs))
}

/** Registry access, trust and cache of a run, ready to gather facts. */
export async function prepareLookup(config: PalisadeConfig, flags: ImageFlags, io: CliIo): Promise<SignatureLookup> {
  const rules = config.images ?? []
  const trust = await loadTrust(rules, config.root, flags.trustedRoot === undefined ? undefined : path.resolve(io.cwd, flags.trustedRoot))
  const cache = new SignatureCache(path.resolve(io.cwd, flags.imageCache ?? '.palisade/cache/images'))
  if (flags.offline) {
    if (flags.registry?.length) throw new ToolError('USAGE', '--offline and --registry contradict each other', { hint: 'drop one of them' })
    return { rules, trust, cache, client: undefined }
  }
  const dockerConfig = flags.dockerConfig ?? path.join(io.env.DOCKER_CONFIG ?? path.join(io.env.HOME ?? '/', '.docker'), 'config.json')
  const credentials = await readDockerConfig(path.resolve(io.cwd, dockerConfig))
  const client = new RegistryClient({ allow: new Set(flags.registry ?? []), credentials, timeoutMs: flags.registryTimeout ?? 10_000 })
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
  flags: ImageFlags,
  now: Date,
  cwd: string,
): Promise<{ policies: CompiledPolicy[]; diagnostics: Diagnostic[] } | undefined> {
  if (!config.images?.length) return undefined
  const uses: ImageUse[] = objects.flatMap(({ object, environment }) => imagesOf(object).map((image) => ({ image, environment })))
  const gathered = await gatherImageFacts(uses, { config, lookup, now, ...(flags.imageReports === undefined ? {} : { reportsDir: path.resolve(cwd, flags.imageReports) }) })
  return { policies: compileImagePolicies(config, gathered.facts), diagnostics: gathered.diagnostics }
}

/** The image policies (minus `policies.disable`) compiled with their configured params and these facts. */
export function compileImagePolicies(config: PalisadeConfig, facts: ImageFacts): CompiledPolicy[] {
  const supply = { rules: config.images ?? [], facts }
  const disabled = new Set(config.policies.disable)
  const specs = BUILTIN_POLICIES.filter((p) => IMAGE_RULE_POLICIES.includes(p.id) && !disabled.has(p.id))
  const params = Object.fromEntries(specs.map((p) => [p.id, { ...(config.policies.params[p.id] ?? {}), supply }]))
  const compiled = compilePolicySet(specs, params)
  if (compiled.diagnostics.length > 0) throw new ToolError('USAGE', compiled.diagnostics.map((d) => d.message).join('; '))
  return [...compiled.set.policies]
}

/** Replace the image policies of a set by the ones compiled with facts. */
export function withImagePolicies(policies: readonly CompiledPolicy[], images: readonly CompiledPolicy[]): CompiledPolicy[] {
  return [...policies.filter((p) => !IMAGE_RULE_POLICIES.includes(p.meta.id)), ...images]
}

function positiveMs(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number of milliseconds, got "${value}"`)
  return n
}
