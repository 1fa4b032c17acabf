import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readWholeFile, takeInventory, type ReadFile } from './inventory.js'

const APP = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: guestbook\n'

describe('takeInventory: reading YAML files', () => {
  it('keeps the Argo CD and Flux files, with their text, and reads each file through the reader it is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-inventory-'))
    writeFileSync(join(dir, 'app.yaml'), APP)
    writeFileSync(join(dir, 'flux.yaml'), 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n')
    writeFileSync(
      join(dir, 'plain.yaml'),
      'apiVersion: v1\nkind: ConfigMap\n# argoproj.io is mentioned, but not as an apiVersion\n',
    )
    const read: string[] = []
    const reader: ReadFile = (abs) => {
      read.push(abs)
      return readWholeFile(abs)
    }
    const inventory = await takeInventory(dir, (abs) => abs, reader)
    expect(inventory.gitopsFiles).toEqual([
      { file: join(dir, 'app.yaml'), text: APP },
      { file: join(dir, 'flux.yaml'), text: expect.stringContaining('fluxcd.io') },
    ])
    expect(read.sort()).toEqual([join(dir, 'app.yaml'), join(dir, 'flux.yaml'), join(dir, 'plain.yaml')])
  })

  it('leaves out a file over the size limit (the manifest reader reports it) instead of reading it whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-inventory-'))
    writeFileSync(join(dir, 'app.yaml'), APP)
    const inventory = await takeInventory(
      dir,
      (abs) => abs,
      () => ({ tooLarge: 1e9 }),
    )
    expect(inventory.gitopsFiles).toEqual([])
    expect(inventory.diagnostics).toEqual([])
  })
})
