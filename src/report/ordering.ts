import { formatResourceRef, type Diagnostic, type Finding } from '../core/index.js'

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Findings in report order: by file, line, column and policy; findings without a file
 * come after all files, by resource, then policy. The remaining keys only make the order total, so
 * that the same result always gives byte-identical reports.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      Number(a.span === undefined) - Number(b.span === undefined) ||
      compareText(a.span?.file ?? '', b.span?.file ?? '') ||
      compareText(a.span ? '' : formatResourceRef(a.resource), b.span ? '' : formatResourceRef(b.resource)) ||
      (a.span?.start.line ?? 0) - (b.span?.start.line ?? 0) ||
      (a.span?.start.column ?? 0) - (b.span?.start.column ?? 0) ||
      compareText(a.policyId, b.policyId) ||
      compareText(formatResourceRef(a.resource), formatResourceRef(b.resource)) ||
      compareText(a.path, b.path) ||
      compareText(a.messageId, b.messageId) ||
      compareText(a.fingerprint, b.fingerprint),
  )
}

/** Diagnostics in report order: those without a file first (as given), then by file, line and column. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      Number(a.span !== undefined) - Number(b.span !== undefined) ||
      compareText(a.span?.file ?? '', b.span?.file ?? '') ||
      (a.span?.start.line ?? 0) - (b.span?.start.line ?? 0) ||
      (a.span?.start.column ?? 0) - (b.span?.start.column ?? 0),
  )
}

export { isErrorDiagnostic } from '../core/index.js'
