import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../store/index.js'
import { CHROMIUM, hasChromium } from '../testing/chromium.js'
import { runInProcess } from '../cli/in-process.test-support.js'
import { MONTH, recordMonth } from './testing/month-of-runs.js'
import type { ComplianceReport } from './index.js'

// The HTML report in real headless Chromium: as printed (print media), every control's row
// is laid out on the page, and `--pdf` writes a PDF with pages. Saved under test-output/compliance/.
const OUT = fileURLToPath(new URL('../../test-output/compliance/', import.meta.url))
const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-compliance-pdf-'))
const storeDir = path.join(scratch, 'store')
const now = new Date('2026-04-02T00:00:00Z')
let browser: Browser

describe.skipIf(!hasChromium())(
  `compliance report in Chromium${hasChromium() ? '' : ' (skipped: Chromium is not installed)'}`,
  () => {
    beforeAll(async () => {
      mkdirSync(OUT, { recursive: true })
      const store = await openStore({ engine: 'pglite', dir: storeDir }, { pid: process.pid })
      try {
        await recordMonth(store)
      } finally {
        await store.close()
      }
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
    }, 120_000)
    afterAll(async () => {
      await browser?.close()
      rmSync(scratch, { recursive: true, force: true })
    })

    for (const framework of ['cis', 'nist'] as const) {
      it(`${framework}: the printed HTML shows every control, and --pdf writes a PDF`, async () => {
        const args = [
          'report',
          'compliance',
          '--framework',
          framework,
          '--since',
          MONTH.since,
          '--until',
          MONTH.until,
          '--store',
          storeDir,
        ]
        const json = JSON.parse(
          (await runInProcess([...args, '--format', 'json'], scratch, now)).stdout,
        ) as ComplianceReport
        const pdf = path.join(OUT, `${framework}.pdf`)
        const html = await runInProcess([...args, '--format', 'html', '--pdf', pdf], scratch, now)
        expect(html.stderr).toBe('')
        expect(html.code).toBe(0)
        const page = await browser.newPage()
        await page.route('**/*', (route) => route.abort())
        await page.setContent(html.stdout)
        await page.emulateMedia({ media: 'print' })
        const cells = await page.$$eval('[data-control]', (els) =>
          els.map((e) => ({
            id: e.getAttribute('data-control'),
            text: e.textContent,
            h: e.getBoundingClientRect().height,
          })),
        )
        expect(cells.map((c) => c.id)).toEqual(json.controls.map((c) => c.id))
        for (const c of cells) {
          expect(c.text).toBe(c.id)
          expect(c.h, `${c.id} is laid out`).toBeGreaterThan(0)
        }
        const bytes = readFileSync(pdf)
        expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
        const pages = bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []
        expect(pages.length).toBeGreaterThanOrEqual(1)
        await page.close()
      }, 120_000)
    }
  },
)
