/**
 * The admission webhook: AdmissionReview v1 over HTTPS (/validate, /mutate, per
 * environment by path), health, readiness and Prometheus metrics, policy generations
 * swapped atomically on change, graceful shutdown, certificate reload, and the manifests
 * and certificates to install it. Evaluation goes through the pipeline's checkObject, so
 * admission gives the findings a scan gives.
 */
export { WebhookServer, DEFAULT_TIMEOUTS } from './server.js'
export type { WebhookServerOptions, Timeouts } from './server.js'
export { createHandler, MAX_BODY_BYTES, MAX_JSON_DEPTH } from './handler.js'
export type { HandlerOptions, WebhookState } from './handler.js'
export { decide } from './decide.js'
export type { Decision, DecisionInput, FailurePolicy } from './decide.js'
export { readAdmissionReview, reviewOf, BadReview } from './admission-review.js'
export type { AdmissionRequest, AdmissionResponse } from './admission-review.js'
export { PolicyGeneration } from './generation.js'
export type { LoadedPolicies } from './generation.js'
export { PolicyReloader } from './reloader.js'
export { WebhookMetrics } from './metrics.js'
export { jsonLog } from './json-log.js'
export type { JsonLog } from './json-log.js'
export type { DecisionRecord } from './decision-log.js'
export { watchFiles } from './watch-files.js'
export { boundedWarnings, WARNING_LIMITS } from './warnings.js'
export { toRfc6902 } from './json-patch.js'
export { createWebhookCertificates } from './certs.js'
export type { WebhookCertificates } from './certs.js'
export { installManifests, resourceOfKind, ENVIRONMENT_LABEL } from './install-manifests.js'
export type { InstallOptions } from './install-manifests.js'
