import fc from 'fast-check'

/**
 * Documents for the tests of the first pass's header read (document-headers.test.ts,
 * pipeline/kept-parts.test.ts): what cross-resource policies keep (Namespaces, NetworkPolicies,
 * ServiceAccounts, RBAC, LimitRanges, ResourceQuotas, workloads in namespaces), what they
 * skip, and every way a header can mislead a cheap read: Lists, build inputs, flow style,
 * anchors, aliases, merge keys and tags, quoted keys and values, values over several lines,
 * booleans that look like words, duplicate keys, odd indentation, comments between lines,
 * documents that do not parse.
 */
export const HEADER_FRAGMENTS: readonly string[] = [
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: a\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: x\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d2\n  labels:\n    namespace: fake\nspec:\n  template:\n    spec:\n      serviceAccountName: api\n      containers: []\n',
  'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  namespace: b\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec: {containers: []}\n',
  'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  namespace: a\nspec: {}\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: "a"\nspec:\n  automountServiceAccountToken: true\n  containers:\n  - name: c\n',
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n',
  "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: 'b'\n  labels: {}\n",
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: a\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n',
  'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: a\nautomountServiceAccountToken: false\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: admin\nrules:\n- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\n  namespace: a\nroleRef:\n  kind: ClusterRole\n  name: admin\nsubjects:\n- kind: User\n  name: u\n',
  'apiVersion: v1\nkind: LimitRange\nmetadata:\n  namespace: a\n',
  'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  namespace: b\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\ndata:\n  props: |\n    kind: Namespace\n    namespace: x\n---- not a marker\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c2\n# a comment at column 0\n  namespace: b\ndata:\n  k: v\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n',
  'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: l}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {namespace: a}\n  spec: {template: {spec: {}}}\n- just text\n',
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n',
  'kind: Deployment\nmetadata:\n  name: no-api-version\n',
  'replicaCount: 3\nimage: {repository: nginx}\n',
  'base: &base\n  apiVersion: v1\n  kind: Namespace\nobj:\n  <<: *base\n',
  '<<: {apiVersion: v1, kind: Namespace, metadata: {name: merged}}\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: dup2\n',
  'apiVersion: v1\nkind: ConfigMap\nkind: Namespace\nmetadata:\n  name: dupkind\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n',
  'apiVersion: v1\nkind: Pod\n  bad: indentation\n',
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\nspec:\n  command: "abc\nkind: X"\n',
  '',
  '# only a comment\n',
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: &n team\n  labels: {owner: *n}\n',
  'apiVersion: v1\nkind: ServiceAccount\nmetadata: &m\n  namespace: a\n',
  'apiVersion: v1\nkind: ServiceAccount\nmetadata: {namespace: b, name: flow}\n',
  'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  namespace: !!str b\n',
  'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  namespace: on\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: ""\nspec: {}\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: a\n    b\nspec: {}\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n    namespace: a\n  name: odd\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: a\n  namespace: b\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  "namespace": q\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "a\n    b"\n  namespace: c\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n\tnamespace: tab\n',
  'apiVersion: v1\nkind: Name\n  space\n',
  'apiVersion: v1\nkind: Name\n\n  space\n',
  'apiVersion: v1\nkind: yes\n',
  'apiVersion: v1\nkind: "Namespace"\nmetadata: {name: quoted}\n',
  'apiVersion: v1\nkind: Namespace#x\nmetadata:\n  name: hash\n  namespace: a#b\n',
  "apiVersion: v1\nkind: 'Namespace'#x\n",
  "'kind': Namespace\napiVersion: v1\n",
  'apiVersion: !!str v1\nkind: Namespace\nmetadata: {name: tagged}\n',
  'apiVersion: v1\nkind: &k Namespace\nmetadata:\n  name: anchored\n',
  '  apiVersion: v1\n  kind: Namespace\n',
  '- apiVersion: v1\n  kind: Namespace\n',
  'apiVersion: v1\nkind: Namespace\nmetadata:\n- a\n',
  '? kind\n: Namespace\napiVersion: v1\n',
  'apiVersion: v1 # a comment\nkind: Namespace # another\nmetadata:\n  name: commented\n',
  'apiVersion:   v1\nkind: Namespace\n',
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  annotations:\n    note: |\n      namespace: inside\n  namespace: real\n',
  'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  namespace: a\n  # a comment\n    b\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flow-open\n  labels: {a: b,\n    c: d}\n  namespace: a\n',
]

/** Ways to start a document: a plain `---`, one with a comment, one with content on its line. */
const MARKERS = ['---\n', '--- # next\n', '--- !!map\n', '--- |\n  text\n---\n']

/** A file of fragments with markers, `...` ends and comments between, as generated files for the tests. */
export const headerFileOf: fc.Arbitrary<string> = fc
  .record({
    docs: fc.array(
      fc.record({
        fragment: fc.integer({ min: 0, max: HEADER_FRAGMENTS.length - 1 }),
        marker: fc.integer({ min: 0, max: MARKERS.length * 3 }),
        end: fc.boolean(),
        comment: fc.boolean(),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    explicitFirst: fc.boolean(),
  })
  .map(({ docs, explicitFirst }) =>
    docs
      .map(({ fragment, marker, end, comment }, i) => {
        const start = i > 0 || explicitFirst ? (MARKERS[marker] ?? '---\n') : ''
        return `${comment ? '# between\n' : ''}${start}${HEADER_FRAGMENTS[fragment]}${end ? '...\n' : ''}`
      })
      .join(''),
  )
