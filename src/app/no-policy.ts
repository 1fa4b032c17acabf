import { ToolError, type SourceSpan } from '../core/index.js'
import type { PalisadeConfig } from '../config/index.js'
import { selectPolicies, type PolicySpec } from '../engine/index.js'
import { ConfigError } from './load-config.js'

/**
 * The error of a run left with no policy at all: it would check nothing and pass
 * everything (a scan, a pull-request gate, the pre-commit hook; a webhook that admits
 * every request). It names where the emptiness comes from: `--policies` (a usage error),
 * or the line of palisade.yaml's `policies.select` or `policies.disable` (a
 * configuration error). Both exit 2; `serve` and `install` then refuse to start.
 *
 * @param selector `--policies`, when given (it replaces `policies.select`)
 * @param all the built-in policies the selection chose from
 */
export function noPolicyError(
  config: PalisadeConfig,
  selector: string | undefined,
  all: readonly PolicySpec[],
): ToolError {
  const chosen = selectPolicies(all, selector ?? config.policies.select).selected
  const select = selector === undefined ? `policies.select "${config.policies.select}"` : `--policies ${selector}`
  if (chosen.length === 0 && selector !== undefined)
    return new ToolError(
      'USAGE',
      `no policies to run: ${select} selects no built-in policy, and no --policy-dir policy was read`,
      {
        hint: 'give --policy-dir DIR with the policies to run, or choose built-in sets with --policies',
      },
    )
  const what =
    chosen.length === 0
      ? `${select} selects no built-in policy, and no --policy-dir policy was read`
      : `policies.disable turns off every policy that ${select} selects (${chosen.length})`
  return new ConfigError([
    {
      code: 'CONFIG_INVALID',
      message: `no policies to run: ${what}; a run without policies would pass everything`,
      hint: 'enable at least one policy; to roll out gently, set actions.default: warn (or audit) instead',
      ...spanOf(config, chosen.length === 0 ? 'select' : 'disable'),
    },
  ])
}

function spanOf(config: PalisadeConfig, field: 'select' | 'disable'): { span: SourceSpan } | Record<string, never> {
  const span = config.policies.spans?.[field]
  return span === undefined ? {} : { span }
}
