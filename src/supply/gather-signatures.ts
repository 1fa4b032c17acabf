import { describeError, isRecord, type ImageRule, type KubeObject, type SignatureFact } from '../core/index.js'
import { parseImageReference, repositoryOf, ruleFor, tagKey } from '../policies/index.js'
import { verifyCosignSignatures } from './cosign.js'
import type { RegistryClient } from './registry-client.js'
import { SignatureCache } from './signature-cache.js'
import type { LoadedTrust } from './trust.js'

/** One image reference as a resource uses it, in the resource's environment. */
export interface ImageUse {
  image: string
  environment: string | undefined
}

/** How signatures are looked up. Without a client (`--offline`), only the cache answers. */
export interface SignatureLookup {
  rules: readonly ImageRule[]
  trust: ReadonlyMap<ImageRule, LoadedTrust>
  client: RegistryClient | undefined
  cache: SignatureCache
  /** Lookups run at once (default 8). */
  concurrency?: number
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers'])

/** Every container image an object names, at any depth (Pods, every workload template, custom resources that embed one). */
export function imagesOf(object: KubeObject): string[] {
  const out: string[] = []
  const walk = (value: unknown, depth: number): void => {
    if (depth > 12 || !isRecord(value)) return
    for (const [key, child] of Object.entries(value)) {
      if (CONTAINER_LISTS.has(key) && Array.isArray(child)) {
        for (const c of child) if (isRecord(c) && typeof c.image === 'string') out.push(c.image)
      } else if (Array.isArray(child)) {
        for (const item of child) walk(item, depth + 1)
      } else walk(child, depth + 1)
    }
  }
  walk(object, 0)
  return out
}

/**
 * Check the signatures of every image that a rule with `signatures` applies to, resolving
 * tags to digests on the way. Never throws: a registry that cannot be reached, is not
 * allowed, or serves nonsense gives an `error` fact for that image, which blocks; a tag
 * that could not be resolved is listed in `unresolved` (the policy reports its digest unknown).
 */
export async function gatherSignatures(
  uses: readonly ImageUse[],
  lookup: SignatureLookup,
): Promise<{ resolved: Map<string, string>; signatures: Map<string, SignatureFact>; unresolved: Map<string, string> }> {
  const resolved = new Map<string, string>()
  const unresolved = new Map<string, string>()
  const signatures = new Map<string, SignatureFact>()
  const jobs = new Map<string, () => Promise<void>>()
  for (const use of uses) {
    const ref = parseImageReference(use.image)
    if (!ref) continue
    const repository = repositoryOf(ref)
    const rule = ruleFor(lookup.rules, repository, use.environment)
    const trust = rule ? lookup.trust.get(rule) : undefined
    if (!rule?.signatures || !trust) continue
    const jobKey = `${repository} ${ref.digest ?? tagKey(ref)} ${trust.id}`
    if (jobs.has(jobKey)) continue
    jobs.set(jobKey, async () => {
      let digest = ref.digest
      if (digest === undefined) {
        if (!lookup.client || !lookup.client.allowed(ref.registry)) return // the policy reports a digest it does not know
        try {
          digest = (await lookup.client.manifest(ref.registry, ref.repository, ref.tag ?? 'latest'))?.digest
        } catch (error) {
          unresolved.set(tagKey(ref), describeError(error))
          return
        }
        if (digest === undefined) {
          unresolved.set(tagKey(ref), 'the registry has no such tag')
          return
        }
        resolved.set(tagKey(ref), digest)
      }
      const at = `${repository}@${digest}`
      signatures.set(at, await checkOne(ref.registry, ref.repository, digest, at, trust, lookup))
    })
  }
  await runLimited([...jobs.values()], lookup.concurrency ?? 8)
  return { resolved, signatures, unresolved }
}

async function checkOne(
  registry: string,
  repository: string,
  digest: string,
  at: string,
  trust: LoadedTrust,
  lookup: SignatureLookup,
): Promise<SignatureFact> {
  try {
    const cacheKey = SignatureCache.key(at, trust.id)
    const cached = await lookup.cache.get(cacheKey)
    // A verified signature stays verified for the same trust; other verdicts are re-checked when online.
    if (cached && (cached.status === 'verified' || !lookup.client)) return cached
    if (!lookup.client)
      return { status: 'error', reason: 'not in the image cache, and --offline forbids registry lookups' }
    if (!lookup.client.allowed(registry))
      return { status: 'error', reason: `registry ${registry} is not allowed (add --registry ${registry})` }
    const fact = await verifyCosignSignatures(lookup.client, registry, repository, digest, trust.trust)
    await lookup.cache.set(cacheKey, fact)
    return fact
  } catch (error) {
    return { status: 'error', reason: describeError(error) }
  }
}

async function runLimited(jobs: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++] as () => Promise<void>
      await job()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker))
}
