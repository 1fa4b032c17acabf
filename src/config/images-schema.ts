/** JSON Schema of the `images:` section of palisade.yaml (signed images, digests, promotion, scan reports). */
const globList = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }

export const IMAGES_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['match'],
    properties: {
      match: globList,
      environments: globList,
      requireDigest: { type: 'boolean' },
      signatures: {
        type: 'object',
        additionalProperties: false,
        properties: {
          keys: { type: 'array', items: { type: 'string', minLength: 1 } },
          keyless: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['issuer', 'subject'],
              properties: { issuer: { type: 'string', minLength: 1 }, subject: { type: 'string', minLength: 1 } },
            },
          },
        },
      },
      promotion: {
        type: 'object',
        additionalProperties: false,
        required: ['from'],
        properties: {
          from: { type: 'string', minLength: 1 },
          minSoak: { type: 'string', pattern: '^(\\d+[dhms])+$' },
        },
      },
      reports: {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxSeverity: { enum: ['info', 'low', 'medium', 'high', 'critical'] },
          fixableOnly: { type: 'boolean' },
          noShell: { type: 'boolean' },
          allowEol: { type: 'boolean' },
        },
      },
    },
  },
} as const
