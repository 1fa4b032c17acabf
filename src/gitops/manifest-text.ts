import { isRecord, type Diagnostic, type KubeObject } from '../core/index.js'
import { parseManifests, type ParsedDocument } from '../yaml/index.js'

/** Parse a manifest file's text; bad YAML is diagnostics, good documents are kept. */
export function decodeSourceText(
  text: string,
  file: string,
): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  return parseManifests(text, file)
}

/** True for a document that is a Kubernetes object (kind and apiVersion strings), not a values file or build input. */
export function isKubeObject(value: unknown): value is KubeObject {
  if (!isRecord(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') return false
  const group = value.apiVersion.split('/')[0]
  return group !== 'kustomize.config.k8s.io' && group !== 'config.kubernetes.io'
}
