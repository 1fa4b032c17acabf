import os from 'node:os'
import path from 'node:path'
import { inClusterAccess, KubeClient, readKubeconfig, type ClusterAccess } from '../cluster/index.js'
import { ToolError } from '../core/index.js'
import type { AppIo } from './io.js'

/** Flags that say which cluster to talk to (audit, drift). */
export interface ClusterFlags {
  kubeconfig?: string
  context?: string
}

/**
 * The cluster a command talks to: --kubeconfig, else $KUBECONFIG (its first file), else
 * the Pod's ServiceAccount when running in a Pod, else ~/.kube/config.
 */
export function clusterAccess(flags: ClusterFlags, io: AppIo): ClusterAccess {
  const explicit = flags.kubeconfig ?? io.env.KUBECONFIG?.split(path.delimiter).find((f) => f !== '')
  if (explicit !== undefined) return readKubeconfig(path.resolve(io.cwd, explicit), flags.context)
  const inCluster = inClusterAccess(io.env)
  if (inCluster) {
    if (flags.context !== undefined)
      throw new ToolError(
        'USAGE',
        '--context needs a kubeconfig (--kubeconfig FILE or KUBECONFIG); in a Pod the ServiceAccount is used',
      )
    return inCluster
  }
  const home = io.env.HOME ?? os.homedir()
  return readKubeconfig(path.join(home, '.kube', 'config'), flags.context)
}

/** A client for the chosen cluster (close it when done). */
export function clusterClient(flags: ClusterFlags, io: AppIo): KubeClient {
  return new KubeClient(clusterAccess(flags, io))
}
