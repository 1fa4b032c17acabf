import { isRecord, type KubeObject } from '../../../core/index.js'

/** One expectation of a kyverno-test.yaml `results` entry. */
export interface TestExpectation {
  policy: string
  rule: string
  kind: string
  namespace: string
  resources: string[]
  result: string
  patchedResources?: string
  generatedResource?: string
  /** CEL policy types have no rule names: every response of the policy counts. */
  anyRule: boolean
}

/** A cli.kyverno.io/v1alpha1 Test. */
export interface TestSpec {
  name: string
  policies: string[]
  resources: string[]
  variables?: string
  userinfo?: string
  context?: string
  results: TestExpectation[]
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

/** Read a Test document; returns a message when it is not a usable Test. */
export function readTestSpec(doc: KubeObject): TestSpec | string {
  if (doc.kind !== 'Test') return `expected kind Test, found ${String(doc.kind)}`
  const meta = isRecord(doc.metadata) ? doc.metadata : {}
  const results: TestExpectation[] = []
  const raw = Array.isArray(doc.results) ? doc.results : []
  for (const r of raw) {
    if (!isRecord(r)) return 'a results entry is not a map'
    const resources = strings(r.resources)
    if (typeof r.resource === 'string') resources.push(r.resource)
    const anyRule = [
      'isValidatingPolicy',
      'isValidatingAdmissionPolicy',
      'isMutatingPolicy',
      'isMutatingAdmissionPolicy',
      'isGeneratingPolicy',
      'isImageValidatingPolicy',
      'isDeletingPolicy',
    ].some((k) => r[k] === true)
    const patched =
      typeof r.patchedResources === 'string'
        ? r.patchedResources
        : typeof r.patchedResource === 'string'
          ? r.patchedResource
          : undefined
    results.push({
      policy: String(r.policy ?? ''),
      rule: String(r.rule ?? ''),
      kind: String(r.kind ?? ''),
      namespace: typeof r.namespace === 'string' ? r.namespace : '',
      resources,
      result: String(r.result ?? r.status ?? ''),
      ...(patched === undefined ? {} : { patchedResources: patched }),
      ...(typeof r.generatedResource === 'string' ? { generatedResource: r.generatedResource } : {}),
      anyRule,
    })
  }
  const variables =
    typeof doc.variables === 'string' ? doc.variables : typeof doc.values === 'string' ? doc.values : undefined
  return {
    name: typeof meta.name === 'string' ? meta.name : '',
    policies: strings(doc.policies),
    resources: strings(doc.resources),
    ...(variables === undefined ? {} : { variables }),
    ...(typeof doc.userinfo === 'string' ? { userinfo: doc.userinfo } : {}),
    ...(typeof doc.context === 'string' ? { context: doc.context } : {}),
    results,
  }
}
