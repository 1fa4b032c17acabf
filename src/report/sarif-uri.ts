/** The uriBaseId of files given relative to the scan root (GitHub resolves it to the checkout). */
export const SRCROOT = '%SRCROOT%'

const DRIVE = /^[A-Za-z]:\//

/** Forward slashes only. A POSIX name that really contains `\` is rare enough to give up for Windows paths. */
const slashes = (path: string): string => path.replace(/\\/g, '/')
const isAbsolute = (path: string): boolean => path.startsWith('/') || DRIVE.test(path)
const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/')

/** `file:///abs/path` for an absolute path (POSIX or Windows drive), segments percent-encoded. */
export function fileUri(absolutePath: string): string {
  const path = slashes(absolutePath)
  return DRIVE.test(path) ? `file:///${path.slice(0, 2)}${encodePath(path.slice(2))}` : `file://${encodePath(path)}`
}

/**
 * A SARIF artifactLocation for a file as findings name it: relative to %SRCROOT% when it is
 * relative or lies under `cwd`, else an absolute file URI (a live object's `k8s://` name
 * stays as it is). Each segment is percent-encoded,
 * so spaces, `#`, `%`, `:` and names like `<stdin>` give valid URI references.
 */
export function artifactLocation(file: string, cwd: string | undefined): { uri: string; uriBaseId?: string } {
  // A live object (audit: k8s://<context>/<namespace>/<Kind>/<name>) is already a URI, of no checkout.
  if (/^k8s:\/\//.test(file)) return { uri: encodeURI(file) }
  let path = slashes(file)
  if (isAbsolute(path) && cwd !== undefined) {
    const root = slashes(cwd).replace(/\/+$/, '')
    if (path.startsWith(`${root}/`)) path = path.slice(root.length + 1)
  }
  if (isAbsolute(path)) return { uri: fileUri(path) }
  return { uri: encodePath(path.replace(/^(\.\/)+/, '')), uriBaseId: SRCROOT }
}

/** The file URI of the scan root, ending in `/` as SARIF requires of a base URI. */
export function rootUri(cwd: string): string {
  const uri = fileUri(cwd)
  return uri.endsWith('/') ? uri : `${uri}/`
}
