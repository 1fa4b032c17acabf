/**
 * The findings a report prints, as keys (policy, file:line:column, resource where the format
 * shows it, message), read back from the report's text in each format. A key printed twice
 * in one report is the same finding printed twice. The message is part of the key: one
 * policy may report two things at one line (a container missing its cpu request and its
 * memory request both point at the container), and those are two findings.
 */

export type TrialFormat = 'text' | 'json' | 'sarif' | 'junit' | 'markdown'

export const TRIAL_FORMATS: readonly TrialFormat[] = ['text', 'json', 'sarif', 'junit', 'markdown']

interface JsonFinding {
  policy: string
  file: string | null
  line: number | null
  column: number | null
  message: string
  resource: { kind: string; namespace: string | null; name: string }
}

interface SarifResult {
  ruleId: string
  message: { text: string }
  locations?: {
    physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number; startColumn?: number } }
  }[]
  properties?: { resource?: { kind: string; namespace: string | null; name: string } }
}

const resourceKey = (r: { kind: string; namespace: string | null; name: string } | undefined): string =>
  r ? `${r.kind}/${r.namespace ?? ''}/${r.name}` : ''

/** One key per finding the report prints, in the order printed. */
export function printedFindings(format: TrialFormat, report: string): string[] {
  switch (format) {
    case 'json': {
      const findings = (JSON.parse(report) as { findings: JsonFinding[] }).findings
      return findings.map((f) =>
        [f.policy, `${f.file}:${f.line}:${f.column}`, resourceKey(f.resource), f.message].join(' | '),
      )
    }
    case 'sarif': {
      const runs = (JSON.parse(report) as { runs: { results: SarifResult[] }[] }).runs
      return runs.flatMap((run) =>
        run.results.map((r) => {
          const loc = r.locations?.[0]?.physicalLocation
          return [
            r.ruleId,
            `${loc?.artifactLocation?.uri}:${loc?.region?.startLine}:${loc?.region?.startColumn}`,
            resourceKey(r.properties?.resource),
            r.message.text,
          ].join(' | ')
        }),
      )
    }
    case 'text': {
      // `  file:line:col  severity  ACTION  policy  message`, then `    in Kind/ns/name at /path, ...`
      // (a finding without a file prints its resource where the location goes).
      const lines = report.split('\n')
      const out: string[] = []
      lines.forEach((line, i) => {
        const head = /^ {2}(\S.*?) {2}(?:critical|high|medium|low|info) +(?:DENY|WARN|AUDIT) +(\S+) {2}(.*)$/.exec(line)
        if (!head) return
        const resource = /^ {4}in (\S+) at /.exec(lines[i + 1] ?? '')?.[1] ?? ''
        out.push([head[2], head[1], resource, head[3]].join(' | '))
      })
      return out
    }
    case 'markdown': {
      // `| severity | action | `policy` | message | [file:line](link) |` (the table shows no resource).
      const out: string[] = []
      for (const line of report.split('\n')) {
        const row = /^\| \w+ \| \w+ \| `([^`]+)` \| (.*) \| \[([^\]]+)\]\([^)]*\) \|$/.exec(line)
        if (row) out.push([row[1], row[3], '', row[2]].join(' | '))
      }
      return out
    }
    case 'junit': {
      // <testcase classname="policy" name="Kind/ns/name (file)">, holding a <failure>, <error> or <skipped>
      // whose text has one line per finding: `file:line:col  severity  ACTION  message`.
      const out: string[] = []
      for (const testcase of report.matchAll(
        /<testcase classname="([^"]*)" name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g,
      )) {
        if (testcase[1] === 'palisade.errors') continue // diagnostics, not findings
        for (const element of (testcase[3] as string).matchAll(/<(failure|error|skipped) [^>]*>([^<]*)<\/\1>/g)) {
          for (const line of (element[2] as string).split('\n')) {
            const body = /^(.+?) {2}(?:critical|high|medium|low|info) {2}(?:DENY|WARN|AUDIT) {2}(.*)$/.exec(line)
            out.push([testcase[1], body?.[1] ?? '', testcase[2], body?.[2] ?? line].join(' | '))
          }
        }
      }
      return out
    }
  }
}

/** Keys that appear more than once, with their count. */
export function printedTwice(keys: readonly string[]): [string, number][] {
  const counts = new Map<string, number>()
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1)
  return [...counts].filter(([, n]) => n > 1)
}
