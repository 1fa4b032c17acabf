import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A corpus of credentials in their real formats, generated afresh by each test run
 * (random values, and private keys made by node:crypto and ssh-keygen), planted in the
 * files where they turn up in GitOps repositories. None is a real credential and none is
 * ever written to the repository.
 */
export interface SecretSample {
  /** File name inside the corpus. */
  file: string
  text: string
  /** Rule ids the scanner must report in this file, in line order. */
  expected: string[]
  /** The secret values (and their encoded forms) that no report may contain. */
  values: string[]
}

/** A small deterministic PRNG (mulberry32), so a failing sample can be reproduced from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const DIGITS = '0123456789'
const ALNUM = UPPER + LOWER + DIGITS
const B64 = `${ALNUM}+/`
const B64URL = `${ALNUM}-_`
const HEX = '0123456789abcdef'

/** Generate the corpus. `seed` varies the values; the shapes stay the same. */
export function secretSamples(seed = 20260101): SecretSample[] {
  const random = prng(seed)
  // Each value has all three character classes, as real random tokens of this length do.
  const pick = (chars: string, n: number): string => {
    for (;;) {
      const s = Array.from({ length: n }, () => chars[Math.floor(random() * chars.length)]).join('')
      const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(s)).length
      if (n < 12 || classes === [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(chars)).length) return s
    }
  }
  const b64 = (s: string): string => Buffer.from(s).toString('base64')
  const b64url = (s: string): string => Buffer.from(s).toString('base64url')
  const samples: SecretSample[] = []
  const add = (file: string, text: string, expected: string[], ...values: string[]): void => {
    samples.push({ file, text, expected, values })
  }

  // AWS
  const akid = () => `AKIA${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`
  const awsSecret = () => pick(`${ALNUM}+/`, 40)
  const k1 = akid()
  const s1 = awsSecret()
  add(
    'aws/credentials.env',
    `AWS_ACCESS_KEY_ID=${k1}\nAWS_SECRET_ACCESS_KEY=${s1}\nAWS_REGION=eu-west-1\n`,
    ['aws-access-key-id', 'aws-secret-access-key'],
    k1,
    s1,
  )
  const k2 = akid()
  const s2 = awsSecret()
  add(
    'aws/deployment.yaml',
    deployment('uploader', [
      ['AWS_ACCESS_KEY_ID', k2],
      ['AWS_SECRET_ACCESS_KEY', s2],
    ]),
    ['aws-access-key-id', 'aws-secret-access-key'],
    k2,
    s2,
  )
  const k3 = `ASIA${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`
  add(
    'aws/main.tf',
    `provider "aws" {\n  region     = "us-east-1"\n  access_key = "${k3}"\n}\n`,
    ['aws-access-key-id'],
    k3,
  )

  // Google Cloud: a real RSA key, as a service account key file and inside a Secret's stringData.
  const saKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString()
  const saJson = JSON.stringify(
    {
      type: 'service_account',
      project_id: 'acme-prod',
      private_key_id: pick(HEX, 40),
      private_key: saKey,
      client_email: 'deployer@acme-prod.iam.gserviceaccount.com',
      client_id: pick(DIGITS, 21),
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    null,
    2,
  )
  add('gcp/deployer-key.json', `${saJson}\n`, ['gcp-service-account-key'], ...pemBody(saKey))
  const gApi = `AIza${pick(`${ALNUM}-_`, 35)}`
  add('gcp/maps-config.yaml', configMap('maps', [['MAPS_API_KEY', gApi]]), ['google-api-key'], gApi)
  const gApi2 = `AIza${pick(`${ALNUM}-_`, 35)}`
  add(
    'frontend/config.js',
    `export const firebase = {\n  apiKey: "${gApi2}",\n  authDomain: "acme.firebaseapp.com",\n}\n`,
    ['google-api-key'],
    gApi2,
  )

  // Azure
  const storage = `${pick(B64, 86)}==`
  add(
    'azure/storage.env',
    `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=${storage};EndpointSuffix=core.windows.net"\n`,
    ['azure-storage-connection-string'],
    storage,
  )
  const storage2 = `${pick(B64, 86)}==`
  add(
    'azure/values.yaml',
    `blob:\n  connectionString: "DefaultEndpointsProtocol=https;AccountName=acmeimg;AccountKey=${storage2};EndpointSuffix=core.windows.net"\n`,
    ['azure-storage-connection-string'],
    storage2,
  )
  const sb = `${pick(B64, 43)}=`
  add(
    'azure/bus.yaml',
    configMap('bus', [
      [
        'SERVICEBUS',
        `Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${sb}`,
      ],
    ]),
    ['azure-shared-access-key'],
    sb,
  )

  // GitHub, GitLab
  const ghp = `ghp_${pick(ALNUM, 36)}`
  add('ci/release.sh', `#!/bin/sh\nexport GITHUB_TOKEN=${ghp}\ngh release create "$TAG"\n`, ['github-token'], ghp)
  const pat = `github_pat_${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`
  add(
    'ci/argocd-repo.yaml',
    `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: repo-creds }\ndata:\n  url: https://github.com/acme/gitops\n  password: ${pat}\n`,
    ['github-token'],
    pat,
  )
  const gho = `gho_${pick(ALNUM, 36)}`
  add('ci/oauth.json', `{\n  "provider": "github",\n  "token": "${gho}"\n}\n`, ['github-token'], gho)
  const glpat = `glpat-${pick(`${ALNUM}-_`, 20)}`
  add('ci/gitlab.env', `CI_REGISTRY_TOKEN=${glpat}\n`, ['gitlab-token'], glpat)
  const glpat2 = `glpat-${pick(`${ALNUM}-_`, 20)}`
  add(
    'flux/git-auth.yaml',
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: { name: apps, namespace: flux-system }\nspec:\n  url: https://oauth2:${glpat2}@gitlab.com/acme/apps.git\n  interval: 1m\n`,
    ['gitlab-token'],
    glpat2,
  )

  // Slack
  const xoxb = `xoxb-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(ALNUM, 24)}`
  add('alerts/slack.yaml', configMap('alertmanager', [['SLACK_BOT', xoxb]]), ['slack-token'], xoxb)
  const xoxp = `xoxp-${pick(DIGITS, 11)}-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(HEX, 32)}`
  add('alerts/user.env', `SLACK_USER_TOKEN=${xoxp}\n`, ['slack-token'], xoxp)
  const hook = `T${pick(UPPER + DIGITS, 8)}/B${pick(UPPER + DIGITS, 10)}/${pick(ALNUM, 24)}`
  add(
    'alerts/alertmanager.yaml',
    `receivers:\n  - name: ops\n    slack_configs:\n      - api_url: https://hooks.slack.com/services/${hook}\n        channel: "#ops"\n`,
    ['slack-webhook'],
    hook,
  )

  // Payments and messaging
  const stripe = `sk_live_${pick(ALNUM, 24)}`
  add(
    'payments/values.yaml',
    `stripe:\n  publishableKey: pk_live_${pick(ALNUM, 24)}\n  secretKey: ${stripe}\n`,
    ['stripe-key'],
    stripe,
  )
  const rk = `rk_live_${pick(ALNUM, 99)}`
  add('payments/.env', `STRIPE_RESTRICTED_KEY=${rk}\n`, ['stripe-key'], rk)
  const twilio = `SK${pick(HEX, 32)}`
  add('sms/twilio.env', `TWILIO_ACCOUNT_SID=AC${pick(HEX, 32)}\nTWILIO_API_KEY=${twilio}\n`, ['twilio-api-key'], twilio)
  const twilio2 = `SK${pick(HEX, 32)}`
  add('sms/deployment.yaml', deployment('sms', [['TWILIO_API_KEY', twilio2]]), ['twilio-api-key'], twilio2)
  const sg = `SG.${pick(B64URL, 22)}.${pick(B64URL, 43)}`
  add('mail/sendgrid.yaml', configMap('mailer', [['SENDGRID_API_KEY', sg]]), ['sendgrid-api-key'], sg)
  const sg2 = `SG.${pick(B64URL, 22)}.${pick(B64URL, 43)}`
  add(
    'mail/settings.py',
    `EMAIL_BACKEND = "sendgrid_backend.SendgridBackend"\nSENDGRID_API_KEY = "${sg2}"\n`,
    ['sendgrid-api-key'],
    sg2,
  )

  // Package registries
  const npm = `npm_${pick(ALNUM, 36)}`
  add('build/.npmrc', `//registry.npmjs.org/:_authToken=${npm}\n`, ['npm-token'], npm)
  const npm2 = `npm_${pick(ALNUM, 36)}`
  add('build/publish.yaml', `jobs:\n  publish:\n    env:\n      NODE_AUTH_TOKEN: ${npm2}\n`, ['npm-token'], npm2)
  const pypi = `pypi-AgEIcHlwaS5vcmc${pick(B64URL, 80)}`
  add('build/.pypirc', `[pypi]\nusername = __token__\npassword = ${pypi}\n`, ['pypi-token'], pypi)
  const dckr = `dckr_pat_${pick(B64URL, 27)}`
  add('build/docker.env', `DOCKERHUB_TOKEN=${dckr}\n`, ['dockerhub-token'], dckr)
  const regPass = pick(ALNUM, 20)
  const auth = b64(`robot$acme+ci:${regPass}`)
  const dockerConfig = JSON.stringify({ auths: { 'registry.acme.dev': { auth } } })
  add(
    'build/pull-secret.json',
    `${JSON.stringify({ auths: { 'registry.acme.dev': { auth } } }, null, 2)}\n`,
    ['docker-registry-auth'],
    auth,
    regPass,
  )

  // JSON Web Tokens
  const jwt = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify({ sub: 'ci-bot', iat: 1767225600, scope: 'deploy' }))}.${pick(B64URL, 43)}`
  add('auth/config.yaml', configMap('auth', [['SERVICE_JWT', jwt]]), ['jwt'], jwt)
  const jwt2 = `${b64url(JSON.stringify({ alg: 'RS256', kid: pick(HEX, 8) }))}.${b64url(JSON.stringify({ iss: 'acme', aud: 'api' }))}.${pick(B64URL, 86)}`
  add('auth/curl.sh', `curl -H "Authorization: Bearer ${jwt2}" https://api.acme.dev/v1/deploy\n`, ['jwt'], jwt2)

  // Private keys: generated by node:crypto and ssh-keygen, plus an OpenPGP armored block.
  const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString()
  add('keys/tls.key', rsaPem, ['private-key'], ...pemBody(rsaPem))
  const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'sec1', format: 'pem' })
    .toString()
  add(
    'keys/ingress-tls.yaml',
    `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: tls-material }\ndata:\n  tls.key: |\n${indent(ecPem, 4)}`,
    ['private-key'],
    ...pemBody(ecPem),
  )
  const edPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  add('keys/signing.json', `${JSON.stringify({ name: 'release', key: edPem })}\n`, ['private-key'], ...pemBody(edPem))
  const openssh = opensshKey()
  add('keys/deploy_key', openssh, ['private-key'], ...pemBody(openssh))
  add(
    'keys/argocd-repo.yaml',
    `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: repo }\ndata:\n  sshPrivateKey: |\n${indent(openssh, 4)}`,
    ['private-key'],
    ...pemBody(openssh),
  )
  const pgp = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${chunk(pick(B64, 640), 64)}\n=${pick(B64, 4)}\n-----END PGP PRIVATE KEY BLOCK-----\n`
  add('keys/release.asc', pgp, ['private-key'], ...pemBody(pgp))

  // Passwords in URLs and connection strings
  const pg = pick(ALNUM, 18)
  add(
    'db/app.env',
    `DATABASE_URL=postgres://app:${pg}@db.acme.internal:5432/app?sslmode=require\n`,
    ['url-password'],
    pg,
  )
  const mongo = pick(ALNUM, 16)
  add(
    'db/mongo.yaml',
    deployment('api', [['MONGO_URI', `mongodb+srv://api:${mongo}@cluster0.abcde.mongodb.net/prod`]]),
    ['url-password'],
    mongo,
  )
  const redis = pick(ALNUM, 24)
  add('db/cache.yaml', `cache:\n  url: redis://:${redis}@redis-master.cache.svc:6379/0\n`, ['url-password'], redis)
  const registryPass = pick(ALNUM, 20)
  add(
    'apps/registry-image.yaml',
    deployment('api', [['IMAGE', `deploy:${registryPass}@registry.acme.net/team/api:1.4.2`]]),
    ['userinfo-password'],
    registryPass,
  )
  const mssql = pick(`${ALNUM}!#`, 20)
  add(
    'db/appsettings.json',
    `{\n  "ConnectionStrings": {\n    "Default": "Server=tcp:sql.acme.net,1433;Initial Catalog=orders;User ID=orders;Password=${mssql};Encrypt=True;"\n  }\n}\n`,
    ['connection-string-password'],
    mssql,
  )

  // Secret-named keys and high-entropy values
  const helmPassword = pick(ALNUM, 22)
  add(
    'charts/shop/values.yaml',
    `postgresql:\n  auth:\n    username: shop\n    password: ${helmPassword}\n    existingSecret: ""\n`,
    ['hardcoded-secret'],
    helmPassword,
  )
  const apiSecret = pick(`${ALNUM}!@#%^&*`, 28)
  add(
    'apps/api.yaml',
    deployment('api', [
      ['CLIENT_SECRET', apiSecret],
      ['LOG_LEVEL', 'info'],
    ]),
    ['hardcoded-secret'],
    apiSecret,
  )
  const envPass = pick(ALNUM, 16)
  add('apps/.env', `DB_HOST=db\nDB_PASSWORD=${envPass}\n`, ['hardcoded-secret'], envPass)
  const entropy = pick(ALNUM, 40)
  add('apps/worker.yaml', deployment('worker', [['SESSION_SEED', entropy]]), ['high-entropy-value'], entropy)
  const helmEntropy = pick(`${ALNUM}+/`, 48)
  add(
    'charts/worker/values.yaml',
    `worker:\n  replicas: 2\n  signingSeed: ${helmEntropy}\n`,
    ['high-entropy-value'],
    helmEntropy,
  )

  // Plaintext Kubernetes Secrets
  const secretPass = pick(ALNUM, 20)
  add(
    'secrets/db-secret.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata: { name: db, namespace: shop }\ntype: Opaque\ndata:\n  password: ${b64(secretPass)}\n`,
    ['kubernetes-secret'],
    secretPass,
    b64(secretPass),
  )
  const stringDataPass = pick(ALNUM, 14)
  add(
    'secrets/api-secret.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata: { name: api, namespace: shop }\nstringData:\n  admin-password: ${stringDataPass}\n`,
    ['kubernetes-secret'],
    stringDataPass,
  )
  const inSecret = `ghp_${pick(ALNUM, 36)}`
  add(
    'secrets/bot-secret.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata: { name: bot, namespace: ci }\ndata:\n  token: ${b64(inSecret)}\n`,
    ['github-token'],
    inSecret,
    b64(inSecret),
  )
  add(
    'secrets/pull-secret.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata: { name: regcred, namespace: shop }\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(dockerConfig)}\n`,
    ['docker-registry-auth'],
    b64(dockerConfig),
    auth,
    regPass,
  )
  return samples
}

/** Files that hold no secret: the safe forms of secrets in GitOps and lookalikes. */
export function safeSamples(seed = 20260102): { file: string; text: string }[] {
  const random = prng(seed)
  const pick = (chars: string, n: number): string =>
    Array.from({ length: n }, () => chars[Math.floor(random() * chars.length)]).join('')
  const enc = (n: number) => `ENC[AES256_GCM,data:${pick(B64, n)},iv:${pick(B64, 43)}=,tag:${pick(B64, 22)}==,type:str]`
  return [
    {
      file: 'safe/sops-secret.yaml',
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n    name: db\n    namespace: shop\ntype: Opaque\nstringData:\n    password: ${enc(24)}\n    url: ${enc(60)}\nsops:\n    kms: []\n    age:\n        - recipient: age1${pick('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 58)}\n          enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n            ${pick(B64, 64)}\n            -----END AGE ENCRYPTED FILE-----\n    lastmodified: "2026-01-01T00:00:00Z"\n    mac: ${enc(64)}\n    unencrypted_suffix: _unencrypted\n    version: 3.9.0\n`,
    },
    {
      file: 'safe/sealed-secret.yaml',
      text: `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: { name: db, namespace: shop }\nspec:\n  encryptedData:\n    password: Ag${pick(B64, 600)}==\n    token: Ag${pick(B64, 400)}\n  template:\n    metadata: { name: db, namespace: shop }\n    type: Opaque\n`,
    },
    {
      file: 'safe/external-secret.yaml',
      text: `apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: { name: db, namespace: shop }\nspec:\n  refreshInterval: 1h\n  secretStoreRef: { name: vault, kind: ClusterSecretStore }\n  target: { name: db-credentials }\n  data:\n    - secretKey: password\n      remoteRef: { key: secret/data/shop/db, property: password }\n`,
    },
    {
      file: 'safe/lookalikes.yaml',
      text: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    checksum/config: ${pick(HEX, 64)}\n    deploy.acme.dev/commit: ${pick(HEX, 40)}\n    deploy.acme.dev/request-id: 3f2b8c1e-7a4d-4e9b-9c2a-1d5e6f7a8b9c\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web@sha256:${pick(HEX, 64)}\n          env:\n            - name: DB_PASSWORD\n              valueFrom: { secretKeyRef: { name: db, key: password } }\n            - name: API_TOKEN\n              value: \${API_TOKEN}\n            - name: ADMIN_PASSWORD\n              value: changeme\n            - name: ASSET_PATH\n              value: /var/lib/acme/assets/public/images/originals\n            - name: FEATURE_FLAGS\n              value: checkout-v2,search-ranking-experiment,new-navigation-bar\n`,
    },
    {
      file: 'safe/webhook.yaml',
      text: `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: { name: acme }\nwebhooks:\n  - name: check.acme.dev\n    clientConfig:\n      caBundle: ${Buffer.from(`-----BEGIN CERTIFICATE-----\n${pick(B64, 600)}\n-----END CERTIFICATE-----\n`).toString('base64')}\n      service: { name: hook, namespace: acme }\n`,
    },
    {
      file: 'safe/values.yaml',
      text: `postgresql:\n  auth:\n    password: ""\n    existingSecret: shop-postgresql\n    secretKeys:\n      adminPasswordKey: postgres-password\napi:\n  token: "{{ .Values.global.token }}"\n  sshKnownHosts: "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"\n`,
    },
  ]
}

function deployment(name: string, env: [string, string][]): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: ghcr.io/acme/${name}:1.4.2\n          env:\n${env.map(([k, v]) => `            - name: ${k}\n              value: "${v}"`).join('\n')}\n`
}

function configMap(name: string, data: [string, string][]): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: shop }\ndata:\n${data.map(([k, v]) => `  ${k}: "${v}"`).join('\n')}\n`
}

const indent = (text: string, n: number): string =>
  text
    .split('\n')
    .map((l) => (l === '' ? l : `${' '.repeat(n)}${l}`))
    .join('\n')
const chunk = (s: string, n: number): string => s.match(new RegExp(`.{1,${n}}`, 'g'))?.join('\n') ?? s

/** The base64 lines of a PEM block: each must stay out of every report. */
function pemBody(pem: string): string[] {
  return pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))
}

/** A fresh ed25519 key in OpenSSH format, made by ssh-keygen in a temporary folder. */
function opensshKey(): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-sshkey-'))
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'deploy', '-f', join(dir, 'key')])
    return readFileSync(join(dir, 'key'), 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
