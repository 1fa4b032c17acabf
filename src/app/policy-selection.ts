import { ToolError, type Diagnostic } from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import { compilePolicySet, NONE, selectPolicies, type CompiledPolicySet, type PolicySpec } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'

const BUILTIN_SPECS: ReadonlySet<PolicySpec> = new Set(BUILTIN_POLICIES)

/** Usage problems found while choosing policies (unknown set or id, bad parameter). */
export class SelectionError extends ToolError {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super('USAGE', diagnostics.map((d) => d.message).join('; '))
  }
}

/**
 * Choose and compile the policies of a run: `--policies` over the configuration's
 * `policies.select`, minus `policies.disable`, with configured parameters.
 */
export function buildPolicySet(
  config: PalisadeConfig,
  selector: string | undefined,
  all: readonly PolicySpec[] = BUILTIN_POLICIES,
): CompiledPolicySet {
  const { selected, diagnostics } = selectPolicies(all, selector ?? config.policies.select)
  const known = new Set(all.map((p) => p.id))
  for (const id of [...config.policies.disable, ...Object.keys(config.policies.params)]) {
    if (!known.has(id))
      diagnostics.push({
        code: 'USAGE',
        message: `palisade.yaml names unknown policy "${id}"`,
        hint: 'see `palisade policies list`',
      })
  }
  const disabled = new Set(config.policies.disable)
  // The built-in library compiles its CEL on first use: a small scan needs a part of it (start-up).
  const compiled = compilePolicySet(
    selected.filter((p) => !disabled.has(p.id)),
    config.policies.params,
    { defer: (spec) => BUILTIN_SPECS.has(spec) },
  )
  diagnostics.push(...compiled.diagnostics)
  if (diagnostics.length > 0) throw new SelectionError(diagnostics)
  return compiled.set
}

/** Whether a `--policies` list names `none` (no built-in policy): a run left with no policy at all is then refused. */
export function namesNone(selector: string): boolean {
  return selector.split(',').some((name) => name.trim() === NONE)
}
