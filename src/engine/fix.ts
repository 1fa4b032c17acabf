import { formatPointer, parsePointer, type FixProposal } from '../core/index.js'
import type { FixSpec } from './policy-spec.js'

/** A fix with paths made absolute from the element's pointer. */
export function absoluteFix(fix: FixSpec, at: string): FixProposal {
  return {
    safety: fix.safety,
    patch: fix.patch.map((op) => ({ ...op, path: at + (op.path === '' ? '' : formatPointer(parsePointer(op.path))) })),
  }
}
