import { InvalidArgumentError, Option, type Command } from 'commander'

/** Add the image-rule options (palisade.yaml `images:`, docs/supply-chain.md) to `scan` or `serve`. */
export function withImageOptions(command: Command): Command {
  return command
    .option(
      '--registry <host...>',
      'registries (host[:port]) image rules may contact; palisade.yaml cannot add any, so a repository never makes Palisade reach a host; * allows every registry',
    )
    .option(
      '--offline',
      'image rules: use only the image cache; images not in it are reported as not checked (which blocks)',
    )
    .option('--image-cache <dir>', 'folder of the signature cache by digest (default: .palisade/cache/images)')
    .option(
      '--trusted-root <file>',
      'Sigstore trusted_root.json that keyless signatures must chain to (certificate authorities, transparency logs)',
    )
    .option(
      '--docker-config <file>',
      'registry credentials (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json)',
    )
    .option(
      '--image-reports <dir>',
      'Trivy or Grype JSON reports and CycloneDX or SPDX JSON SBOMs of the images, for images rules with reports',
    )
    .addOption(
      new Option(
        '--registry-timeout <ms>',
        'most time one registry request may take (default: scan 10000, serve 60% of --request-timeout)',
      ).argParser(positiveMs),
    )
}

function positiveMs(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number of milliseconds, got "${value}"`)
  return n
}
