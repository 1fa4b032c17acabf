import type { TestProject } from 'vitest/node'
import { clusterSkipLine, ensureBinaries, startCluster, type ClusterInfo } from '../../src/testing/kube-apiserver.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The running API server, or null when the cluster tests are skipped (one line says why). */
    cluster: ClusterInfo | null
  }
}

/**
 * Vitest global setup of the "cluster" project (test/cluster): build kube-apiserver and etcd
 * when missing (tools/cluster/build.sh), start them once for the run, stop them by pid at the
 * end. Without Go or when the build fails, one line says so and the tests skip; with
 * PALISADE_REQUIRE_CLUSTER=1 (CI) that is an error instead.
 */
export default async function setup(project: Pick<TestProject, 'provide'>): Promise<(() => Promise<void>) | undefined> {
  const log = (line: string): void => void process.stderr.write(`palisade cluster tests: ${line}\n`)
  const why = ensureBinaries(log)
  if (why !== undefined) {
    if (process.env.PALISADE_REQUIRE_CLUSTER === '1') throw new Error(`PALISADE_REQUIRE_CLUSTER=1 but ${why}`)
    log(clusterSkipLine(why))
    project.provide('cluster', null)
    return undefined
  }
  const started = Date.now()
  const cluster = await startCluster()
  log(`kube-apiserver ready at ${cluster.server} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const { stop, ...info } = cluster
  project.provide('cluster', info)
  return stop
}
