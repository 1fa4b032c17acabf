import type { Diagnostic, ErrorCode } from '../core/index.js'
import { artifactLocation } from './sarif-uri.js'
import { isErrorDiagnostic } from './ordering.js'
import type { NotScanned } from './types.js'

/** One line per ErrorCode, for SARIF notification descriptors (a Record, so a new code fails to compile here). */
const ERROR_CODE_TITLES: Record<ErrorCode, string> = {
  YAML_SYNTAX: 'The file is not valid YAML or JSON.',
  YAML_DUPLICATE_KEY: 'A mapping repeats a key.',
  FILE_NOT_TEXT: 'The file is not UTF-8 text, or looks binary.',
  FILE_TOO_LARGE: 'The file is larger than the configured limit.',
  FILE_UNREADABLE: 'The file or folder could not be read.',
  RESOURCE_INVALID: 'A document looks like a Kubernetes object but is not one.',
  POLICY_INVALID: 'A policy fails the policy schema.',
  CEL_COMPILE: 'A CEL expression does not compile.',
  CONFIG_INVALID: 'The configuration fails its schema.',
  WAIVER_INVALID: 'A waiver is malformed or lacks a reason.',
  WAIVER_EXPIRED: 'A waiver has expired; its findings count again.',
  USAGE: 'Bad command-line arguments.',
  RENDER_FAILED: 'helm or kustomize exited with an error.',
  SCHEMA_INVALID: 'An object does not match the Kubernetes schema of its kind.',
  SCHEMA_SKIPPED: 'No Kubernetes schema for a kind (custom resource); not schema-checked.',
  GIT_FAILED: 'git is missing, the folder is not a repository, or a git command failed.',
  REGISTRY_ERROR: 'An OCI registry could not be reached, refused, or served bytes that do not match their digest.',
  REPORT_INVALID: 'An image scan report or SBOM could not be read.',
  STORAGE_UNAVAILABLE: 'A storage backend could not be reached.',
  CLUSTER_FAILED: 'The Kubernetes API server could not be reached, or refused or failed a request.',
  INTERNAL: 'An internal error (a bug in Palisade).',
}

/** Notification descriptors (toolComponent.notifications) for the codes that occur, sorted. */
export function notificationDescriptors(
  diagnostics: readonly Diagnostic[],
): { id: string; shortDescription: { text: string } }[] {
  return [...new Set(diagnostics.map((d) => d.code))]
    .sort()
    .map((code) => ({ id: code, shortDescription: { text: ERROR_CODE_TITLES[code] } }))
}

/** The descriptor id of the notifications for sources that were not scanned. */
export const NOT_SCANNED_ID = 'SOURCE_NOT_SCANNED'

/** The descriptor for sources not scanned, when there are some. */
export function notScannedDescriptor(
  notScanned: readonly NotScanned[],
): { id: string; shortDescription: { text: string } }[] {
  return notScanned.length === 0
    ? []
    : [
        {
          id: NOT_SCANNED_ID,
          shortDescription: { text: 'A source (application, chart or overlay) was found but not scanned.' },
        },
      ]
}

/** A source that was not scanned as a SARIF toolExecutionNotification (a failed render is an error, else a warning). */
export function notScannedNotification(
  s: NotScanned,
  descriptors: readonly { id: string }[],
  cwd: string | undefined,
): Record<string, unknown> {
  return {
    level: s.status === 'failed' ? 'error' : 'warning',
    message: {
      text: `${s.status === 'failed' ? 'not scanned (render failed)' : 'not scanned'}: ${s.name}: ${s.reason}`,
    },
    descriptor: { id: NOT_SCANNED_ID, index: descriptors.findIndex((x) => x.id === NOT_SCANNED_ID) },
    ...(s.file === undefined
      ? {}
      : {
          locations: [
            { physicalLocation: { artifactLocation: artifactLocation(s.file, cwd), region: { startLine: 1 } } },
          ],
        }),
  }
}

/** A diagnostic as a SARIF toolExecutionNotification, pointing at its descriptor. */
export function notification(
  d: Diagnostic,
  descriptors: readonly { id: string }[],
  cwd: string | undefined,
): Record<string, unknown> {
  const span = d.span
  return {
    level: isErrorDiagnostic(d) ? 'error' : 'warning',
    message: { text: d.hint === undefined ? d.message : `${d.message} (hint: ${d.hint})` },
    descriptor: { id: d.code, index: descriptors.findIndex((x) => x.id === d.code) },
    ...(span
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(span.file, cwd),
                region: { startLine: span.start.line, startColumn: span.start.column },
              },
            },
          ],
        }
      : {}),
    ...(d.hint === undefined ? {} : { properties: { hint: d.hint } }),
  }
}
