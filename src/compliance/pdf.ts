import { existsSync } from 'node:fs'
import { ToolError } from '../core/index.js'

/** Debian's Chromium, or PALISADE_CHROMIUM. */
export function chromiumPath(env: Readonly<Record<string, string | undefined>>): string {
  return env.PALISADE_CHROMIUM ?? '/usr/bin/chromium'
}

/**
 * Print a self-contained HTML page to PDF in headless Chromium (playwright-core). Every
 * request the page would make is refused: the report needs none, and printing reaches no network.
 */
export async function htmlToPdf(html: string, file: string, executablePath: string): Promise<void> {
  if (!existsSync(executablePath))
    throw new ToolError('USAGE', `--pdf needs Chromium at ${executablePath}`, {
      hint: 'apt-get install chromium, or set PALISADE_CHROMIUM to its path',
    })
  // Loaded only for --pdf: playwright-core is large and no other command needs it.
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] })
  try {
    const context = await browser.newContext({ javaScriptEnabled: false })
    await context.route('**/*', (route) => route.abort())
    const page = await context.newPage()
    await page.setContent(html, { waitUntil: 'load' })
    await page.pdf({
      path: file,
      format: 'A4',
      landscape: true,
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' },
    })
  } finally {
    await browser.close()
  }
}
