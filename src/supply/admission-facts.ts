import { type ImageFacts, type ImageReportFact, type KubeObject, type SignatureFact } from '../core/index.js'
import { parseImageReference, repositoryOf, ruleFor } from '../policies/index.js'
import { gatherSignatures, imagesOf, type ImageUse, type SignatureLookup } from './gather-signatures.js'

/** Past this many entries the live maps start over (a bound on memory, not a cache policy). */
const MAX_ENTRIES = 50_000

/**
 * Image facts for the admission webhook: one live set per policy generation, filled by
 * `prefetch` before a request is decided. A request whose images are all known already
 * (the warm path) gets no promise back and is decided at once, with no I/O. Facts that are
 * `error` (registry unreachable, timed out) are tried again on the next request.
 */
export class AdmissionImageFacts {
  private readonly resolved = new Map<string, string>()
  private readonly signatures = new Map<string, SignatureFact>()
  readonly facts: ImageFacts

  constructor(
    private readonly lookup: SignatureLookup,
    private readonly environments: readonly (string | undefined)[],
    base: {
      promotion: ImageFacts['promotion']
      promotionError?: string
      reports: ReadonlyMap<string, ImageReportFact>
      reportsGiven: boolean
    },
  ) {
    this.facts = {
      resolved: this.resolved,
      signatures: this.signatures,
      promotion: base.promotion,
      reports: base.reports,
      reportsGiven: base.reportsGiven,
      ...(base.promotionError === undefined ? {} : { promotionError: base.promotionError }),
    }
  }

  /** Look up what `object`'s images need; undefined when nothing is missing. Never rejects. */
  prefetch(object: unknown): Promise<void> | undefined {
    if (typeof object !== 'object' || object === null) return undefined
    const missing: ImageUse[] = []
    for (const image of imagesOf(object as KubeObject)) {
      const ref = parseImageReference(image)
      if (!ref) continue
      const repository = repositoryOf(ref)
      for (const environment of this.environments) {
        if (!ruleFor(this.lookup.rules, repository, environment)?.signatures) continue
        const digest = ref.digest ?? this.resolved.get(`${repository}:${ref.tag ?? 'latest'}`)
        const fact = digest === undefined ? undefined : this.signatures.get(`${repository}@${digest}`)
        if (fact === undefined || fact.status === 'error') missing.push({ image, environment })
      }
    }
    if (missing.length === 0) return undefined
    return gatherSignatures(missing, this.lookup).then(({ resolved, signatures }) => {
      if (this.signatures.size > MAX_ENTRIES) this.signatures.clear()
      if (this.resolved.size > MAX_ENTRIES) this.resolved.clear()
      for (const [k, v] of resolved) this.resolved.set(k, v)
      for (const [k, v] of signatures) this.signatures.set(k, v)
    })
  }
}
