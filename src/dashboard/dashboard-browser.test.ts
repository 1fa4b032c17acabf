import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeStats, openFindings, openStore, type Stats, type Store } from '../store/index.js'
import { CHROMIUM, hasChromium } from '../testing/chromium.js'
import { startDashboard, type Dashboard } from './index.js'
import { seedDashboardStore } from '../testing/dashboard-seed.js'

// The dashboard in a real headless Chromium: every page loads offline (only the dashboard's
// own origin is reachable), its numbers equal the store's, a filter click filters, and each
// page is saved as a screenshot under test-output/dashboard/ (git-ignored).
const SHOTS = fileURLToPath(new URL('../../test-output/dashboard/', import.meta.url))
const NOW = new Date('2026-03-20T00:00:00Z')
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-dashboard-'))
let store: Store
let dashboard: Dashboard
let browser: Browser
let stats: Stats
const outside: string[] = []

describe.skipIf(!hasChromium())(
  `dashboard in Chromium${hasChromium() ? '' : ' (skipped: Chromium is not installed)'}`,
  () => {
    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      store = await openStore({ engine: 'pglite', dir: path.join(scratch, 'store') }, { pid: process.pid })
      await seedDashboardStore(store)
      stats = await computeStats(store.client, {
        since: new Date(NOW.getTime() - 90 * 86_400_000),
        now: NOW,
        readyAfterDays: 14,
        expiringWithinDays: 14,
      })
      dashboard = await startDashboard({
        db: store.client,
        host: '127.0.0.1',
        port: 0,
        sinceDays: 90,
        readyAfterDays: 14,
        now: () => NOW,
        onError: (e) => {
          throw e
        },
      })
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    })
    afterAll(async () => {
      await browser?.close()
      await dashboard?.close()
      await store?.close()
      rmSync(scratch, { recursive: true, force: true })
    })

    const open = async (pagePath: string): Promise<Page> => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      const origin = new URL(dashboard.url).origin
      // Offline: anything but the dashboard itself (a CDN) is refused and remembered.
      await page.route('**/*', (route) =>
        route.request().url().startsWith(origin)
          ? route.continue()
          : (outside.push(route.request().url()), route.abort()),
      )
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined))
      const response = await page.goto(new URL(pagePath, dashboard.url).toString())
      expect(response?.status()).toBe(200)
      expect(errors).toEqual([])
      return page
    }
    const tile = async (page: Page, id: string): Promise<string> =>
      (await page.locator(`[data-tile="${id}"]`).first().textContent()) ?? ''
    const shot = async (page: Page, name: string): Promise<void> => {
      const file = path.join(SHOTS, `${name}.png`)
      await page.screenshot({ path: file, fullPage: true })
      expect(statSync(file).size).toBeGreaterThan(10_000)
    }

    it('overview: tiles equal the store, the trend chart is drawn by the served chart library', async () => {
      const page = await open('/')
      expect(await tile(page, 'open')).toBe(String(stats.open.total))
      expect(await tile(page, 'open-critical')).toBe(String(stats.open.bySeverity.critical ?? 0))
      expect(await tile(page, 'open-medium')).toBe(String(stats.open.bySeverity.medium ?? 0))
      expect(await tile(page, 'fixed')).toBe(String(stats.weekly.reduce((n, w) => n + w.fixed, 0)))
      expect(await tile(page, 'signed')).toBe('66.7%')
      expect(await tile(page, 'waivers-expiring')).toBe('1')
      await page.locator('[data-chart="weekly-data"][data-drawn="true"] canvas').first().waitFor()
      expect(await page.locator('[data-env-open="production"]').textContent()).toBe(
        String(stats.open.byEnvironment.production),
      )
      await shot(page, 'overview')
      await page.close()
    })

    it('findings: the list equals the store, links to file and line, and a severity filter click filters', async () => {
      const page = await open('/findings')
      const all = await openFindings(store.client, {})
      expect(await page.locator('[data-count="findings"]').textContent()).toBe(String(all.length))
      expect(await page.locator('table[data-table="findings"] tbody tr').count()).toBe(all.length)
      const link = page.locator('a[data-location]').first()
      expect(await link.getAttribute('href')).toMatch(
        /^https:\/\/github\.com\/acme\/apps\/blob\/c{40}\/clusters\/production\/api\.yaml#L12$/,
      )
      await page.locator('a[data-filter="severity"][data-value="medium"]').click()
      await page.waitForURL(/severity=medium/)
      const medium = await openFindings(store.client, { severity: 'medium' })
      expect(await page.locator('[data-count="findings"]').textContent()).toBe(String(medium.length))
      const severities = await page.locator('table[data-table="findings"] tbody tr td:first-child').allTextContents()
      expect(severities.length).toBe(medium.length)
      expect(new Set(severities)).toEqual(new Set(['medium']))
      await page.locator('a[data-filter="environment"][data-value="production"]').click()
      await page.waitForURL(/environment=production/)
      expect(await page.locator('[data-count="findings"]').textContent()).toBe(
        String((await openFindings(store.client, { severity: 'medium', environment: 'production' })).length),
      )
      await shot(page, 'findings-filtered')
      await page.close()
    })

    it("rollout, admission, commits and waivers pages show the store's numbers", async () => {
      let page = await open('/rollout')
      expect(await tile(page, 'ready')).toBe(String(stats.rollout.filter((r) => r.state === 'ready').length))
      expect(await page.locator('table[data-table="rollout"] tbody tr').count()).toBe(stats.rollout.length)
      await shot(page, 'rollout')
      await page.close()

      page = await open('/admission')
      expect(await tile(page, 'denied')).toBe(String(stats.admission.reduce((n, a) => n + a.denied, 0)))
      await page.locator('[data-chart="admission-data"][data-drawn="true"] canvas').first().waitFor()
      expect(await page.locator('table[data-table="denials"] tbody tr').count()).toBe(2)
      await shot(page, 'admission')
      await page.close()

      page = await open('/commits')
      expect(await tile(page, 'signed')).toBe('66.7%')
      expect(await page.locator('table[data-table="commits"] tbody tr').count()).toBe(3)
      await shot(page, 'commits')
      await page.close()

      page = await open('/waivers')
      expect(await tile(page, 'waivers-active')).toBe(String(stats.waivers.active))
      await shot(page, 'waivers')
      await page.close()
      expect(outside).toEqual([])
    })
  },
)
