import { describe, expect, it } from 'vitest'
import { evaluateCelBody, readCelBody } from './cel-body.js'
import { CelPrograms } from './cel-program.js'

/** readCelBody tells later expressions which variables hold plain JSON data (see src/cel/README.md). */

const inputs = (spec: Record<string, unknown>) => ({
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec },
  oldObject: null,
  request: {},
  params: null,
  namespaceObject: null,
})

describe('readCelBody: data variables', () => {
  const body = readCelBody(
    {
      variables: [
        { name: 'containers', expression: 'has(object.spec.containers) ? object.spec.containers : []' },
        { name: 'init', expression: 'has(object.spec.initContainers) ? object.spec.initContainers : []' },
        {
          name: 'bad',
          expression:
            '(variables.containers + variables.init).filter(c, has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged).map(c, c.name)',
        },
      ],
      validations: [{ expression: 'size(variables.bad) == 0', messageExpression: 'variables.bad.join(", ")' }],
    },
    new CelPrograms(),
  )

  it('compiles the variables built from the object as JSON data', () => {
    expect(body.variables.map((v) => v.cel.json === true)).toEqual([true, true, true])
  })

  it('evaluates the same verdicts through the data fast paths', () => {
    const bad = evaluateCelBody(
      body,
      inputs({
        containers: [{ name: 'a', securityContext: { privileged: true } }, { name: 'b' }],
        initContainers: [{ name: 'i', securityContext: null }],
      }),
    )
    expect(bad.status).toBe('fail')
    expect(bad.failures.map((f) => f.message)).toEqual(['a'])
    expect(evaluateCelBody(body, inputs({ containers: [{ name: 'b', securityContext: {} }] })).status).toBe('pass')
  })

  it('does not claim a name declared twice', () => {
    const twice = readCelBody(
      {
        variables: [
          { name: 'v', expression: 'object.spec' },
          { name: 'v', expression: 'duration("1s")' },
          { name: 'w', expression: 'variables.v' },
        ],
        validations: [{ expression: 'true' }],
      },
      new CelPrograms(),
    )
    expect(twice.variables[2]?.cel.json).toBeUndefined()
  })
})
