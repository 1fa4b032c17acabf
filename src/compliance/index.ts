/**
 * Compliance reports over a period: per control of a framework, the built-in policies that
 * implement it and what the findings store recorded for them (runs, findings, waivers,
 * admission), commits and signers, and the days without runs. docs/compliance.md.
 */
export { complianceReport, assembleReport, gapsOf, REPORT_FRAMEWORKS } from './report.js'
export type { ComplianceReport, ControlReport, ControlStatus, Gap, ReportFramework } from './report.js'
export type { Period, PolicyFigures, PeriodFigures } from './queries.js'
export { renderReport, renderHtml, renderMarkdown } from './render.js'
export { policySetRecord } from './policy-set.js'
export type { PolicySetRecord } from './policy-set.js'
export { htmlToPdf, chromiumPath } from './pdf.js'
