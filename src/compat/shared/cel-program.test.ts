import { describe, expect, it } from 'vitest'
import { celBool, celCompileError, CelPrograms } from './cel-program.js'
import { isCompatError } from './errors.js'

describe('CelPrograms: the CEL programs of one policy', () => {
  it('compiles an expression once per policy, and nothing is shared between policies', () => {
    const a = new CelPrograms()
    const b = new CelPrograms()
    const first = a.compile('object.spec.replicas <= 3')
    expect(a.compile('object.spec.replicas <= 3')).toBe(first)
    expect(b.compile('object.spec.replicas <= 3')).not.toBe(first)
    expect(celBool(first, { object: { spec: { replicas: 2 } } })).toBe(true)
  })

  it('keeps a compile failure with its code and raises it where the expression is evaluated', () => {
    const c = new CelPrograms().compile('object.spec.(')
    expect(celCompileError(c)).toMatch(/^CEL expression "object.spec.\(" does not compile/)
    let caught: unknown
    try {
      celBool(c, { object: {} })
    } catch (error) {
      caught = error
    }
    expect(isCompatError(caught) && caught.code).toBe('CEL_COMPILE')
  })

  it('a runtime failure carries the CEL_RUNTIME code', () => {
    const c = new CelPrograms().compile("object.spec.nosuchfield == 'x'")
    let caught: unknown
    try {
      celBool(c, { object: { spec: {} } })
    } catch (error) {
      caught = error
    }
    expect(isCompatError(caught) && caught.code).toBe('CEL_RUNTIME')
  })
})
