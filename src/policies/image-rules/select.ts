import {
  globMatch,
  isRecord,
  type ImageFacts,
  type ImageRule,
  type KubeObject,
  type SupplyContext,
} from '../../core/index.js'
import { parseImageReference, type ImageReference } from '../image-reference/index.js'
import { containersOf } from '../pod-security-standards/index.js'

/** One container image that an `images:` rule applies to. */
export interface RuledImage {
  /** Container name, for messages. */
  name: string
  /** JSON Pointer of the `image` field. */
  pointer: string
  image: string
  ref: ImageReference
  /** `registry/repository`. */
  repository: string
  rule: ImageRule
  /** `sha256:...` as written, else as the edge resolved the tag; undefined when neither. */
  digest?: string
}

/** The `supply` parameter, when Palisade set it; undefined when there are no image rules. */
export function supplyOf(params: Readonly<Record<string, unknown>>): SupplyContext | undefined {
  const s = params.supply
  return isRecord(s) && Array.isArray(s.rules) && isRecord(s.facts) ? (s as unknown as SupplyContext) : undefined
}

/** `registry/repository` of a reference, the text `match` globs are matched against. */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`
}

/** The first rule whose globs and environments fit, as the configuration documents. */
export function ruleFor(
  rules: readonly ImageRule[],
  repository: string,
  environment: string | undefined,
): ImageRule | undefined {
  return rules.find(
    (r) =>
      (r.environments === undefined ||
        (environment !== undefined && r.environments.some((e) => globMatch(e, environment)))) &&
      r.match.some((m) => globMatch(m, repository)),
  )
}

/** `registry/repo:tag` key of a tag reference, as the edge records resolutions. */
export function tagKey(ref: ImageReference): string {
  return `${repositoryOf(ref)}:${ref.tag ?? 'latest'}`
}

/** Every container image of a pod (or pod template) that a rule applies to, in this environment. */
export function ruledImages(pod: KubeObject, supply: SupplyContext, environment: string | undefined): RuledImage[] {
  const out: RuledImage[] = []
  for (const c of containersOf(pod)) {
    const image = c.container.image
    if (typeof image !== 'string') continue
    const ref = parseImageReference(image)
    if (!ref) continue
    const repository = repositoryOf(ref)
    const rule = ruleFor(supply.rules, repository, environment)
    if (!rule) continue
    const digest = ref.digest ?? supply.facts.resolved.get(tagKey(ref))
    out.push({
      name: c.name,
      pointer: `${c.pointer}/image`,
      image,
      ref,
      repository,
      rule,
      ...(digest === undefined ? {} : { digest }),
    })
  }
  return out
}

/** Whether a rule requires a digest in this environment (default: only in production). */
export function requiresDigest(rule: ImageRule, environment: string | undefined): boolean {
  return rule.requireDigest ?? environment === 'production'
}

/** Facts with nothing known: every check that needs one is an error. */
export function emptyFacts(): ImageFacts {
  return { resolved: new Map(), signatures: new Map(), promotion: new Map(), reports: new Map(), reportsGiven: false }
}
