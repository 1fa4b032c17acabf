/**
 * Compliance frameworks a policy can map to. `pss` ids are `<level>/<checkId>` as in
 * the Pod Security Standards (baseline/privileged, restricted/runAsNonRoot, ...).
 */
export type Framework = 'cis' | 'nsa' | 'soc2' | 'pci' | 'nist' | 'pss' | 'slsa'

/** All frameworks, in the order reports list them. */
export const FRAMEWORKS: readonly Framework[] = ['cis', 'nsa', 'soc2', 'pci', 'nist', 'pss', 'slsa']

/** Human names for frameworks. */
export const FRAMEWORK_TITLES: Readonly<Record<Framework, string>> = {
  cis: 'CIS Kubernetes Benchmark',
  nsa: 'NSA/CISA Kubernetes Hardening Guide',
  soc2: 'SOC 2 Trust Services Criteria',
  pci: 'PCI DSS v4.0',
  nist: 'NIST SP 800-53 rev5',
  pss: 'Kubernetes Pod Security Standards',
  slsa: 'SLSA v1.0 (Supply-chain Levels for Software Artifacts)',
}

/** One control a policy supports. */
export interface ControlRef {
  framework: Framework
  control: string
}

/** Group control refs by framework, as the JSON output contract has them. */
export function groupControls(controls: readonly ControlRef[]): Partial<Record<Framework, string[]>> {
  const out: Partial<Record<Framework, string[]>> = {}
  for (const { framework, control } of controls) {
    const list = (out[framework] ??= [])
    if (!list.includes(control)) list.push(control)
  }
  return out
}
