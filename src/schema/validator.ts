import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import { isRecord, type KubeObject } from '../core/index.js'

/** The outcome of validating one object against its Kubernetes schema. */
export type SchemaOutcome =
  | { status: 'valid' }
  | { status: 'invalid'; errors: { pointer: string; message: string }[] }
  /** No schema for this apiVersion and kind in this Kubernetes version (a custom resource, or a removed API). */
  | { status: 'skipped'; reason: string }

/** Validates Kubernetes objects as kubeconform does, against one Kubernetes version's schemas. */
export interface KubeValidator {
  readonly kubernetesVersion: string
  validate(object: KubeObject): SchemaOutcome
}

const DEFINITIONS_ID = 'https://kubernetes.io/api/_definitions.json'

/**
 * Build a validator from a version's `_definitions.json` (JSON Schema 2020-12, every
 * OpenAPI definition under `$defs`, as kubernetes-json-schema publishes them). Objects are
 * matched to a definition by its `x-kubernetes-group-version-kind`. Each definition is
 * compiled on first use. Pure: the caller reads the file.
 */
export function createValidator(definitions: unknown, kubernetesVersion: string): KubeValidator {
  if (!isRecord(definitions) || !isRecord(definitions.$defs)) throw new Error('schema definitions have no $defs')
  const byGvk = new Map<string, string>()
  for (const [name, def] of Object.entries(definitions.$defs)) {
    const gvks =
      isRecord(def) && Array.isArray(def['x-kubernetes-group-version-kind'])
        ? def['x-kubernetes-group-version-kind']
        : []
    for (const gvk of gvks) {
      if (isRecord(gvk)) byGvk.set(`${String(gvk.group ?? '')}/${String(gvk.version)}/${String(gvk.kind)}`, name)
    }
  }
  // Kubernetes extensions (x-kubernetes-*) and OpenAPI formats (int32, int-or-string) are not JSON Schema keywords.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema({ ...definitions, $id: DEFINITIONS_ID })
  const compiled = new Map<string, ValidateFunction>()
  return {
    kubernetesVersion,
    validate(object) {
      const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : ''
      const kind = typeof object.kind === 'string' ? object.kind : ''
      const slash = apiVersion.indexOf('/')
      const key =
        slash < 0 ? `/${apiVersion}/${kind}` : `${apiVersion.slice(0, slash)}/${apiVersion.slice(slash + 1)}/${kind}`
      const name = byGvk.get(key)
      if (name === undefined)
        return { status: 'skipped', reason: `no schema for ${apiVersion} ${kind} in Kubernetes ${kubernetesVersion}` }
      let validate = compiled.get(name)
      if (!validate) {
        validate = ajv.compile({ $ref: `${DEFINITIONS_ID}#/$defs/${name}` })
        compiled.set(name, validate)
      }
      if (validate(object)) return { status: 'valid' }
      return { status: 'invalid', errors: simplify(validate.errors ?? []) }
    },
  }
}

/** One message per field: the most specific errors, `oneOf` branch noise dropped. */
function simplify(errors: readonly ErrorObject[]): { pointer: string; message: string }[] {
  const out = new Map<string, string>()
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue
    const pointer =
      e.keyword === 'additionalProperties'
        ? `${e.instancePath}/${String(e.params.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`
        : e.instancePath
    const message =
      e.keyword === 'additionalProperties'
        ? `unknown field "${String(e.params.additionalProperty)}"`
        : e.keyword === 'required'
          ? `missing required field "${String(e.params.missingProperty)}"`
          : e.keyword === 'type'
            ? `must be ${String(e.params.type)
                .split(',')
                .filter((t) => t !== 'null')
                .join(' or ')}`
            : e.keyword === 'enum'
              ? `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
              : (e.message ?? e.keyword)
    if (!out.has(pointer)) out.set(pointer, message)
  }
  return [...out].map(([pointer, message]) => ({ pointer, message }))
}
