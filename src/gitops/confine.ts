import { spawnSync } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Confinement, RenderLimits } from './exec.js'

/** The PATH renderers get: system folders only (helm and kubectl are run by absolute path). */
export const RENDER_PATH = '/usr/local/bin:/usr/bin:/bin'

/**
 * The whole environment of a renderer: an empty HOME and helm/XDG folders in the scratch
 * folder, a kubeconfig path that does not exist, and nothing inherited: no tokens, no
 * KUBECONFIG, no proxy variables, no HELM_* or KUSTOMIZE_* settings of the runner.
 */
export async function confinedEnv(scratch: string): Promise<Record<string, string>> {
  const home = path.join(scratch, 'home')
  const dirs = {
    cache: path.join(home, '.cache'),
    config: path.join(home, '.config'),
    data: path.join(home, '.local', 'share'),
    tmp: path.join(scratch, 'tmp'),
  }
  for (const d of Object.values(dirs)) await mkdir(d, { recursive: true })
  return {
    PATH: RENDER_PATH,
    HOME: home,
    TMPDIR: dirs.tmp,
    LANG: 'C',
    XDG_CACHE_HOME: dirs.cache,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    HELM_CACHE_HOME: path.join(dirs.cache, 'helm'),
    HELM_CONFIG_HOME: path.join(dirs.config, 'helm'),
    HELM_DATA_HOME: path.join(dirs.data, 'helm'),
    HELM_PLUGINS: path.join(dirs.data, 'helm', 'plugins'),
    HELM_REPOSITORY_CONFIG: path.join(dirs.config, 'helm', 'repositories.yaml'),
    HELM_REGISTRY_CONFIG: path.join(dirs.config, 'helm', 'registry', 'config.json'),
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
    KUSTOMIZE_PLUGIN_HOME: path.join(dirs.config, 'kustomize', 'plugin'),
  }
}

let probed: readonly string[] | null | undefined

/**
 * A wrapper that runs a command in a fresh network namespace (no interface but a down
 * loopback): `unshare -n` as root, `unshare -rn` (a user namespace) otherwise. Probed once
 * per process by running `true` through it; null when neither works (containers without
 * the capability, kernels that forbid user namespaces, other platforms).
 */
export function networkWrapper(env: Readonly<Record<string, string>>): readonly string[] | null {
  if (probed !== undefined) return probed
  probed = null
  if (process.platform !== 'linux') return probed
  for (const candidate of [
    ['unshare', '-n'],
    ['unshare', '-rn'],
  ]) {
    const run = spawnSync(candidate[0] as string, [...candidate.slice(1), 'true'], {
      env: { ...env },
      stdio: 'ignore',
      timeout: 5000,
    })
    if (run.status === 0) {
      probed = candidate
      break
    }
  }
  return probed
}

/** The confinement of every renderer of one scan. */
export async function createConfinement(
  scratch: string,
  limits: RenderLimits,
  network: 'isolate' | 'none' = 'isolate',
): Promise<{ confinement: Confinement; isolated: boolean }> {
  const env = await confinedEnv(scratch)
  const wrapper = network === 'isolate' ? networkWrapper(env) : null
  return { confinement: { env, wrapper: wrapper ?? [], limits }, isolated: wrapper !== null }
}
