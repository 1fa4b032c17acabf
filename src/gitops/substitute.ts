import { isRecord, type KubeObject } from '../core/index.js'

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-=])([^}]*))?\}/g

/**
 * Flux `postBuild.substitute`: replace `${var}`, `${var:-default}` and `${var:=default}` in
 * every string of an object, as Flux's envsubst does on the built manifests; a variable
 * with no value and no default becomes ''. `$${var}` escapes. Returns a copy.
 */
export function substituteVariables(object: KubeObject, variables: Readonly<Record<string, string>>): KubeObject {
  return walk(object, variables) as KubeObject
}

function walk(value: unknown, variables: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value
    return value.replace(/\$?\$\{[^}]*\}/g, (whole) =>
      whole.startsWith('$$')
        ? whole.slice(1)
        : whole.replace(
            VARIABLE,
            (_m, name: string, _op?: string, fallback?: string) => variables[name] ?? fallback ?? '',
          ),
    )
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, variables))
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, variables)]))
  return value
}
