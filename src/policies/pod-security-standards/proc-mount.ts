import type { KubeObject } from '../../core/index.js'
import type { NativeViolation } from '../../engine/index.js'
import { containersOf } from './pod.js'

/**
 * Containers whose securityContext.procMount is set to anything but Default: the
 * unconditional form of the procMount check that both levels share.
 */
export function unmaskedProcMounts(pod: KubeObject, messageId: string): NativeViolation[] {
  const out: NativeViolation[] = []
  for (const c of containersOf(pod)) {
    const procMount = c.securityContext.procMount
    if (procMount !== undefined && procMount !== null && procMount !== 'Default') {
      out.push({ messageId, path: `${c.pointer}/securityContext/procMount`, data: { name: c.name, value: procMount } })
    }
  }
  return out
}
