import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from './run-cli.js'

const PRIVILEGED_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n    - name: app\n      image: app:1.0.0\n      securityContext:\n        privileged: true\n'

describe('palisade scan (the built CLI)', () => {
  it('scans the bundled example and passes: production is clean, staging warns', () => {
    const run = runCli(['scan', 'examples/gitops'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/WARN/)
    expect(run.stdout).toMatch(/Not blocking/)
  })

  it('writes no colour codes when stdout is a pipe, unless --color asks', () => {
    const env = { ...process.env }
    delete env.NO_COLOR
    const plain = spawnSync(process.execPath, ['bin/palisade.js', 'scan', '-'], {
      cwd: ROOT,
      input: PRIVILEGED_POD,
      encoding: 'utf8',
      env,
    })
    expect(plain.stdout).toMatch(/disallow-privileged-containers/)
    expect(plain.stdout.includes('\u001b[')).toBe(false)
    const coloured = spawnSync(process.execPath, ['bin/palisade.js', 'scan', '-', '--color'], {
      cwd: ROOT,
      input: PRIVILEGED_POD,
      encoding: 'utf8',
      env,
    })
    expect(coloured.stdout.includes('\u001b[')).toBe(true)
  })

  it('stops quietly when the reader of its output goes away (| head)', () => {
    const many = Array.from({ length: 1000 }, (_, i) => PRIVILEGED_POD.replace('name: bad', `name: bad-${i}`)).join(
      '---\n',
    )
    const dir = mkdtempSync(join(tmpdir(), 'palisade-pipe-'))
    writeFileSync(join(dir, 'pods.yaml'), many)
    const run = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" bin/palisade.js scan "${join(dir, 'pods.yaml')}" | head -1`],
      { cwd: ROOT, encoding: 'utf8' },
    )
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(1)
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled|at /)
  })

  it('exits 1 when a finding denies, and writes the JSON contract', () => {
    const run = runCli(['scan', '-', '--format', 'json'], { input: PRIVILEGED_POD })
    expect(run.code).toBe(1)
    const out = JSON.parse(run.stdout)
    const finding = out.findings.find((f: { policy: string }) => f.policy === 'disallow-privileged-containers')
    expect(finding).toEqual(
      expect.objectContaining({
        severity: 'critical',
        action: 'deny',
        status: 'fail',
        resource: expect.objectContaining({ apiVersion: 'v1', kind: 'Pod', name: 'bad' }),
        path: '/spec/containers/0/securityContext/privileged',
        file: '<stdin>',
        line: 10,
        column: 9,
        environment: null,
        controls: expect.objectContaining({ pss: ['baseline/privileged'], cis: ['5.2.2'] }),
      }),
    )
    expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/)
    expect(out.summary.byAction.deny).toBeGreaterThan(0)
  })

  it('honours --fail-on, --policies, --env and --output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-'))
    writeFileSync(join(dir, 'pod.yaml'), PRIVILEGED_POD)
    writeFileSync(join(dir, 'palisade.yaml'), 'environments:\n  - name: dev\n    actions: { default: warn }\n')
    expect(runCli(['scan', dir, '--policies', 'best-practices', '--fail-on', 'high']).code).toBe(0)
    expect(runCli(['scan', dir, '--policies', 'disallow-privileged-containers']).code).toBe(1)
    expect(runCli(['scan', dir, '--env', 'dev']).code).toBe(0)
    const out = join(dir, 'report.sarif')
    expect(runCli(['scan', dir, '--format', 'sarif', '--output', out]).code).toBe(1)
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0')
  })

  it('exits 2 with the file and line of a bad configuration, and for unknown policies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-'))
    writeFileSync(join(dir, 'palisade.yaml'), 'actions:\n  default: block\n')
    const run = runCli(['scan', dir])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/palisade\.yaml:2:/)
    expect(runCli(['scan', '.', '--policies', 'no-such-policy']).code).toBe(2)
    expect(runCli(['scan', '--format', 'xml']).code).toBe(2)
  })

  it('reports every kind of bad input with file and line, and still scans the good files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-bad-'))
    writeFileSync(join(dir, 'good.yaml'), PRIVILEGED_POD)
    // the flow sequence is found unclosed at the end of the input, line 4
    writeFileSync(join(dir, 'malformed.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n')
    writeFileSync(join(dir, 'duplicate.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n')
    writeFileSync(join(dir, 'tabs.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n')
    writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00]))
    writeFileSync(
      join(dir, 'latin1.yaml'),
      Buffer.concat([
        Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: caf'),
        Buffer.from([0xe9]),
        Buffer.from(' }\n'),
      ]),
    )
    writeFileSync(join(dir, 'empty.yaml'), '')
    writeFileSync(
      join(dir, 'bomb.yaml'),
      `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ).join('\n')}\n`,
    )
    writeFileSync(
      join(dir, 'huge.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: huge }\ndata:\n  blob: "${'x'.repeat(3000)}"\n`,
    )
    mkdirSync(join(dir, 'loop'))
    symlinkSync(join(dir, 'loop'), join(dir, 'loop', 'again'))
    const run = runCli(['scan', dir, '--format', 'json', '--max-file-size', '2048'])
    expect(run.code).toBe(1) // the good file still denies
    const out = JSON.parse(run.stdout) as {
      findings: { file: string }[]
      errors: { file: string; line: number; message: string }[]
    }
    expect(out.findings.some((f) => f.file.endsWith('good.yaml'))).toBe(true)
    const errorFor = (name: string) => out.errors.find((e) => e.file.endsWith(name))
    for (const [name, line] of [
      ['malformed.yaml', 4],
      ['duplicate.yaml', 5],
      ['tabs.yaml', 4],
      ['binary.yaml', 1],
      ['latin1.yaml', 3],
      ['bomb.yaml', undefined],
      ['huge.yaml', 1],
    ] as const) {
      const error = errorFor(name)
      expect(error, `${name} must be reported`).toBeDefined()
      if (line !== undefined) expect(error?.line, name).toBe(line)
    }
    expect(out.errors.some((e) => /symlink loop/.test(e.message))).toBe(true)
    expect(errorFor('empty.yaml')).toBeUndefined()
  })

  it.skipIf(process.getuid?.() === 0)(
    'reports unreadable files and goes on (skipped as root, who can read anything)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'palisade-perm-'))
      writeFileSync(join(dir, 'secret.yaml'), PRIVILEGED_POD)
      chmodSync(join(dir, 'secret.yaml'), 0o000)
      const out = JSON.parse(runCli(['scan', dir, '--format', 'json']).stdout) as { errors: { message: string }[] }
      expect(out.errors[0]?.message).toMatch(/cannot read/)
    },
  )

  it('reports a dangling symlink and goes on (runs as root too)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-dangling-'))
    writeFileSync(join(dir, 'pod.yaml'), PRIVILEGED_POD)
    symlinkSync(join(dir, 'no-such-target.yaml'), join(dir, 'gone.yaml'))
    const run = runCli(['scan', dir, '--format', 'json'])
    const out = JSON.parse(run.stdout) as { findings: { file: string }[]; errors: { file: string; message: string }[] }
    expect(out.errors).toEqual([
      expect.objectContaining({
        file: expect.stringMatching(/gone\.yaml$/),
        message: expect.stringMatching(/broken symlink/),
      }),
    ])
    expect(out.findings.some((f) => f.file.endsWith('pod.yaml'))).toBe(true)
    expect(run.code).toBe(1)
  })

  it('exits 2 with a one-line reason for a bad flag value, a missing --policy-dir or --config', () => {
    const cases: [string[], RegExp][] = [
      [['scan', 'examples', '--max-file-size', 'abc'], /--max-file-size .*'abc' is invalid/],
      [['scan', 'examples', '--kubernetes-version', 'x', '--validate-schema'], /--kubernetes-version .*'x' is invalid/],
      [
        ['scan', 'examples', '--policy-dir', 'no-such-dir', '--no-render'],
        /cannot read --policy-dir .*no-such-dir: ENOENT/,
      ],
      [['scan', 'examples', '--config', 'no-such.yaml'], /cannot read configuration no-such\.yaml: ENOENT/],
    ]
    for (const [args, message] of cases) {
      const run = runCli(args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr).toMatch(message)
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /)
      // The cause is said once, not repeated after itself.
      expect(run.stderr.match(/ENOENT/g)?.length ?? 0).toBeLessThanOrEqual(1)
    }
  })

  it('warns when a SARIF report is over what GitHub code scanning shows (5,000 results)', () => {
    const many = Array.from({ length: 400 }, (_, i) => PRIVILEGED_POD.replace('name: bad', `name: bad-${i}`)).join(
      '---\n',
    )
    const big = runCli(['scan', '-', '--format', 'sarif'], { input: many })
    expect(big.stderr).toMatch(
      /warning: the SARIF report has \d+ results; GitHub code scanning shows only the top 5,000/,
    )
    expect(JSON.parse(big.stdout).runs[0].results.length).toBeGreaterThan(5000)
    expect(runCli(['scan', '-', '--format', 'sarif'], { input: PRIVILEGED_POD }).stderr).not.toMatch(/warning/)
  })

  it('honours .palisadeignore', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-ignore-'))
    mkdirSync(join(dir, 'vendor'))
    writeFileSync(join(dir, 'vendor', 'pod.yaml'), PRIVILEGED_POD)
    writeFileSync(join(dir, '.palisadeignore'), 'vendor/\n')
    expect(runCli(['scan', dir]).code).toBe(0)
  })

  it('has help for the command and every flag', () => {
    const help = runCli(['scan', '--help']).stdout
    for (const flag of [
      '--format',
      '--output',
      '--env',
      '--policies',
      '--config',
      '--fail-on',
      '--max-file-size',
      '--no-color',
      'Exit codes',
    ])
      expect(help).toContain(flag)
    expect(runCli(['--help']).stdout).toMatch(/scan/)
  })
})
