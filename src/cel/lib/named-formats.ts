import { overload, type FunctionTable } from '../overloads.js'
import { CelOptional, CelValue } from '../values.js'
import { parseTimestamp } from './time.js'
import { parseURL } from './url.js'

/** The Kubernetes format library: `format.dns1123Label().validate(s)` -> optional list of errors. */

/** A named string format. */
export class NamedFormat extends CelValue {
  constructor(
    readonly name: string,
    readonly check: (s: string) => string[],
  ) {
    super()
  }
  get celType(): string {
    return 'kubernetes.NamedFormat'
  }
  equals(other: unknown): boolean {
    return other === this
  }
  toJs(): unknown {
    return this.name
  }
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function pattern(re: RegExp, max: number, what: string, example: string): (s: string) => string[] {
  return (s) => {
    const errors: string[] = []
    if (s.length > max) errors.push(`must be no more than ${max} characters`)
    if (!re.test(s)) errors.push(`a ${what} must match the regex '${re.source.slice(1, -1)}' (e.g. '${example}')`)
    return errors
  }
}

const dns1123Label = pattern(LABEL, 63, 'lowercase RFC 1123 label', 'my-name')
const dns1123Subdomain = pattern(SUBDOMAIN, 253, 'lowercase RFC 1123 subdomain', 'example.com')
const dns1035Label = pattern(LABEL_1035, 63, 'DNS-1035 label', 'my-name')

/** For the *Prefix formats: a trailing dash is allowed, as in a generateName. */
function prefix(check: (s: string) => string[]): (s: string) => string[] {
  return (s) => check(s.length > 1 && s.endsWith('-') ? `${s.slice(0, -1)}a` : s)
}

function qualifiedName(s: string): string[] {
  const parts = s.split('/')
  let name = s
  const errors: string[] = []
  if (parts.length === 2) {
    const [pre = '', rest = ''] = parts
    name = rest
    if (pre === '') errors.push('prefix part must be non-empty')
    else errors.push(...dns1123Subdomain(pre).map((e) => `prefix part ${e}`))
  } else if (parts.length > 2) {
    return ["a qualified name must consist of an optional DNS subdomain prefix and '/' and a name"]
  }
  if (name === '') errors.push('name part must be non-empty')
  else {
    if (name.length > 63) errors.push('name part must be no more than 63 characters')
    if (!QUALIFIED_NAME.test(name))
      errors.push(`name part must match the regex '${QUALIFIED_NAME.source.slice(1, -1)}' (e.g. 'MyName')`)
  }
  return errors
}

const labelValue = pattern(LABEL_VALUE, 63, 'label value', 'MyValue')

function simple(ok: (s: string) => boolean, message: string): (s: string) => string[] {
  return (s) => (ok(s) ? [] : [message])
}

function validDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && succeeds(() => parseTimestamp(`${s}T00:00:00Z`))
}

function succeeds(f: () => unknown): boolean {
  try {
    f()
    return true
  } catch {
    return false
  }
}

const FORMATS: ReadonlyMap<string, NamedFormat> = new Map(
  (
    [
      ['dns1123Label', dns1123Label],
      ['dns1123Subdomain', dns1123Subdomain],
      ['dns1035Label', dns1035Label],
      ['qualifiedName', qualifiedName],
      ['dns1123LabelPrefix', prefix(dns1123Label)],
      ['dns1123SubdomainPrefix', prefix(dns1123Subdomain)],
      ['dns1035LabelPrefix', prefix(dns1035Label)],
      ['labelValue', labelValue],
      [
        'uri',
        (s: string) => {
          try {
            parseURL(s)
            return []
          } catch (error) {
            return [error instanceof Error ? error.message : String(error)]
          }
        },
      ],
      ['uuid', simple((s) => UUID.test(s), 'does not match the UUID format')],
      ['byte', simple((s) => BASE64.test(s), 'invalid base64')],
      ['date', simple(validDate, 'invalid date')],
      ['datetime', simple((s) => succeeds(() => parseTimestamp(s)), 'invalid datetime')],
    ] as const
  ).map(([name, check]) => [name, new NamedFormat(name, check)]),
)

const F = 'kubernetes.NamedFormat'

/** Format function table: format.<name>(), format.named(name) and <format>.validate(s). */
export const NAMED_FORMAT_FUNCTIONS: FunctionTable = {
  'format.named': {
    global: [
      overload(['string'], 'optional_type', (name: string) => {
        const f = FORMATS.get(name)
        return f === undefined ? CelOptional.NONE : CelOptional.of(f)
      }),
    ],
  },
  validate: {
    member: [
      overload([F, 'string'], 'optional_type', (f: NamedFormat, s: string) => {
        const errors = f.check(s)
        return errors.length === 0 ? CelOptional.NONE : CelOptional.of(errors)
      }),
    ],
  },
  ...Object.fromEntries([...FORMATS].map(([name, f]) => [`format.${name}`, { global: [overload([], F, () => f)] }])),
}
