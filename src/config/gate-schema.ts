/** JSON Schema of the pull-request gate sections of palisade.yaml: signing, secrets, review. */
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } }
const globList = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }

export const SIGNING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    allowedSigners: { type: 'string', minLength: 1 },
    openpgpKeys: stringList,
    groups: { type: 'object', additionalProperties: stringList },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['paths', 'groups'],
        properties: { paths: globList, groups: globList },
      },
    },
  },
} as const

export const SECRETS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    allow: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['fingerprint', 'reason'],
        properties: {
          fingerprint: { type: 'string', pattern: '^[0-9a-f]{32}$' },
          reason: { type: 'string', minLength: 3 },
        },
      },
    },
    entropy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minLength: { type: 'integer', minimum: 8 },
        bitsPerChar: { type: 'number', minimum: 1, maximum: 6 },
      },
    },
  },
} as const

export const REVIEW_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    action: { enum: ['audit', 'warn', 'deny'] },
    owners: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['paths', 'owners'],
        properties: { paths: globList, owners: globList },
      },
    },
  },
} as const
