import { FRAMEWORKS, findControl, type ControlRef, type Framework } from '../core/index.js'

/** Control ids grouped by framework, frameworks in FRAMEWORKS order, ids in policy order, no duplicates. */
export function controlsByFramework(controls: readonly ControlRef[]): Partial<Record<Framework, string[]>> {
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
