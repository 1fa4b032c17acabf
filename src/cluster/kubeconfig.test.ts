import { describe, expect, it } from 'vitest'
import { inClusterAccess, readKubeconfig } from './index.js'

const files =
  (map: Record<string, string>) =>
  (f: string): string => {
    const text = map[f]
    if (text === undefined) throw Object.assign(new Error(`ENOENT ${f}`), { code: 'ENOENT' })
    return text
  }

const CONFIG = `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: c1
  cluster: {server: "https://10.0.0.1:6443/", certificate-authority: pki/ca.crt}
- name: c2
  cluster: {server: "https://prod:6443", certificate-authority-data: ${Buffer.from('PROD CA').toString('base64')}, tls-server-name: api.prod}
users:
- name: u1
  user: {token: t1}
- name: u2
  user: {client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key: keys/u2.key}
- name: u3
  user: {exec: {command: aws}}
contexts:
- name: dev
  context: {cluster: c1, user: u1, namespace: team}
- name: prod
  context: {cluster: c2, user: u2}
- name: sso
  context: {cluster: c2, user: u3}
`

describe('readKubeconfig', () => {
  const read = files({ '/k/config': CONFIG, '/k/pki/ca.crt': 'DEV CA', '/k/keys/u2.key': 'KEY' })

  it('resolves the current context, with files relative to the kubeconfig folder', () => {
    expect(readKubeconfig('/k/config', undefined, read)).toEqual({
      server: 'https://10.0.0.1:6443',
      context: 'dev',
      ca: 'DEV CA',
      token: 't1',
      namespace: 'team',
    })
  })

  it('resolves a named context with inline data and a client certificate', () => {
    expect(readKubeconfig('/k/config', 'prod', read)).toEqual({
      server: 'https://prod:6443',
      context: 'prod',
      ca: 'PROD CA',
      tlsServerName: 'api.prod',
      cert: 'CERT',
      key: 'KEY',
    })
  })

  it('refuses exec plugins, unknown contexts and unreadable files with a usage error', () => {
    expect(() => readKubeconfig('/k/config', 'sso', read)).toThrow(/exec or auth-provider/)
    expect(() => readKubeconfig('/k/config', 'nope', read)).toThrow(/no context "nope"/)
    expect(() => readKubeconfig('/k/missing', undefined, read)).toThrow(/cannot read kubeconfig/)
    expect(() => readKubeconfig('/k/config', undefined, files({ '/k/config': CONFIG }))).toThrow(
      /cannot read certificate-authority/,
    )
  })
})

describe('inClusterAccess', () => {
  it('uses the service host and the mounted ServiceAccount, and nothing outside a Pod', () => {
    const read = files({
      '/var/run/secrets/kubernetes.io/serviceaccount/token': 'tok\n',
      '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt': 'CA',
    })
    expect(inClusterAccess({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, read)).toEqual({
      server: 'https://[fd00::1]:443',
      context: 'in-cluster',
      token: 'tok',
      ca: 'CA',
    })
    expect(inClusterAccess({}, read)).toBeUndefined()
  })
})
