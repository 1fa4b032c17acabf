/**
 * `npm run bench:audit`: `palisade audit` over 10,000 live objects in a real kube-apiserver
 * (tools/cluster/build.sh builds it; this script starts and stops it). Creates the objects
 * through the API server (Pods, Deployments, ConfigMaps and Services in 20 namespaces, one
 * in ten privileged; Services headless: the test server's service range is a /24), then runs the built CLI with the default policies and reports wall
 * time, peak RSS (must stay under 300 MB) and findings.
 * `-- --objects N` changes the count, `-- --policies LIST` the policies (default: as scan).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KubeClient, readKubeconfig } from '../../src/cluster/index.js'
import { ensureBinaries, startCluster } from '../../src/testing/kube-apiserver.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const argIndex = process.argv.indexOf('--objects')
const total = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 10_000
const LIMIT_MB = 300
const policiesIndex = process.argv.indexOf('--policies')
const policyArgs = policiesIndex > 0 ? ['--policies', process.argv[policiesIndex + 1] as string] : []

const why = ensureBinaries((line) => console.error(line))
if (why) {
  console.error(`bench:audit: ${why}`)
  process.exit(2)
}
const cluster = await startCluster()
const client = new KubeClient(readKubeconfig(cluster.kubeconfig))
try {
  const namespaces = 20
  for (let n = 0; n < namespaces; n++)
    await post(`/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-${n}` } })
  const image = 'registry.example/app@sha256:' + 'c'.repeat(64)
  const makers: Array<(i: number, ns: string) => [string, object]> = [
    (i: number, ns: string) => [
      `/api/v1/namespaces/${ns}/pods`,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `pod-${i}`, labels: { app: `a${i % 50}` } },
        spec: {
          containers: [
            {
              name: 'app',
              image,
              securityContext:
                i % 10 === 0 ? { privileged: true } : { allowPrivilegeEscalation: false, runAsNonRoot: true },
            },
          ],
        },
      },
    ],
    (i: number, ns: string) => [
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `deploy-${i}` },
        spec: {
          selector: { matchLabels: { app: `d${i}` } },
          template: {
            metadata: { labels: { app: `d${i}` } },
            spec: { containers: [{ name: 'app', image, resources: { limits: { memory: '128Mi' } } }] },
          },
        },
      },
    ],
    (i: number, ns: string) => [
      `/api/v1/namespaces/${ns}/configmaps`,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}` },
        data: { 'app.properties': `key=${'v'.repeat(200)}\n` },
      },
    ],
    (i: number, ns: string) => [
      `/api/v1/namespaces/${ns}/services`,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${i}` },
        spec: { clusterIP: 'None', selector: { app: `d${i}` }, ports: [{ port: 80 }] },
      },
    ],
  ]
  const t0 = Date.now()
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < total; i = next++) {
      const make = makers[i % makers.length] as (i: number, ns: string) => [string, object]
      const [path, body] = make(i, `bench-${i % namespaces}`)
      await post(path, body)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  console.log(`created ${total} objects in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

  const t1 = Date.now()
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      join(root, 'tools/bench/rss-reporter.mjs'),
      join(root, 'bin/palisade.js'),
      'audit',
      '--kubeconfig',
      cluster.kubeconfig,
      ...policyArgs,
      '--format',
      'json',
      '--output',
      join(cluster.dir, 'audit.json'),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  )
  const wall = (Date.now() - t1) / 1000
  const rss = /@@bench (\{.*\})/.exec(run.stderr)
  const maxRssMb = rss ? (JSON.parse(rss[1] as string) as { maxRssKiB: number }).maxRssKiB / 1024 : NaN
  const report = JSON.parse((await import('node:fs')).readFileSync(join(cluster.dir, 'audit.json'), 'utf8')) as {
    summary: { resources: number; findings: number }
  }
  console.log(
    `audit: exit ${run.status}, ${report.summary.resources} objects, ${report.summary.findings} findings, ${wall.toFixed(1)} s, peak RSS ${maxRssMb.toFixed(0)} MB (limit ${LIMIT_MB} MB)`,
  )
  if (!(maxRssMb < LIMIT_MB)) process.exitCode = 1
} finally {
  client.close()
  await cluster.stop()
}

async function post(path: string, body: object): Promise<void> {
  await client.request('POST', path, { body })
}
