import { describe, expect, it } from 'vitest'
import { applyTemplateEdits, templateEdit } from './index.js'

const template = [
  'spec:',
  '  containers:',
  '    - name: web',
  '      image: {{ .Values.image }}',
  '      imagePullPolicy: Never # literal',
  '    - name: sidecar',
  '      image: "{{ .Values.proxy }}"',
  '',
].join('\n')

const apply = (text: string, edit: ReturnType<typeof templateEdit>): string =>
  edit ? applyTemplateEdits(text, [{ item: 1, edit }]).text : text

describe('templateEdit: fixes in literal Helm template text', () => {
  it('replaces a literal scalar, keeping the comment', () => {
    const edit = templateEdit(template, 5, 'replace', [], 'Always', 'Never')
    expect(apply(template, edit)).toBe(
      template.replace('imagePullPolicy: Never # literal', 'imagePullPolicy: Always # literal'),
    )
  })

  it('adds keys at the end of a list item whose keys are literal', () => {
    const edit = templateEdit(template, 3, 'add', ['securityContext', 'allowPrivilegeEscalation'], false, undefined)
    expect(apply(template, edit)).toBe(
      template.replace('# literal\n', '# literal\n      securityContext:\n        allowPrivilegeEscalation: false\n'),
    )
  })

  it('makes no edit where the template computes the value or shapes the block', () => {
    expect(templateEdit(template, 4, 'replace', [], 'docker.io/x', 'x')).toBeUndefined()
    const shaped = 'containers:\n  - name: app\n    resources:\n{{ toYaml .Values.resources | indent 6 }}\n'
    expect(
      templateEdit(shaped, 2, 'add', ['securityContext', 'allowPrivilegeEscalation'], false, undefined),
    ).toBeUndefined()
    expect(templateEdit(template, 5, 'replace', [], 'Always', 'IfNotPresent')).toBeUndefined() // the line does not write the rendered value
  })

  it('keeps CRLF line endings and the bytes of other lines', () => {
    const crlf = template.replace(/\n/g, '\r\n')
    const edit = templateEdit(crlf, 5, 'replace', [], 'Always', 'Never')
    expect(apply(crlf, edit)).toBe(crlf.replace('imagePullPolicy: Never', 'imagePullPolicy: Always'))
  })
})
