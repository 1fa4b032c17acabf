/**
 * The I/O edge for inputs: find manifest files under paths (with .palisadeignore),
 * read them as bytes with size limits, read stdin. Rendering Helm charts and Kustomize
 * overlays will live here too.
 */
export { discoverFiles } from './discover.js'
export type { DiscoverOptions } from './discover.js'
export type { FoundFile } from './read.js'
export { FileReads, NotRegularFileError, readBounded, readSource, readStream, DEFAULT_MAX_FILE_BYTES } from './read.js'
export { realPathInside } from './containment.js'
export type { RawSource } from './read.js'
