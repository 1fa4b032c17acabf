import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RenderEnv } from './render-env.js'

const adapters = new WeakMap<RenderEnv, Promise<string>>()

/**
 * The `--helm-command` kustomize is given: a small /bin/sh adapter in the scratch folder
 * between kustomize and the real helm (`exec`: helm stays kustomize's child, within the
 * render limits). Written once per scan. It lets through only what rendering a vendored
 * chart needs:
 *
 * - kustomize's version probe. kustomize before 5.8.1 (kubectl 1.35 embeds 5.7.1) asks
 *   `helm version -c --short` and accepts major version 3 only; helm 4 removed `-c`
 *   (kustomize issue 6013, fixed by pull request 6016 in 5.8.1, which accepts 3 and 4).
 *   helm 4 renders the charts with the same `helm template` arguments, so a `v4.*` answer
 *   is given as `v3.0.0` followed by the real version.
 * - `helm template` whose release name (kustomize passes it bare, first) is not flag-like.
 *
 * Anything else, `helm pull` first of all, is refused with a message and exit 1: charts are
 * never fetched on the repository's say-so, whichever way the overlay asks (`helmCharts`
 * with a chart that is not where kustomize looks, the deprecated
 * `helmChartInflationGenerator`, a `generators:` config of kind HelmChartInflationGenerator).
 * The checks before kustomize runs (kustomize-helm-charts.ts) give those an error at their
 * line; this is the backstop at the point of execution.
 */
export function helmCommandFor(env: RenderEnv, helm: string): Promise<string> {
  let adapter = adapters.get(env)
  if (!adapter) {
    const file = path.join(env.scratch, 'helm-for-kustomize.sh')
    adapter = writeFile(file, adapterScript(helm), { mode: 0o700 }).then(() => file)
    adapters.set(env, adapter)
  }
  return adapter
}

/** The adapter's text for the helm binary at `helm` (single-quoted for the shell). */
export function adapterScript(helm: string): string {
  const quoted = `'${helm.replaceAll("'", `'\\''`)}'`
  return [
    '#!/bin/sh',
    '# Written by Palisade (src/gitops/kustomize-helm-adapter.ts): kustomize runs helm through this.',
    'case "$1" in',
    '  version)',
    `    v=$(${quoted} version --short) || exit $?`,
    '    case "$v" in',
    '      v4.*) printf \'v3.0.0 (helm %s: kustomize before 5.8.1 accepts helm 3 only)\\n\' "$v" ;;',
    '      *) printf \'%s\\n\' "$v" ;;',
    '    esac',
    '    exit 0 ;;',
    '  template)',
    '    case "$2" in',
    '      --generate-name) ;;',
    '      -*) printf \'palisade: helm template: release name "%s" starts with "-": refused\\n\' "$2" >&2; exit 1 ;;',
    '    esac',
    `    exec ${quoted} "$@" ;;`,
    'esac',
    "printf 'palisade: helm %s refused: kustomize may only render vendored charts (nothing is fetched on the repository'\"'\"'s say-so)\\n' \"$1\" >&2",
    'exit 1',
    '',
  ].join('\n')
}
