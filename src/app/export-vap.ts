import { ToolError, type Diagnostic } from '../core/index.js'
import {
  exportBuiltinPolicies,
  exportGatekeeperDocuments,
  exportUserDocuments,
  POLICY_KINDS,
  type ExportResult,
} from '../compat/index.js'
import { createResolver } from '../config/index.js'
import { selectPolicies } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import type { AppIo } from './io.js'
import { loadConfig } from './load-config.js'
import { namesNone, SelectionError } from './policy-selection.js'
import { loadUserPolicyDocuments } from './user-policies.js'
import { YamlFiles } from './yaml-files.js'

/** What `palisade export vap` is asked. */
export interface ExportVapRequest {
  policies?: string
  /** The environment whose actions become validationActions. */
  env?: string
  config?: string
  policyDir?: string
}

/**
 * `palisade export vap` as a use case: the selected built-in policies (palisade.yaml's
 * selection, disable list, parameters and actions) and the user policies of --policy-dir
 * as native ValidatingAdmissionPolicies, with what could not be exported and why, and the
 * problems reading the policy folder.
 */
export async function exportVap(
  request: ExportVapRequest,
  io: AppIo,
): Promise<{ result: ExportResult; diagnostics: Diagnostic[] }> {
  const config = await loadConfig(request.config, ['.'], io)
  const selector = request.policies ?? config.policies.select
  const { selected, diagnostics } = selectPolicies(BUILTIN_POLICIES, selector)
  if (diagnostics.length > 0) throw new SelectionError(diagnostics)
  const disabled = new Set(config.policies.disable)
  const resolver = createResolver(config, io.now())
  const builtin = exportBuiltinPolicies(
    selected.filter((p) => !disabled.has(p.id)),
    {
      actionFor: (p) => resolver.actionFor(p.id, p.severity, request.env),
      ...(request.env === undefined ? {} : { environment: request.env }),
      params: config.policies.params,
    },
  )
  const result: ExportResult = { exported: [...builtin.exported], skipped: [...builtin.skipped] }
  if (request.policyDir === undefined) {
    // `none` is for exporting --policy-dir's policies alone: without it there is nothing to export.
    if (selected.length === 0 && namesNone(selector))
      throw new ToolError(
        'USAGE',
        'nothing to export: --policies none selects no built-in policy and no --policy-dir is given',
        {
          hint: 'add --policy-dir DIR to export only your policies, or choose built-in sets with --policies',
        },
      )
    return { result, diagnostics: [] }
  }
  const user = await loadUserPolicyDocuments(request.policyDir, io.cwd, new YamlFiles(io.cwd))
  const exported = exportUserDocuments(
    user.documents.map((d) => d.object).filter((o) => POLICY_KINDS.has(String(o.kind))),
  )
  result.exported.push(...exported.exported)
  result.skipped.push(...exported.skipped)
  // Gatekeeper templates with a CEL engine, with their constraints as params (docs/gatekeeper.md).
  const gatekeeper = exportGatekeeperDocuments(user.documents.map((d) => d.object))
  result.exported.push(...gatekeeper.exported)
  result.skipped.push(...gatekeeper.skipped)
  return { result, diagnostics: user.diagnostics }
}
