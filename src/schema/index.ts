/**
 * Kubernetes schema validation, as kubeconform does it: every object is checked against
 * the JSON schema of its apiVersion and kind for one Kubernetes version; objects with no
 * schema (custom resources) are skipped, not failed. The schemas are read offline from
 * .tools/schemas (installed by `npm ci`).
 */
export { createValidator } from './validator.js'
export type { KubeValidator, SchemaOutcome } from './validator.js'
export { loadValidator, installedKubernetesVersions, SCHEMAS_DIR } from './load.js'
