/**
 * `npm run bench:peers [-- --runs=N]`: time kube-linter (the binary in $KUBE_LINTER, else
 * `kube-linter` on PATH; the Go module proxy refuses its module path, so the project cannot
 * build it) and Palisade on the same folders, interleaved: the dense 20,000-resource corpus
 * and each folder of ../shared/corpus/repos (Palisade with --no-render, as kube-linter reads
 * plain files). Each tool runs its default checks. Without a kube-linter binary it says so
 * and exits 0: nothing was compared.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeDenseCorpus } from './dense-corpus.js'
import { interleave, median, timeCli, timeCommand } from './measure.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5)

function kubeLinter(): string | undefined {
  const given = process.env.KUBE_LINTER
  if (given) return given
  const which = spawnSync('sh', ['-c', 'command -v kube-linter'], { encoding: 'utf8' })
  return which.status === 0 ? which.stdout.trim() : undefined
}

const linter = kubeLinter()
if (linter === undefined) {
  console.log('bench:peers: no kube-linter binary (set KUBE_LINTER or put kube-linter on PATH); nothing compared')
  process.exit(0)
}
console.log(
  `kube-linter: ${linter} (${spawnSync(linter, ['version'], { encoding: 'utf8' }).stdout.trim() || 'version unknown'})`,
)

const dense = join(root, '.bench', 'dense-20000')
writeDenseCorpus(dense, 20000)
const folders = [dense]
const repos = join(root, '../shared/corpus/repos')
if (existsSync(repos))
  folders.push(
    ...readdirSync(repos, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(repos, d.name))
      .sort(),
  )
const cli = join(root, 'bin/palisade.js')

for (const dir of folders) {
  const [ours, theirs] = interleave<number>(
    [
      () =>
        timeCli(
          cli,
          ['scan', dir, '--no-render', '--format', 'json', '--output', join(root, '.bench', 'peer.json')],
          root,
        ).ms,
      () => timeCommand(linter, ['lint', '--format', 'json', dir], root),
    ],
    runs,
  ) as [number[], number[]]
  const p = median(ours)
  const k = median(theirs)
  console.log(
    `${dir.replace(root, '')}: palisade ${p.toFixed(0)} ms, kube-linter ${k.toFixed(0)} ms (median of ${runs}): palisade takes ${((p / k) * 100).toFixed(0)}% of kube-linter's time`,
  )
}
