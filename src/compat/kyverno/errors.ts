/** A Kyverno policy could not be evaluated (bad expression, unsupported feature, ...): the rule's result is `error`. */
export class KyvernoError extends Error {}

/** A feature Palisade does not implement: the rule's result is `error`, naming it. */
export class UnsupportedFeature extends KyvernoError {
  constructor(readonly feature: string, detail = '') {
    super(`unsupported Kyverno feature: ${feature}${detail ? ` (${detail})` : ''}`)
  }
}
