import type { TestProject } from 'vitest/node'
import { ensureSupplyTools, supplySkipLine } from '../src/testing/supply-tools.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Whether registry, crane and cosign are built (false: the supply tests skip; one line said why). */
    supplyTools: boolean
  }
}

/**
 * Vitest global setup of the "supply" project (the tests that run a real registry, crane and
 * cosign): build them when missing, with Go from the Go module proxy, as the cluster project
 * builds kube-apiserver. Runs only when one of the project's files runs. Without Go or when a
 * build fails, one line says so and the tests skip; with PALISADE_REQUIRE_SUPPLY=1 (CI) that is
 * an error instead.
 */
export default function setup(project: Pick<TestProject, 'provide'>): void {
  const log = (line: string): void => void process.stderr.write(`palisade supply tests: ${line}\n`)
  const why = ensureSupplyTools(log)
  if (why !== undefined) {
    if (process.env.PALISADE_REQUIRE_SUPPLY === '1') throw new Error(`PALISADE_REQUIRE_SUPPLY=1 but ${why}`)
    log(supplySkipLine(why))
  }
  project.provide('supplyTools', why === undefined)
}
