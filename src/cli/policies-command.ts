import { Command, Option } from 'commander'
import { FRAMEWORK_TITLES, FRAMEWORKS, findControl, groupControls, ToolError, type Framework } from '../core/index.js'
import type { PolicySpec } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import type { CliIo } from './io.js'

/** What `policies list --format json` prints for each policy (a stable contract). */
interface ListedPolicy {
  id: string
  title: string
  severity: string
  category: string
  controls: Partial<Record<Framework, string[]>>
}

/** `palisade policies list|show`: print the built-in policy library. */
export function policiesCommand(io: CliIo, all: readonly PolicySpec[] = BUILTIN_POLICIES): Command {
  const command = new Command('policies').description(
    'List and explain the built-in policies and the controls they map to.',
  )
  command
    .command('list')
    .description('List the built-in policies: id, severity, category and mapped controls.')
    .addOption(
      new Option('--framework <framework>', 'only policies mapped to this framework, showing its control ids').choices(
        FRAMEWORKS,
      ),
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n  palisade policies list --framework cis\n  palisade policies list --format json | jq \'.[] | select(.severity == "critical") | .id\'',
    )
    .action((flags: { framework?: Framework; format: 'text' | 'json' }) => {
      const policies =
        flags.framework === undefined ? all : all.filter((p) => p.controls.some((c) => c.framework === flags.framework))
      if (flags.format === 'json') {
        const listed: ListedPolicy[] = policies.map((p) => ({
          id: p.id,
          title: p.title,
          severity: p.severity,
          category: p.category,
          controls: groupControls(p.controls),
        }))
        io.stdout.write(`${JSON.stringify(listed, null, 2)}\n`)
      } else {
        io.stdout.write(listText(policies, flags.framework))
      }
    })
  command
    .command('show')
    .description('Explain one policy: what it checks, why, how to fix it, its parameters and controls.')
    .argument('<id>', 'policy id, as in `palisade policies list`')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((id: string, flags: { format: 'text' | 'json' }) => {
      const policy = all.find((p) => p.id === id)
      if (!policy) {
        const near = all
          .filter((p) => p.id.includes(id) || id.includes(p.id.replace(/^(disallow|require|restrict)-/, '')))
          .map((p) => p.id)
        throw new ToolError('USAGE', `unknown policy "${id}"`, {
          hint: near.length > 0 ? `did you mean ${near.slice(0, 3).join(', ')}?` : 'see `palisade policies list`',
        })
      }
      io.stdout.write(flags.format === 'json' ? `${JSON.stringify(showJson(policy), null, 2)}\n` : showText(policy))
    })
  // Subcommands do not inherit output settings made later on the parent: give them the CLI's streams now.
  for (const sub of command.commands)
    sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
  return command
}

const pad = (text: string, width: number): string => text.padEnd(width)

function listText(policies: readonly PolicySpec[], framework: Framework | undefined): string {
  const idWidth = Math.max(2, ...policies.map((p) => p.id.length)) + 2
  const lines = [`${pad('ID', idWidth)}${pad('SEVERITY', 10)}${pad('CATEGORY', 14)}CONTROLS`]
  for (const p of policies) {
    const grouped = groupControls(p.controls)
    const controls =
      framework === undefined
        ? FRAMEWORKS.filter((f) => grouped[f])
            .map((f) => `${f} ${(grouped[f] ?? []).join(',')}`)
            .join('  ')
        : (grouped[framework] ?? []).join(', ')
    const stage = p.stage === 'experimental' ? ' (experimental)' : ''
    lines.push(`${pad(p.id, idWidth)}${pad(p.severity, 10)}${pad(p.category, 14)}${controls}${stage}`)
  }
  const experimental = policies.filter((p) => p.stage === 'experimental').length
  lines.push(
    '',
    `${policies.length} policies${framework === undefined ? '' : ` mapped to ${FRAMEWORK_TITLES[framework]}`}${experimental > 0 ? ` (${experimental} experimental: run only when named with --policies or palisade.yaml)` : ''}.`,
  )
  return `${lines.join('\n')}\n`
}

function showJson(p: PolicySpec): Record<string, unknown> {
  return {
    id: p.id,
    title: p.title,
    summary: p.summary,
    rationale: p.rationale,
    ...(p.remediation === undefined ? {} : { remediation: p.remediation }),
    severity: p.severity,
    category: p.category,
    stage: p.stage ?? 'stable',
    sets: ['all', ...(p.sets ?? [])],
    controls: groupControls(p.controls),
    params: Object.fromEntries(
      Object.entries(p.params ?? {}).map(([name, param]) => [
        name,
        { description: param.description, default: param.default },
      ]),
    ),
    kinds: p.match.kinds,
  }
}

function showText(p: PolicySpec): string {
  const lines = [
    `${p.id}  (${p.severity}, ${p.category}${p.stage === 'experimental' ? ', experimental' : ''})`,
    p.title,
    '',
    p.summary,
    '',
    `Why: ${p.rationale}`,
  ]
  if (p.remediation) lines.push(`Fix: ${p.remediation}`)
  const kinds =
    p.match.kinds.join(', ') + (p.match.includePodTemplates ? ' and the pod template of every workload' : '')
  lines.push(
    '',
    `Applies to: ${kinds}${p.match.environments ? ` in environments ${p.match.environments.join(', ')}` : ''}`,
  )
  lines.push(`Sets: all${(p.sets ?? []).map((s) => `, ${s}`).join('')}`)
  const params = Object.entries(p.params ?? {})
  if (params.length > 0) {
    lines.push('', 'Parameters (palisade.yaml policies.params):')
    for (const [name, param] of params) lines.push(`  ${name} = ${JSON.stringify(param.default)}  ${param.description}`)
  }
  lines.push('', 'Controls:')
  for (const c of p.controls)
    lines.push(
      `  ${pad(FRAMEWORK_TITLES[c.framework], 38)}${pad(c.control, 36)}${findControl(c.framework, c.control)?.title ?? ''}`,
    )
  lines.push('', `Docs: docs/policies/${p.id}.md`)
  return `${lines.join('\n')}\n`
}
