import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** A scratch folder for one hostile repository; `cleanup` removes it. */
export function hostileTree(prefix: string): {
  dir: string
  write(rel: string, text: string): string
  cleanup(): void
} {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `palisade-${prefix}-`)))
  return {
    dir,
    write(rel, text) {
      const file = join(dir, rel)
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, text)
      return file
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** `git init` with an identity, so commits work on a bare CI machine. */
export function gitInit(dir: string): void {
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'test@example.com')
  git('config', 'user.name', 'Test')
  git('config', 'commit.gpgsign', 'false')
}

/** `git add -A && git commit`. */
export function gitCommitAll(dir: string, message = 'add'): void {
  execFileSync('git', ['add', '-A'], { cwd: dir, stdio: 'ignore' })
  execFileSync('git', ['commit', '-q', '-m', message], { cwd: dir, stdio: 'ignore' })
}

/** A Pod that breaks a high-severity policy, named so its text can be looked for in output. */
export const privilegedPod = (name: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1.0.0\n      securityContext:\n        privileged: true\n`
