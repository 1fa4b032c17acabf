import { describe, expect, it } from 'vitest'
import { objects, policyOf, run, statuses } from '../test-helpers.test-support.js'

const clusterPolicy = (rules: string, annotations = ''): string => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: p
${annotations}spec:
  rules:
${rules}`

const pod = (spec: string, meta = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: prod
${meta}spec:
${spec}`

const first = <T>(xs: T[]): T => {
  if (xs[0] === undefined) throw new Error('empty')
  return xs[0]
}

describe('Kyverno validate.pattern', () => {
  const patternRule = (pattern: string): string => `  - name: r
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "bad {{request.object.metadata.name}}"
      pattern:
${pattern}`

  it.each([
    [
      'wildcard tag required, present',
      '        spec:\n          containers:\n          - image: "*:*"',
      '  containers:\n  - name: a\n    image: nginx:1.2',
      'r=pass',
    ],
    [
      'wildcard tag required, absent',
      '        spec:\n          containers:\n          - image: "*:*"',
      '  containers:\n  - name: a\n    image: nginx',
      'r=fail',
    ],
    [
      'negated wildcard',
      '        spec:\n          containers:\n          - image: "!*:latest"',
      '  containers:\n  - name: a\n    image: nginx:latest',
      'r=fail',
    ],
    [
      'conditional anchor not met: skip',
      '        spec:\n          (hostNetwork): true\n          hostPID: true',
      '  hostNetwork: false',
      'r=skip',
    ],
    [
      'conditional anchor met, then checked',
      '        spec:\n          (hostNetwork): true\n          hostPID: true',
      '  hostNetwork: true\n  hostPID: false',
      'r=fail',
    ],
    ['equality anchor absent passes', '        spec:\n          =(hostPID): false', '  containers: []', 'r=pass'],
    ['equality anchor present and wrong', '        spec:\n          =(hostPID): false', '  hostPID: true', 'r=fail'],
    ['negation anchor', '        spec:\n          X(hostPID): "null"', '  hostPID: false', 'r=fail'],
    [
      'existence anchor: one element matches',
      '        spec:\n          ^(containers):\n          - image: "nginx*"',
      '  containers:\n  - image: redis\n  - image: nginx:1',
      'r=pass',
    ],
    [
      'existence anchor: none matches',
      '        spec:\n          ^(containers):\n          - image: "nginx*"',
      '  containers:\n  - image: redis',
      'r=fail',
    ],
    [
      'global anchor not met: skip',
      '        spec:\n          containers:\n          - <(image): "corp.io/*"\n            imagePullPolicy: Always',
      '  containers:\n  - image: nginx\n    imagePullPolicy: Never',
      'r=skip',
    ],
    [
      'global anchor met',
      '        spec:\n          containers:\n          - <(image): "corp.io/*"\n            imagePullPolicy: Always',
      '  containers:\n  - image: corp.io/x\n    imagePullPolicy: Never',
      'r=fail',
    ],
    [
      'list element conditional anchors select elements',
      '        spec:\n          containers:\n          - (name): "app*"\n            securityContext:\n              privileged: false',
      '  containers:\n  - name: sidecar\n    securityContext: {privileged: true}\n  - name: app\n    securityContext: {privileged: false}',
      'r=pass',
    ],
    [
      'quantities compare by value',
      '        spec:\n          containers:\n          - resources:\n              limits:\n                memory: "<=1Gi"',
      '  containers:\n  - resources: {limits: {memory: 1024Mi}}',
      'r=pass',
    ],
    [
      'quantity over the limit',
      '        spec:\n          containers:\n          - resources:\n              limits:\n                memory: "<=1Gi"',
      '  containers:\n  - resources: {limits: {memory: 2Gi}}',
      'r=fail',
    ],
    [
      'range',
      '        spec:\n          containers:\n          - ports:\n            - containerPort: "1024-65535"',
      '  containers:\n  - ports: [{containerPort: 80}]',
      'r=fail',
    ],
    [
      'not-in-range',
      '        spec:\n          containers:\n          - ports:\n            - containerPort: "1!-1023"',
      '  containers:\n  - ports: [{containerPort: 8080}]',
      'r=pass',
    ],
    [
      'alternatives and conjunctions',
      '        spec:\n          priority: ">10 & <20 | 100"',
      '  priority: 100',
      'r=pass',
    ],
    [
      'durations compare by value',
      '        spec:\n          terminationGracePeriodSeconds: "<=30"',
      '  terminationGracePeriodSeconds: 60',
      'r=fail',
    ],
    ['"?*" needs a value', '        metadata:\n          labels:\n            app: "?*"', '  containers: []', 'r=fail'],
    [
      'label wildcard keys',
      '        metadata:\n          labels:\n            "app.kubernetes.io/*": "?*"',
      '  containers: []',
      'r=pass',
    ],
  ])('%s', (_name, pattern, spec, want) => {
    const meta = _name === 'label wildcard keys' ? '  labels:\n    app.kubernetes.io/name: web\n' : ''
    expect(statuses(run(policyOf(clusterPolicy(patternRule(pattern))), first(objects(pod(spec, meta)))))).toEqual([
      want,
    ])
  })

  it('reports the JSON Pointer of the failing field', () => {
    const r = run(
      policyOf(
        clusterPolicy(
          patternRule(
            '        spec:\n          containers:\n          - securityContext:\n              privileged: false',
          ),
        ),
      ),
      first(
        objects(
          pod(
            '  containers:\n  - name: a\n    securityContext: {privileged: false}\n  - name: b\n    securityContext: {privileged: true}',
          ),
        ),
      ),
    )
    expect(r.responses[0]?.path).toBe('/spec/containers/1/securityContext/privileged')
  })

  it('anyPattern passes when one pattern holds', () => {
    const rule = `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      anyPattern:
      - spec: {hostNetwork: false}
      - spec: {hostPID: true}`
    expect(
      statuses(run(policyOf(clusterPolicy(rule)), first(objects(pod('  hostNetwork: true\n  hostPID: true'))))),
    ).toEqual(['r=pass'])
    expect(statuses(run(policyOf(clusterPolicy(rule)), first(objects(pod('  hostNetwork: true')))))).toEqual(['r=fail'])
  })
})

describe('Kyverno match, exclude, autogen', () => {
  const rule = (match: string, exclude = ''): string => `  - name: check
    match:
${match}
${exclude}    validate:
      pattern:
        spec:
          =(hostNetwork): false`

  it('autogen rules cover pod controllers and CronJobs with their names', () => {
    const p = policyOf(clusterPolicy(rule('      any:\n      - resources:\n          kinds: [Pod]')))
    const deploy = first(
      objects(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      hostNetwork: true',
      ),
    )
    const cron = first(
      objects(
        'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          hostNetwork: true',
      ),
    )
    expect(statuses(run(p, deploy))).toEqual(['autogen-check=fail'])
    expect(run(p, deploy).responses[0]?.path).toBe('/spec/template/spec/hostNetwork')
    expect(statuses(run(p, cron))).toEqual(['autogen-cronjob-check=fail'])
  })

  it('honours pod-policies.kyverno.io/autogen-controllers', () => {
    const none = policyOf(
      clusterPolicy(
        rule('      any:\n      - resources:\n          kinds: [Pod]'),
        '  annotations:\n    pod-policies.kyverno.io/autogen-controllers: none\n',
      ),
    )
    const onlyDeployments = policyOf(
      clusterPolicy(
        rule('      any:\n      - resources:\n          kinds: [Pod]'),
        '  annotations:\n    pod-policies.kyverno.io/autogen-controllers: Deployment\n',
      ),
    )
    const deploy = first(
      objects(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      hostNetwork: true',
      ),
    )
    const cron = first(
      objects(
        'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          hostNetwork: true',
      ),
    )
    expect(statuses(run(none, deploy))).toEqual([])
    expect(statuses(run(onlyDeployments, deploy))).toEqual(['autogen-check=fail'])
    expect(statuses(run(onlyDeployments, cron))).toEqual([])
  })

  it.each([
    ['group/version/Kind', '      any:\n      - resources:\n          kinds: [v1/Pod]', '', true],
    ['wildcard kind', '      any:\n      - resources:\n          kinds: ["P*"]', '', true],
    ['names', '      any:\n      - resources:\n          kinds: [Pod]\n          names: ["w*"]', '', true],
    ['namespaces', '      any:\n      - resources:\n          kinds: [Pod]\n          namespaces: [dev]', '', false],
    [
      'selector',
      '      any:\n      - resources:\n          kinds: [Pod]\n          selector:\n            matchLabels: {tier: front}',
      '',
      true,
    ],
    [
      'namespaceSelector',
      '      any:\n      - resources:\n          kinds: [Pod]\n          namespaceSelector:\n            matchExpressions: [{key: env, operator: In, values: [prod]}]',
      '',
      true,
    ],
    ['operations', '      any:\n      - resources:\n          kinds: [Pod]\n          operations: [UPDATE]', '', false],
    [
      'annotations',
      '      any:\n      - resources:\n          kinds: [Pod]\n          annotations: {owner: "team-*"}',
      '',
      true,
    ],
    [
      'all needs every filter',
      '      all:\n      - resources: {kinds: [Pod]}\n      - resources: {namespaces: [dev]}',
      '',
      false,
    ],
    [
      'exclude any',
      '      any:\n      - resources: {kinds: [Pod]}',
      '    exclude:\n      any:\n      - resources: {namespaces: [prod]}\n',
      false,
    ],
    [
      'subjects need a matching user',
      '      any:\n      - resources: {kinds: [Pod]}\n        subjects: [{kind: User, name: alice}]',
      '',
      false,
    ],
  ])('%s', (_n, match, exclude, applies) => {
    const p = policyOf(clusterPolicy(rule(match, exclude)))
    const r = run(
      p,
      first(objects(pod('  hostNetwork: true', '  labels: {tier: front}\n  annotations: {owner: team-a}\n'))),
      { namespaceLabels: { env: 'prod' } },
    )
    expect(r.responses.length > 0).toBe(applies)
  })
})

describe('Kyverno deny, preconditions, foreach, context, JMESPath', () => {
  const denyRule = (conditions: string, extra = ''): string => `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
${extra}    validate:
      deny:
        conditions:
${conditions}`

  it.each([
    [
      'Equals',
      '          any:\n          - key: "{{ request.object.spec.priority }}"\n            operator: Equals\n            value: 5',
      'r=fail',
    ],
    [
      'NotEquals',
      '          any:\n          - key: "{{ request.object.spec.priority }}"\n            operator: NotEquals\n            value: 5',
      'r=pass',
    ],
    [
      'AnyIn',
      '          any:\n          - key: "{{ request.object.spec.containers[].name }}"\n            operator: AnyIn\n            value: [x, app]',
      'r=fail',
    ],
    [
      'AllIn',
      '          any:\n          - key: "{{ request.object.spec.containers[].name }}"\n            operator: AllIn\n            value: [x, app]',
      'r=fail',
    ],
    [
      'AllNotIn',
      '          any:\n          - key: "{{ request.object.spec.containers[].name }}"\n            operator: AllNotIn\n            value: [app]',
      'r=pass',
    ],
    [
      'AnyNotIn',
      '          any:\n          - key: "{{ request.object.spec.containers[].name }}"\n            operator: AnyNotIn\n            value: [x]',
      'r=fail',
    ],
    [
      'GreaterThan quantities',
      '          any:\n          - key: "{{ request.object.spec.containers[0].resources.limits.memory }}"\n            operator: GreaterThan\n            value: 1Gi',
      'r=fail',
    ],
    [
      'LessThan numbers',
      '          any:\n          - key: "{{ request.object.spec.priority }}"\n            operator: LessThan\n            value: 3',
      'r=pass',
    ],
    [
      'DurationGreaterThan',
      '          any:\n          - key: "{{ request.object.metadata.annotations.ttl }}"\n            operator: DurationGreaterThan\n            value: 1h',
      'r=fail',
    ],
    [
      'functions',
      '          any:\n          - key: "{{ to_upper(request.object.metadata.name) }}"\n            operator: Equals\n            value: WEB',
      'r=fail',
    ],
    [
      'regex_match',
      '          any:\n          - key: "{{ regex_match(\'^w.b$\', request.object.metadata.name) }}"\n            operator: Equals\n            value: true',
      'r=fail',
    ],
    [
      'split and length',
      "          any:\n          - key: \"{{ length(split('a,b,c', ',')) }}\"\n            operator: Equals\n            value: 3",
      'r=fail',
    ],
    [
      'all must hold',
      '          all:\n          - key: a\n            operator: Equals\n            value: a\n          - key: a\n            operator: Equals\n            value: b',
      'r=pass',
    ],
  ])('%s', (_n, conditions, want) => {
    const resource = first(
      objects(
        pod(
          '  priority: 5\n  containers:\n  - name: app\n    resources: {limits: {memory: 2Gi}}',
          '  annotations: {ttl: 2h}\n',
        ),
      ),
    )
    expect(statuses(run(policyOf(clusterPolicy(denyRule(conditions))), resource))).toEqual([want])
  })

  it('preconditions not met make the rule skip', () => {
    const p = policyOf(
      clusterPolicy(
        denyRule(
          '          any:\n          - key: a\n            operator: Equals\n            value: a',
          '    preconditions:\n      all:\n      - key: "{{ request.operation }}"\n        operator: Equals\n        value: UPDATE\n',
        ),
      ),
    )
    expect(statuses(run(p, first(objects(pod('  containers: []')))))).toEqual(['r=skip'])
    expect(statuses(run(p, first(objects(pod('  containers: []'))), { operation: 'UPDATE' }))).toEqual(['r=fail'])
  })

  it('foreach with nested elements and element variables', () => {
    const rule = `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: "{{ element.name }}"
      foreach:
      - list: request.object.spec.containers
        foreach:
        - list: element.ports
          deny:
            conditions:
              any:
              - key: "{{ element.containerPort }}"
                operator: LessThan
                value: 1024`
    const bad = first(
      objects(pod('  containers:\n  - name: a\n    ports: [{containerPort: 8080}, {containerPort: 80}]')),
    )
    const good = first(objects(pod('  containers:\n  - name: a\n    ports: [{containerPort: 8080}]')))
    const none = first(objects(pod('  containers:\n  - name: a')))
    expect(statuses(run(policyOf(clusterPolicy(rule)), bad))).toEqual(['r=fail'])
    expect(statuses(run(policyOf(clusterPolicy(rule)), good))).toEqual(['r=pass'])
    expect(statuses(run(policyOf(clusterPolicy(rule)), none))).toEqual(['r=skip'])
  })

  it('context: variable with default, and configMap from the objects of the run', () => {
    const rule = denyRule(
      '          any:\n          - key: "{{ request.object.metadata.name }}"\n            operator: AnyNotIn\n            value: "{{ allowed.data.names }}"\n          - key: "{{ greeting }}"\n            operator: NotEquals\n            value: hello',
      `    context:
    - name: allowed
      configMap: {name: names, namespace: prod}
    - name: greeting
      variable:
        jmesPath: request.object.metadata.labels.greeting
        default: hello
`,
    )
    const cm = first(
      objects(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: names, namespace: prod}\ndata:\n  names: \'["web", "api"]\'',
      ),
    )
    const p = policyOf(clusterPolicy(rule))
    expect(statuses(run(p, first(objects(pod('  containers: []'))), { objects: [cm] }))).toEqual(['r=pass'])
    expect(statuses(run(p, first(objects(pod('  containers: []'))), { objects: [] }))[0]).toBe('r=error')
  })

  it('context: imageRegistry data from the test context, else an unsupported-feature error', () => {
    const p = policyOf(
      clusterPolicy(
        denyRule(
          '          any:\n          - key: "{{ created }}"\n            operator: Equals\n            value: "2020-01-01T00:00:00Z"',
          '    context:\n    - name: created\n      imageRegistry:\n        reference: "{{ request.object.spec.containers[0].image }}"\n        jmesPath: configData.created\n',
        ),
      ),
    )
    const resource = first(objects(pod('  containers:\n  - name: a\n    image: redis:6')))
    expect(
      statuses(run(p, resource, { images: { 'redis:6': { configData: { created: '2020-01-01T00:00:00Z' } } } })),
    ).toEqual(['r=fail'])
    const r = run(p, resource)
    expect(statuses(r)).toEqual(['r=error'])
    expect(r.responses[0]?.message).toContain('context.imageRegistry')
  })

  it('unsupported features are errors naming the feature, never passes', () => {
    const apiCall = policyOf(
      clusterPolicy(
        denyRule(
          '          any:\n          - key: a\n            operator: Equals\n            value: b',
          '    context:\n    - name: x\n      apiCall:\n        service: {url: "https://example.com"}\n',
        ),
      ),
    )
    const r = run(apiCall, first(objects(pod('  containers: []'))))
    expect(statuses(r)).toEqual(['r=error'])
    expect(r.responses[0]?.message).toContain('context.apiCall')
    const verify = policyOf(
      clusterPolicy(
        '  - name: v\n    match: {any: [{resources: {kinds: [Pod]}}]}\n    verifyImages:\n    - imageReferences: ["*"]',
      ),
    )
    expect(first(run(verify, first(objects(pod('  containers: []')))).responses).message).toContain('verifyImages')
  })

  it('validate.podSecurity goes through the given Pod Security Standards evaluator', () => {
    const p = policyOf(
      clusterPolicy(
        '  - name: pss\n    match: {any: [{resources: {kinds: [Pod]}}]}\n    validate:\n      podSecurity: {level: baseline, version: latest}',
      ),
    )
    expect(statuses(run(p, first(objects(pod('  hostNetwork: true')))))).toEqual(['pss=fail'])
    expect(statuses(run(p, first(objects(pod('  hostNetwork: false')))))).toEqual(['pss=pass'])
    const exempt = policyOf(
      clusterPolicy(
        '  - name: pss\n    match: {any: [{resources: {kinds: [Pod]}}]}\n    validate:\n      podSecurity:\n        level: baseline\n        exclude: [{controlName: Host Namespaces}]',
      ),
    )
    expect(statuses(run(exempt, first(objects(pod('  hostNetwork: true')))))).toEqual(['pss=pass'])
  })

  it('validate.cel with variables', () => {
    const p = policyOf(
      clusterPolicy(`  - name: c
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      cel:
        variables:
        - name: names
          expression: object.spec.containers.map(c, c.name)
        expressions:
        - expression: "!('debug' in variables.names)"
          message: no debug containers`),
    )
    expect(statuses(run(p, first(objects(pod('  containers:\n  - name: debug')))))).toEqual(['c=fail'])
    expect(statuses(run(p, first(objects(pod('  containers:\n  - name: app')))))).toEqual(['c=pass'])
  })
})

describe('Kyverno mutate for tests', () => {
  it('patchStrategicMerge with add-if-absent and conditional anchors', () => {
    const p = policyOf(
      clusterPolicy(`  - name: m
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchStrategicMerge:
        metadata:
          labels:
            +(team): platform
        spec:
          containers:
          - (name): "app*"
            imagePullPolicy: Always`),
    )
    const r = run(
      p,
      first(
        objects(
          pod('  containers:\n  - name: app\n    image: a\n  - name: side\n    image: b', '  labels: {team: web}\n'),
        ),
      ),
    )
    expect(statuses(r)).toEqual(['m=pass'])
    expect((r.patched.metadata as { labels: unknown }).labels).toEqual({ team: 'web' })
    expect((r.patched.spec as { containers: unknown }).containers).toEqual([
      { name: 'app', image: 'a', imagePullPolicy: 'Always' },
      { name: 'side', image: 'b' },
    ])
  })

  it('patchesJson6902 and foreach, then validation sees the mutated resource', () => {
    const p = policyOf(
      clusterPolicy(`  - name: m
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      foreach:
      - list: request.object.spec.containers
        patchesJson6902: |-
          - op: add
            path: /spec/containers/{{elementIndex}}/securityContext/runAsNonRoot
            value: true
  - name: v
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      pattern:
        spec:
          containers:
          - securityContext: {runAsNonRoot: true}`),
    )
    const r = run(p, first(objects(pod('  containers:\n  - name: a\n  - name: b'))))
    expect(statuses(r)).toEqual(['m=pass', 'v=pass'])
  })
})
