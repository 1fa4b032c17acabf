/**
 * The `images:` rules of palisade.yaml as the image policies read them: which rule applies
 * to which container image, and the facts the edge (src/supply) gathered, passed in as the
 * `supply` parameter so that evaluation stays pure.
 */
export { emptyFacts, ruledImages, ruleFor, repositoryOf, requiresDigest, supplyOf, tagKey } from './select.js'
export type { RuledImage } from './select.js'

/** The parameter every image policy declares; Palisade fills it from `images:` and what the edge found. */
export const SUPPLY_PARAM = {
  supply: {
    description:
      'Set by Palisade from palisade.yaml `images:` and the registry, history and report facts gathered before evaluation; not set by hand.',
    default: null,
  },
} as const

/** Ids of the policies that apply `images:` rules; selected whenever palisade.yaml has image rules. */
export const IMAGE_RULE_POLICIES: readonly string[] = [
  'require-image-digest',
  'verify-image-signatures',
  'require-promoted-image',
  'disallow-vulnerable-images',
  'disallow-shell-in-production-images',
]
