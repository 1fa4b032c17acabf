import { ASSIGNMENT_RULES } from './keyed-rules.js'
import { TOKEN_RULES } from './token-rules.js'

/** Every secret rule id with its title: token rules, key/value rules and the Secret-object rule. */
export const SECRET_RULE_IDS: ReadonlyMap<string, string> = new Map([
  ...TOKEN_RULES.map((r) => [r.id, r.title] as const),
  ...Object.entries(ASSIGNMENT_RULES).map(([id, r]) => [id, r.title] as const),
  ['kubernetes-secret', 'Plaintext Kubernetes Secret value'],
])
