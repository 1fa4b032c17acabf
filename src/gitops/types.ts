import type { Diagnostic, SourceSpan } from '../core/index.js'

/** How a path is turned into manifests. Paths are absolute. */
export type RenderSpec =
  | {
      tool: 'helm'
      chartDir: string
      releaseName: string
      namespace?: string
      /** Values files in order (later wins), absolute. The chart's values.yaml is implied by helm. */
      valuesFiles: readonly string[]
      /** Inline values (Argo CD `helm.values`/`valuesObject`, Flux `spec.values`), applied after the files. */
      values?: Readonly<Record<string, unknown>>
      /** Inline values as YAML text (Argo CD `helm.values`), applied after `values`. */
      valuesYaml?: string
      /** `--set` / `--set-string` parameters (Argo CD `helm.parameters`). */
      parameters?: readonly { name: string; value: string; forceString?: boolean }[]
      /** `--set-file` parameters (Argo CD `helm.fileParameters`): the key, and the file (absolute, inside the repository) whose text it is set to. */
      fileParameters?: readonly { name: string; file: string }[]
    }
  | {
      tool: 'kustomize'
      dir: string
      enableHelm: boolean
      /** Namespace set on every namespaced object (Flux `targetNamespace`, Argo CD `kustomize.namespace`). */
      namespace?: string
      /** Patches applied on top, in kustomize's `patches` format (Flux Kustomization `spec.patches`). */
      patches?: readonly unknown[]
      /** Image overrides applied on top, in kustomize's `images` format (Argo CD `kustomize.images`). */
      images?: readonly { name: string; newName?: string; newTag?: string; digest?: string }[]
    }
  | { tool: 'directory'; dir: string; recurse: boolean; include?: string; exclude?: string; namespace?: string }

/** Where a scanned application was declared. */
export interface TargetOrigin {
  kind:
    | 'argocd-application'
    | 'argocd-applicationset'
    | 'flux-kustomization'
    | 'flux-helmrelease'
    | 'helm-chart'
    | 'kustomization'
  /** Name of the declaring object (Application, Kustomization, ...), or the chart/overlay folder. */
  name: string
  /** File that declares it (repository-relative display path), when it is a file. */
  file?: string
}

/** One application or path to scan as it will be deployed. */
export interface Target {
  origin: TargetOrigin
  render: RenderSpec
  /** Repository-relative path of what is rendered (chart or overlay folder). */
  path: string
  cluster?: string
  environment?: string
  /** Why this environment: `--env`, `palisade.yaml paths`, `layout clusters/production`, ... */
  environmentReason?: string
  /** Namespace objects without one are deployed to (Argo CD destination namespace). */
  defaultNamespace?: string
  /** Flux postBuild.substitute variables, applied to every rendered object. */
  substitute?: Readonly<Record<string, string>>
  /** A chart rendered with one environment's values file: scanned even when an application covers the chart. */
  variant?: boolean
  /** Where inline Helm values (Flux spec.values, Argo CD valuesObject) are written: a values pointer → its span, if set there. */
  inlineValues?: (valuesPointer: string) => SourceSpan | undefined
  /** What was not applied as the controller would (valuesFrom, postBuild substitutions from objects). */
  notes?: string[]
}

/** Report entry for the JSON `sources` field and the text summary. */
export interface SourceReport {
  kind: TargetOrigin['kind']
  name: string
  /** File declaring the application, if any. */
  file?: string
  /** Rendered path (repository-relative), or the remote source that could not be rendered. */
  path: string
  renderer?: RenderSpec['tool']
  environment?: string
  environmentReason?: string
  cluster?: string
  namespace?: string
  status: 'scanned' | 'unscanned' | 'failed'
  /** Why it was not scanned, or how it failed, or what was left out when it was scanned. */
  reason?: string
  resources: number
  /** Milliseconds spent rendering (shared renders count once, on the first target). */
  renderMs?: number
  /** Failed: the line of `file` holding the refused field (release name, namespace, values file). */
  line?: number
}

/** What checking an overlay found: entries left out (remote, not fetched) and entries refused (outside the repository). */
export interface OverlayCheck {
  /** Error diagnostics at the entries' lines. */
  diagnostics: Diagnostic[]
  /** Set when the overlay must not be rendered (an entry leaves the repository). */
  refused?: string
  /** Remote entries left out of the copy kustomize renders, as `file: entry`. */
  notFetched: string[]
}

/** One kustomization file's check, and the local folders it includes. */
export type FileCheck = OverlayCheck & { localDirs: string[]; reported?: boolean }
