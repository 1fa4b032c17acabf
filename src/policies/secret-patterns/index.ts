/** Heuristics for credentials written into Kubernetes object fields. */
export { isSecretLikeName, tokenShapeIn, isLiteralCredential } from './patterns.js'
