/** Container image references as runtimes read them: registry, repository, tag, digest. */
export { parseImageReference, qualifiedImageName } from './parse.js'
export type { ImageReference } from './parse.js'
