import { Ajv, type ValidateFunction } from 'ajv'
import { isRecord, type KubeObject } from '../../core/index.js'
import { parseModule, RegoError, RegoProgram, RegoSyntaxError } from '../../rego/index.js'
import { readCelBody, type CelBody, bodyCompileError } from '../shared/cel-body.js'
import { CelPrograms } from '../shared/cel-program.js'
import { CompatError } from '../shared/errors.js'

/** The Rego source of a template: its program and where `violation` lives. */
export interface RegoSource {
  program: RegoProgram
  violationPath: readonly string[]
}

/** A Gatekeeper ConstraintTemplate, its engines compiled once. */
export interface ConstraintTemplate {
  name: string
  /** Kind of its constraints (spec.crd.spec.names.kind). */
  kind: string
  /** Validator of constraint parameters (openAPIV3Schema), when the template gives a schema. */
  validate?: ValidateFunction
  rego?: RegoSource
  cel?: CelBody
  /** The K8sNativeValidation source as written (for `palisade export vap`). */
  celSource?: Record<string, unknown>
}

export const TEMPLATE_GROUP = 'templates.gatekeeper.sh'
export const CONSTRAINT_GROUP = 'constraints.gatekeeper.sh'
const TARGET = 'admission.k8s.gatekeeper.sh'

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

function compileRego(name: string, rego: string, libs: readonly string[]): RegoSource {
  const sources = [{ file: 'rego', text: rego }, ...libs.map((text, i) => ({ file: `libs[${i}]`, text }))]
  try {
    const modules = sources.map((s) => {
      try {
        return { file: s.file, module: parseModule(s.text) }
      } catch (error) {
        if (error instanceof RegoSyntaxError)
          throw new CompatError(
            'POLICY_INVALID',
            `ConstraintTemplate ${name}: Rego ${s.file} does not parse: ${error.message}`,
          )
        throw error
      }
    })
    const main = modules[0]?.module
    if (!main) throw new CompatError('POLICY_INVALID', `ConstraintTemplate ${name}: no Rego`)
    for (const m of modules.slice(1)) {
      if (m.module.pkg[0] !== 'lib')
        throw new CompatError(
          'POLICY_INVALID',
          `ConstraintTemplate ${name}: ${m.file} has package ${m.module.pkg.join('.')}; Gatekeeper requires libs under package lib`,
        )
    }
    if (!main.rules.some((r) => r.ref[0]?.t === 'scalar' && r.ref[0].v === 'violation'))
      throw new CompatError('POLICY_INVALID', `ConstraintTemplate ${name}: the Rego defines no violation rule`)
    return { program: new RegoProgram(modules), violationPath: [...main.pkg, 'violation'] }
  } catch (error) {
    if (error instanceof RegoError)
      throw new CompatError('POLICY_INVALID', `ConstraintTemplate ${name}: Rego does not compile: ${error.message}`)
    // Nesting deep enough to exhaust the stack is hostile input, not a crash.
    if (error instanceof RangeError)
      throw new CompatError('POLICY_INVALID', `ConstraintTemplate ${name}: Rego is nested too deeply to compile`)
    throw error
  }
}

/** Read a ConstraintTemplate: Rego (targets[].rego or code engine Rego) and CEL (code engine K8sNativeValidation). */
export function readConstraintTemplate(doc: KubeObject): ConstraintTemplate {
  const meta = isRecord(doc.metadata) ? doc.metadata : {}
  const name = String(meta.name ?? '')
  const spec = isRecord(doc.spec) ? doc.spec : {}
  const crdSpec = isRecord(spec.crd) && isRecord(spec.crd.spec) ? spec.crd.spec : {}
  const names = isRecord(crdSpec.names) ? crdSpec.names : {}
  const kind = typeof names.kind === 'string' ? names.kind : ''
  if (kind === '')
    throw new CompatError('POLICY_INVALID', `ConstraintTemplate ${name}: spec.crd.spec.names.kind is required`)
  if (kind.toLowerCase() !== name)
    throw new CompatError(
      'POLICY_INVALID',
      `ConstraintTemplate ${name}: metadata.name must be the lower-case kind ${kind.toLowerCase()}`,
    )
  const targets = Array.isArray(spec.targets) ? spec.targets.filter(isRecord) : []
  const target = targets.find((t) => t.target === TARGET)
  if (!target) throw new CompatError('POLICY_INVALID', `ConstraintTemplate ${name}: no target ${TARGET}`)
  const out: ConstraintTemplate = { name, kind }
  const validation = isRecord(crdSpec.validation) ? crdSpec.validation : {}
  if (isRecord(validation.openAPIV3Schema)) {
    try {
      out.validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(
        validation.openAPIV3Schema,
      )
    } catch (error) {
      throw new CompatError(
        'POLICY_INVALID',
        `ConstraintTemplate ${name}: spec.crd.spec.validation.openAPIV3Schema is not a valid schema: ${(error as Error).message}`,
      )
    }
  }
  const code = Array.isArray(target.code) ? target.code.filter(isRecord) : []
  const regoCode = code.find((c) => c.engine === 'Rego')
  const regoSource = isRecord(regoCode?.source) ? regoCode.source : undefined
  if (regoSource && typeof regoSource.rego === 'string')
    out.rego = compileRego(name, regoSource.rego, strings(regoSource.libs))
  else if (typeof target.rego === 'string') out.rego = compileRego(name, target.rego, strings(target.libs))
  const celCode = code.find((c) => c.engine === 'K8sNativeValidation')
  if (celCode && isRecord(celCode.source)) {
    const source = celCode.source
    const programs = new CelPrograms()
    const body = readCelBody(
      { ...source, variables: [...GATEKEEPER_VARIABLES, ...(Array.isArray(source.variables) ? source.variables : [])] },
      programs,
    )
    const err = bodyCompileError(body)
    if (err !== undefined) throw new CompatError('CEL_COMPILE', `ConstraintTemplate ${name}: ${err}`)
    out.cel = body
    out.celSource = source
  }
  if (!out.rego && !out.cel)
    throw new CompatError('POLICY_INVALID', `ConstraintTemplate ${name}: neither Rego nor K8sNativeValidation code`)
  return out
}

/**
 * The variables Gatekeeper defines for K8sNativeValidation (params is the constraint):
 * `variables.params` = the constraint's spec.parameters; `variables.anyObject` = the object,
 * or the old object of a DELETE.
 */
export const GATEKEEPER_VARIABLES = [
  {
    name: 'params',
    expression: '!has(params.spec) ? null : !has(params.spec.parameters) ? null : params.spec.parameters',
  },
  {
    name: 'anyObject',
    expression: 'has(request.operation) && request.operation == "DELETE" && object == null ? oldObject : object',
  },
]
