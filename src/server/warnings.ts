import type { PlacedFinding } from '../pipeline/index.js'

/**
 * Limits for AdmissionResponse.warnings. Kubernetes asks webhooks to keep each warning
 * under 120 characters (longer ones may be truncated by the API server) and may drop
 * warnings once their total passes 4 KiB; a flood also buries the useful ones in
 * kubectl output. So: deduplicated, each cut at 120 characters, at most 10, at most
 * 4096 bytes in all, the last one saying how many were left out.
 */
export const WARNING_LIMITS = { length: 120, count: 10, totalBytes: 4096 } as const

/** One warning line for a finding: `[policy] path: message`. */
export function warningText(f: Pick<PlacedFinding, 'policyId' | 'path' | 'message'>): string {
  return `[${f.policyId}] ${f.path || '/'}: ${f.message}`
}

/** Warnings for the API server, within {@link WARNING_LIMITS}. */
export function boundedWarnings(texts: readonly string[]): string[] {
  const unique = [...new Set(texts.map(clip))]
  const out: string[] = []
  let bytes = 0
  for (let i = 0; i < unique.length; i++) {
    const text = unique[i] as string
    const room =
      out.length < WARNING_LIMITS.count - 1 || (out.length === WARNING_LIMITS.count - 1 && i === unique.length - 1)
    const size = Buffer.byteLength(text)
    if (!room || bytes + size > WARNING_LIMITS.totalBytes - 64) {
      out.push(`palisade: ${unique.length - i} more warning${unique.length - i === 1 ? '' : 's'} not shown`)
      break
    }
    out.push(text)
    bytes += size
  }
  return out
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ')
  return flat.length <= WARNING_LIMITS.length ? flat : `${flat.slice(0, WARNING_LIMITS.length - 1)}…`
}
