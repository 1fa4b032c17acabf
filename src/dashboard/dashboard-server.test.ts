import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../store/index.js'
import { sourceUrl, startDashboard } from './index.js'

const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-dashboard-http-'))
let store: Store
beforeAll(async () => {
  store = await openStore({ engine: 'pglite', dir: path.join(scratch, 'store') }, { pid: process.pid })
})
afterAll(async () => {
  await store.close()
  rmSync(scratch, { recursive: true, force: true })
})
const base = {
  port: 0,
  sinceDays: 90,
  readyAfterDays: 14,
  now: () => new Date('2026-03-20T00:00:00Z'),
  onError: () => undefined,
}

describe('dashboard server', () => {
  it('refuses to bind beyond loopback without a token of 16+ characters', async () => {
    await expect(startDashboard({ ...base, db: store.client, host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'USAGE',
    })
    await expect(startDashboard({ ...base, db: store.client, host: '0.0.0.0', token: 'short' })).rejects.toMatchObject({
      code: 'USAGE',
    })
  })

  it('with a token: 401 without it, 200 with the bearer header, cookie from ?token=, assets public, GET only', async () => {
    const token = 'read-only-token-0123456789'
    const dashboard = await startDashboard({ ...base, db: store.client, host: '0.0.0.0', token })
    try {
      const url = dashboard.url.replace('0.0.0.0', '127.0.0.1')
      expect((await fetch(url)).status).toBe(401)
      expect((await fetch(url, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401)
      const ok = await fetch(`${url}api/stats`, { headers: { Authorization: `Bearer ${token}` } })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toMatchObject({ runs: 0, open: { total: 0 } })
      const login = await fetch(`${url}findings?token=${token}&severity=high`, { redirect: 'manual' })
      expect(login.status).toBe(303)
      expect(login.headers.get('location')).toBe('/findings?severity=high')
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string
      const page = await fetch(`${url}findings?severity=high`, { headers: { Cookie: cookie } })
      expect(page.status).toBe(200)
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
      expect((await fetch(`${url}assets/uPlot.iife.min.js`)).status).toBe(200)
      expect((await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).status).toBe(405)
      expect((await fetch(`${url}nothing`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404)
    } finally {
      await dashboard.close()
    }
  })

  it('escapes what the store holds and ignores unknown filter values', async () => {
    await store.recordRun({
      meta: {
        repo: 'r<script>',
        ref: 'main',
        startedAt: new Date('2026-03-19T00:00:00Z'),
        durationMs: 1,
        toolVersion: 't',
        policyDigest: 'd',
        environments: [],
        source: 'scan',
      },
      findings: [
        {
          fingerprint: 'x',
          policy: 'p',
          severity: 'high',
          action: 'deny',
          status: 'fail',
          message: '<img src=x onerror=alert(1)>',
        },
      ],
      policyActions: [],
    })
    const dashboard = await startDashboard({ ...base, db: store.client, host: '127.0.0.1' })
    try {
      const html = await (await fetch(`${dashboard.url}findings?severity=bogus`)).text()
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
      expect(html).not.toContain('<img src=x')
      expect(html).toContain('<span data-count="findings">1</span>')
    } finally {
      await dashboard.close()
    }
  })

  it('links to the forge only for known forges and full commits', () => {
    expect(sourceUrl({ repo: 'github.com/acme/apps', commit: 'a'.repeat(40), file: 'k8s/a b.yaml', line: 3 })).toBe(
      `https://github.com/acme/apps/blob/${'a'.repeat(40)}/k8s/a%20b.yaml#L3`,
    )
    expect(sourceUrl({ repo: 'gitlab.com/g/p', commit: 'abcdef1', file: 'x.yaml', line: null })).toBe(
      'https://gitlab.com/g/p/-/blob/abcdef1/x.yaml',
    )
    expect(sourceUrl({ repo: 'example.org/x', commit: 'abcdef1', file: 'x.yaml', line: 1 })).toBeUndefined()
    expect(sourceUrl({ repo: 'github.com/acme/apps', commit: 'main', file: 'x.yaml', line: 1 })).toBeUndefined()
  })
})
