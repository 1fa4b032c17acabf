import { isRecord, type KubeObject } from '../../core/index.js'

/**
 * The newest Pod Security Standards policy version Palisade knows: the highest minor at
 * which any check changed (sysctls gained two names at v1.37). `latest`, and any newer
 * version, evaluate as this one, exactly as Pod Security Admission clamps to its
 * registry's maximum.
 */
export const PSS_LATEST_MINOR = 37

/** The namespace label Pod Security Admission reads to pin the enforced policy version. */
export const PSS_ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version'

/** The parameter every built-in PSS policy takes: `latest` or `v1.N`. */
export const PSS_VERSION_PARAM = 'version'

/**
 * Parse a policy version as Pod Security Admission does: `latest` or `v1.<minor>` (no
 * leading zeros, no patch). Returns the minor, clamped to {@link PSS_LATEST_MINOR};
 * undefined when the text is not a version.
 *
 * @example parsePssVersion('v1.25') === 25; parsePssVersion('latest') === 37; parsePssVersion('1.25') === undefined
 */
export function parsePssVersion(text: string): number | undefined {
  if (text === 'latest') return PSS_LATEST_MINOR
  const match = /^v1\.(0|[1-9][0-9]*)$/.exec(text)
  if (!match) return undefined
  return Math.min(Number(match[1]), PSS_LATEST_MINOR)
}

/** How the version of one evaluation was chosen. */
export interface EffectivePssVersion {
  minor: number
  source: 'namespace-label' | 'configured' | 'latest'
}

/**
 * The policy version a pod is checked against: the `enforce-version` label of its
 * Namespace when that Namespace is part of the scan (an unparseable label means latest,
 * as in Pod Security Admission), else the configured `version` parameter
 * (`--pss-version`), else latest. A configured value that is not a version throws:
 * the engine turns that into an `error` finding, never a silent pass.
 */
export function effectivePssVersion(
  params: Readonly<Record<string, unknown>>,
  namespaceObject: KubeObject | null | undefined,
): EffectivePssVersion {
  const metadata = isRecord(namespaceObject?.metadata) ? namespaceObject.metadata : undefined
  const labels = isRecord(metadata?.labels) ? metadata.labels : undefined
  if (labels && Object.hasOwn(labels, PSS_ENFORCE_VERSION_LABEL)) {
    const label = labels[PSS_ENFORCE_VERSION_LABEL]
    const minor = typeof label === 'string' ? parsePssVersion(label) : undefined
    return { minor: minor ?? PSS_LATEST_MINOR, source: 'namespace-label' }
  }
  const configured = params[PSS_VERSION_PARAM]
  if (configured === undefined || configured === 'latest') return { minor: PSS_LATEST_MINOR, source: 'latest' }
  const minor = typeof configured === 'string' ? parsePssVersion(configured) : undefined
  if (minor === undefined)
    throw new Error(`parameter version must be "latest" or "v1.N", got ${JSON.stringify(configured)}`)
  return { minor, source: 'configured' }
}
