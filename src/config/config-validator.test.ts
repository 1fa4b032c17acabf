import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CONFIG_AJV_OPTIONS, renderConfigValidator } from '../../tools/gen-config-validator.js'
import { validateConfigSchema } from './config-validator.js'
import { CONFIG_SCHEMA } from './index.js'

const STALE =
  'src/config/config-validator.ts is out of date with src/config/schema.ts: regenerate it with `npm run gen`'

describe("palisade.yaml's schema, compiled at build time (config-validator.ts)", () => {
  it('is what tools/gen-config-validator.ts generates from the schema', () => {
    expect(readFileSync(new URL('./config-validator.ts', import.meta.url), 'utf8'), STALE).toBe(renderConfigValidator())
  })

  it('accepts, rejects and reports errors as the schema compiled at run time does', () => {
    const compiled = new Ajv(CONFIG_AJV_OPTIONS).compile(CONFIG_SCHEMA)
    const verdict = (validate: typeof compiled, data: unknown): unknown => [validate(data), validate.errors ?? null]
    const action = fc.constantFrom('audit', 'warn', 'deny', 'block', 3)
    const config = fc.record(
      {
        apiVersion: fc.constantFrom('palisade.dev/v1alpha1', 'v2'),
        kind: fc.constantFrom('Config', 'Other'),
        policies: fc.record(
          { select: fc.string(), disable: fc.array(fc.string({ maxLength: 2 })) },
          { requiredKeys: [] },
        ),
        actions: fc.record({ default: action, severity: fc.dictionary(fc.constantFrom('low', 'high', 'bad'), action) }),
        secrets: fc.record({
          allow: fc.array(
            fc.record({
              fingerprint: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 31, maxLength: 32 }),
              reason: fc.string(),
            }),
          ),
        }),
        unknown: fc.anything(),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(config, (data) => {
        expect(verdict(validateConfigSchema, data)).toEqual(verdict(compiled, data))
      }),
      { numRuns: 300 },
    )
  })
})
