/**
 * A Pod CREATE AdmissionReview of about 4 KB, shaped as kube-apiserver sends it: the
 * object after defaulting (dnsPolicy, terminationMessagePath, tolerations, the projected
 * service-account token volume), labels and annotations from a Deployment's ReplicaSet.
 * A reasonably hardened pod: most policies pass, a few fail, as in a real cluster.
 * `podReviews(n)` gives n of them that differ as a ReplicaSet's pods do: uid and name.
 */
export function podReview(uid = '3f8e2b1c-7a4d-4e9b-8c2f-1d5a6b7c8e9f', suffix = 'x2k4p'): Record<string, unknown> {
  const name = `checkout-7d9f8b6c5d-${suffix}`
  const namespace = 'shop'
  const container = (n: string, image: string, port: number) => ({
    name: n,
    image,
    imagePullPolicy: 'IfNotPresent',
    args: ['--listen=:' + port, '--log-format=json', '--metrics-addr=:9090'],
    ports: [
      { name: 'http', containerPort: port, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ],
    env: [
      { name: 'APP_ENV', value: 'production' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability.svc:4317' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'checkout-db', key: 'password' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    ],
    resources: {
      requests: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '100Mi' },
      limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '200Mi' },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      capabilities: { drop: ['ALL'] },
    },
    readinessProbe: {
      httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' },
      periodSeconds: 5,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: '/live', port: 'http', scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'config', mountPath: '/etc/checkout', readOnly: true },
      { name: 'kube-api-access-7x9lq', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  })
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'checkout-7d9f8b6c5d-',
      name,
      namespace,
      uid: `9a1b2c3d-4e5f-6a7b-8c9d-${uid.slice(-12)}`,
      creationTimestamp: null,
      labels: {
        app: 'checkout',
        'app.kubernetes.io/name': 'checkout',
        'app.kubernetes.io/version': '2.14.1',
        'pod-template-hash': '7d9f8b6c5d',
        team: 'payments',
      },
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9090',
        'kubectl.kubernetes.io/restartedAt': '2026-11-30T10:12:44Z',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'checkout-7d9f8b6c5d',
          uid: '1b2c3d4e-5f6a-7b8c-9d0e-1f2a3b4c5d6e',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      serviceAccountName: 'checkout',
      automountServiceAccountToken: true,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        fsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [container('checkout', 'registry.example.com/shop/checkout:2.14.1', 8080)],
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        { name: 'config', configMap: { name: 'checkout-config', defaultMode: 420 } },
        {
          name: 'kube-api-access-7x9lq',
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
                },
              },
            ],
          },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {},
  }
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      name,
      namespace,
      operation: 'CREATE',
      userInfo: {
        username: 'system:serviceaccount:kube-system:replicaset-controller',
        uid: '5e6f7a8b-9c0d-1e2f-3a4b-5c6d7e8f9a0b',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      },
      object,
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  }
}

/** N Pod reviews as a ReplicaSet's pods arrive: each with its own request uid, object uid and name. */
export function podReviews(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const hex = i.toString(16).padStart(12, '0')
    return podReview(`3f8e2b1c-7a4d-4e9b-8c2f-${hex}`, i.toString(36).padStart(5, 'a'))
  })
}
