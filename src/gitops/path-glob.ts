import picomatch from 'picomatch'
import { RE2JS } from 're2js'

/**
 * Lookarounds picomatch writes (with `dot: true`) that only keep `*` and `**` from matching
 * an empty, `.` or `..` path segment. Relative paths of files and folders found by walking
 * the repository have no such segments, so without them the regular expression decides
 * the same for every path it is given here.
 */
const SEGMENT_GUARDS = ['(?!\\.{1,2}(?:\\/|$))', '(?!(?:^|\\/)\\.{1,2}(?:\\/|$))', '(?=.)']

/**
 * A path matcher for a glob from the repository (Argo CD directory include/exclude, git
 * generator directories), with picomatch's glob syntax and `dot: true`, run by RE2 (linear
 * time). picomatch's own regular expression backtracks: `*a*a*a*a*a*a*b` against a
 * 60-character file name took over 30 s. Throws for globs that need a lookaround RE2 lacks
 * (extglobs such as `!(x)`, which Argo CD's globs do not have either).
 */
export function pathGlob(glob: string): (path: string) => boolean {
  let source = picomatch.makeRe(glob, { dot: true }).source
  for (const guard of SEGMENT_GUARDS) source = source.split(guard).join('')
  let re: RE2JS
  try {
    re = RE2JS.compile(source)
  } catch (error) {
    throw new Error(
      `glob "${glob}" uses syntax Palisade cannot match in linear time (extglob patterns such as !(x) are not supported)`,
      { cause: error },
    )
  }
  return (path) => re.test(path)
}

/** Any of the globs matches (one matcher per glob, compiled once). */
export function anyPathGlob(globs: readonly string[]): (path: string) => boolean {
  const matchers = globs.map(pathGlob)
  return (path) => matchers.some((m) => m(path))
}
