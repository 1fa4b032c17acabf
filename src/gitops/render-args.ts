/**
 * Checks of every value a repository can put on a renderer's command line. A value is
 * accepted only when it is what the field means (a release name, a namespace, a `--set`
 * key); anything else is a render error at the field, never an argument.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** Why a Helm release name is invalid (helm's rule: a DNS-1123 subdomain of at most 53 characters), or undefined. */
export function releaseNameProblem(name: string): string | undefined {
  if (name.length > 53) return `release name "${shown(name)}" is longer than 53 characters`
  if (!DNS1123_SUBDOMAIN.test(name))
    return `release name "${shown(name)}" is not a valid Helm release name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)`
  return undefined
}

/** Why a namespace is invalid (a DNS-1123 label of at most 63 characters), or undefined. */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace))
    return `namespace "${shown(namespace)}" is not a valid Kubernetes namespace name (DNS-1123 label: lower-case letters, digits and '-', at most 63 characters)`
  return undefined
}

/** Why a `--set` parameter name is invalid, or undefined: helm key paths never start with '-' nor hold '=', newlines or NUL. */
export function parameterNameProblem(name: string): string | undefined {
  if (name === '' || name.startsWith('-') || /[=\n\r\0]/.test(name))
    return `helm parameter name "${shown(name)}" is not a values key path`
  return undefined
}

/** Why a `--set` parameter value is invalid, or undefined: one line of text without NUL. */
export function parameterValueProblem(name: string, value: string): string | undefined {
  if (value.includes('\0')) return `helm parameter ${shown(name)} has a NUL character in its value`
  return undefined
}

/**
 * A `--set` / `--set-string` value as Argo CD hands it to helm: helm's `--set` parser splits
 * on `,`, so Argo CD puts a `\` before every `,` that does not already follow one, except in
 * a value written as a helm list (`{...}`), which it passes unchanged. The scan renders what
 * Argo CD renders: a value `x,securityContext.privileged=true` sets one string, never a
 * second key; a key Argo CD itself would set (a `{...}` list, an already escaped comma) is set
 * here too.
 */
export function argoSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value
  let out = ''
  let previous = ''
  for (const c of value) {
    out += c === ',' && previous !== '\\' ? '\\,' : c
    previous = c
  }
  return out
}

/** A value quoted for a message: control characters escaped, long values cut. */
function shown(value: string): string {
  const escaped = JSON.stringify(value).slice(1, -1)
  return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped
}

/** The first value of a helm render that cannot go on helm's command line, with the field it came from. */
export function helmSpecProblem(spec: {
  releaseName: string
  namespace?: string
  parameters?: readonly { name: string; value: string }[]
  fileParameters?: readonly { name: string }[]
}):
  | { problem: string; field: 'releaseName' | 'namespace' | 'parameters' | 'fileParameters'; index?: number }
  | undefined {
  const release = releaseNameProblem(spec.releaseName)
  if (release) return { problem: release, field: 'releaseName' }
  const namespace = spec.namespace === undefined ? undefined : namespaceProblem(spec.namespace)
  if (namespace) return { problem: namespace, field: 'namespace' }
  for (const [index, p] of (spec.parameters ?? []).entries()) {
    const problem = parameterNameProblem(p.name) ?? parameterValueProblem(p.name, p.value)
    if (problem) return { problem, field: 'parameters', index }
  }
  for (const [index, p] of (spec.fileParameters ?? []).entries()) {
    const problem = parameterNameProblem(p.name)
    if (problem) return { problem, field: 'fileParameters', index }
  }
  return undefined
}

/**
 * The `helm template` command line of a render that passed `helmSpecProblem`: every
 * repository value is inside one `--flag=value` argument, and the release name and the chart
 * folder come after `--`, so no value can be read as a flag of its own. Parameter values are
 * escaped as Argo CD escapes them (`argoSetValue`).
 */
export function helmTemplateArgs(
  spec: { releaseName: string; namespace?: string; parameters?: readonly HelmParameter[] },
  valuesFiles: readonly string[],
  chartDir: string,
  fileParameters: readonly { name: string; file: string }[] = [],
): string[] {
  const args = ['template', '--include-crds']
  if (spec.namespace) args.push(`--namespace=${spec.namespace}`)
  for (const file of valuesFiles) args.push(`--values=${file}`)
  for (const p of spec.parameters ?? [])
    args.push(`${p.forceString ? '--set-string' : '--set'}=${p.name}=${argoSetValue(p.value)}`)
  for (const p of fileParameters) args.push(`--set-file=${p.name}=${argoSetValue(p.file)}`)
  args.push('--', spec.releaseName, chartDir)
  return args
}

/** An Argo CD `helm.parameters` entry. */
export interface HelmParameter {
  name: string
  value: string
  forceString?: boolean
}
