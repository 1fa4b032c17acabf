import { FRAMEWORKS, findControl, type ControlRef, type Framework } from '../core/index.js'

const grouped = new WeakMap<readonly ControlRef[], Readonly<Partial<Record<Framework, string[]>>>>()

/**
 * Control ids grouped by framework, frameworks in FRAMEWORKS order, ids in policy order, no
 * duplicates. One object per controls list (every finding of a policy shares its list), so
 * a report of 100,000 findings does not build 100,000 of them. Do not modify the result.
 */
export function controlsByFramework(controls: readonly ControlRef[]): Readonly<Partial<Record<Framework, string[]>>> {
  let known = grouped.get(controls)
  if (known === undefined) {
    known = groupControls(controls)
    grouped.set(controls, known)
  }
  return known
}

function groupControls(controls: readonly ControlRef[]): Partial<Record<Framework, string[]>> {
  const out: Partial<Record<Framework, string[]>> = {}
  for (const framework of FRAMEWORKS) {
    const ids = [...new Set(controls.filter((c) => c.framework === framework).map((c) => c.control))]
    if (ids.length > 0) out[framework] = ids
  }
  return out
}

/** The control's title from the registry, or undefined for ids the registry does not know. */
export function controlTitle(control: ControlRef): string | undefined {
  return findControl(control.framework, control.control)?.title
}
