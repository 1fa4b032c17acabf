import { REVIEW_SCHEMA, SECRETS_SCHEMA, SIGNING_SCHEMA } from './gate-schema.js'
import { IMAGES_SCHEMA } from './images-schema.js'

/** JSON Schema of palisade.yaml (draft 2020-12 subset that ajv checks). Kept in code so it ships with the build. */
const action = { enum: ['audit', 'warn', 'deny'] }
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }
const severityMap = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(['info', 'low', 'medium', 'high', 'critical'].map((s) => [s, action])),
}
const actionRules = {
  type: 'object',
  additionalProperties: false,
  properties: {
    default: action,
    severity: severityMap,
    policies: {
      type: 'object',
      additionalProperties: {
        oneOf: [
          action,
          {
            type: 'object',
            additionalProperties: false,
            required: ['action', 'until', 'then'],
            properties: { action, until: date, then: action },
          },
        ],
      },
    },
  },
}
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } }

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'palisade.dev/v1alpha1' },
    kind: { const: 'Config' },
    policies: {
      type: 'object',
      additionalProperties: false,
      properties: {
        select: { type: 'string' },
        disable: stringList,
        params: { type: 'object', additionalProperties: { type: 'object' } },
      },
    },
    actions: actionRules,
    environments: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
          paths: stringList,
          namespaces: stringList,
          clusters: stringList,
          actions: actionRules,
        },
      },
    },
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['policy', 'reason', 'owner', 'expires'],
        properties: {
          policy: { type: 'string', minLength: 1 },
          resources: {
            type: 'object',
            additionalProperties: false,
            properties: { kind: { type: 'string' }, namespace: { type: 'string' }, name: { type: 'string' } },
          },
          environments: stringList,
          reason: { type: 'string', minLength: 3 },
          owner: { type: 'string', minLength: 1 },
          expires: date,
        },
      },
    },
    render: {
      type: 'object',
      additionalProperties: false,
      properties: {
        repoURLs: stringList,
        kustomize: { type: 'object', additionalProperties: false, properties: { enableHelm: { type: 'boolean' } } },
        limits: {
          type: 'object',
          additionalProperties: false,
          properties: {
            timeoutSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
            maxOutputMiB: { type: 'number', exclusiveMinimum: 0, maximum: 4096 },
            maxMemoryMiB: { type: 'number', exclusiveMinimum: 0, maximum: 16384 },
          },
        },
        chartMirrors: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['repository', 'path'],
            properties: {
              repository: { type: 'string', minLength: 1 },
              chart: { type: 'string', minLength: 1 },
              path: { type: 'string', minLength: 1 },
            },
          },
        },
        charts: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path'],
            properties: {
              path: { type: 'string', minLength: 1 },
              valuesFiles: stringList,
              environment: { type: 'string', minLength: 1 },
              releaseName: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
              namespace: { type: 'string', minLength: 1 },
            },
          },
        },
      },
    },
    failOn: { enum: ['info', 'low', 'medium', 'high', 'critical'] },
    errors: { enum: ['block', 'report'] },
    signing: SIGNING_SCHEMA,
    secrets: SECRETS_SCHEMA,
    review: REVIEW_SCHEMA,
    images: IMAGES_SCHEMA,
    store: {
      type: 'object',
      additionalProperties: false,
      properties: {
        record: { type: 'boolean' },
        path: { type: 'string', minLength: 1 },
        readyAfterDays: { type: 'integer', minimum: 1, maximum: 3650 },
        retentionDays: { type: 'integer', minimum: 1, maximum: 3650 },
        revertWindowDays: { type: 'integer', minimum: 1, maximum: 365 },
      },
    },
  },
} as const
