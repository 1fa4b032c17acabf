import type { KubeObject } from './resource.js'
import type { SourceSpan } from './span.js'

/**
 * A Kubernetes object with a way back to the source line of any of its fields: read from a
 * file (the pipeline) or rendered by helm or kustomize (gitops). One type for both, so a
 * rendered object is checked, located and fingerprinted exactly as a written one.
 */
export interface LocatedResource {
  object: KubeObject
  /** The file as users see it; for a rendered object, the template or origin file it is attributed to. */
  file: string
  /** Environment given by the source, if any. */
  environment?: string
  /** Index of the YAML document in the file, and the pointer of the object inside it ('' or '/items/N'). */
  document: number
  prefix: string
  locate(pointer: string): SourceSpan
  /** Set when a renderer produced the object: `file` holds its template or origin, so fixes must not be applied to it blindly. */
  renderedBy?: 'helm' | 'kustomize'
  /**
   * The namespace the object is deployed to is not known (a chart rendered without a
   * namespace from Argo CD, Flux or palisade.yaml): policies that depend on it skip it.
   */
  namespaceUnknown?: true
  /** Rendered objects: `<kind> <name>` of the application (chart, overlay, Argo CD or Flux object) that rendered it. */
  application?: string
  /**
   * Rendered objects: where the object comes from (render, template or origin file, its place
   * among that file's objects of its kind), the fingerprint's resource identity instead of a
   * name the template may generate.
   */
  identity?: string
  /** Helm only: locate, also looking into the inline values of the application that rendered the chart. */
  locateWithValues?(pointer: string, inline: (valuesPointer: string) => SourceSpan | undefined): SourceSpan
}
