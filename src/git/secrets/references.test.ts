import { describe, expect, it } from 'vitest'
import { scanSecretsInFile } from './index.js'

// Values built at run time so this file holds no literal credential.
const GHP = `ghp_${'Zq8Lm3Vx9Tb2Nc7Kd4Rf'}6Hj1Wp5Ys0Ae8Gu3`
const RANDOM = `Xk9mQ2${'vL7pR4tY8wB3'}nF6`
const rules = (file: string, text: string): string[] => scanSecretsInFile(file, text).map((f) => f.rule)

describe('references are not credentials', () => {
  const references: [string, string][] = [
    [
      'infra/main.tf',
      'provider "kubernetes" {\n  host  = "https://${google_container_cluster.primary.endpoint}"\n  token = data.google_client_config.default.access_token\n  password = var.db_password\n  client_secret = local.oauth.client_secret\n}\n',
    ],
    [
      'src/db.js',
      'const password = process.env.MYSQL_DB_PASSWORD;\nconst config = {\n  password: process.env.MYSQL_DB_PASSWORD,\n  apiKey: process.env["STRIPE_API_KEY"],\n};\n',
    ],
    [
      'app/settings.py',
      'db_password = os.environ["DB_PASSWORD"]\nsecret_token = os.getenv("SECRET_TOKEN")\nSECRET_KEY = settings.DJANGO_SECRET_KEY\n',
    ],
    [
      'app/config.yaml',
      'database:\n  password: process.env.MYSQL_DB_PASSWORD\n  secret_key: os.environ["DJANGO_SECRET_KEY"]\n  token: ${API_TOKEN}\n  apiKey: "{{ .Values.apiKey }}"\n',
    ],
    [
      'deploy/api.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1.0.0\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: { name: db, key: password }\n            - name: API_TOKEN\n              value: $(UPSTREAM_TOKEN)\n',
    ],
  ]
  for (const [file, text] of references) {
    it(`finds nothing in ${file}`, () => {
      expect(rules(file, text)).toEqual([])
    })
  }

  it('still finds real values in the same shapes', () => {
    expect(
      rules(
        'infra/main.tf',
        `provider "x" {\n  host  = "https://example.com"\n  token = "${GHP}"\n  password = "${RANDOM}"\n}\n`,
      ),
    ).toEqual(['github-token', 'hardcoded-secret'])
    expect(rules('src/db.js', `const config = {\n  password: "${RANDOM}",\n};\n`)).toEqual(['hardcoded-secret'])
    expect(rules('app/config.yaml', `database:\n  password: ${RANDOM}\n`)).toEqual(['hardcoded-secret'])
  })

  it('does not take tokens that happen to be dotted (OAuth access tokens, JWT-like values) for references', () => {
    const oauth = `ya29.a0AfH6SM${'Bx7Kq2Lm9Zt4Vw8'}Rc3Np6Yd1`
    expect(rules('app/config.yaml', `auth:\n  access_token: ${oauth}\n`)).toEqual(['hardcoded-secret'])
  })
})

describe('test code and fixtures', () => {
  it('does not report password-like constants of a test (key-named, not random)', () => {
    expect(
      rules('test/login.test.js', 'const user = {\n  username: "alice",\n  password: "hunter2hunter2",\n};\n'),
    ).toEqual([])
    expect(rules('tests/fixtures.py', 'PASSWORD = "testpassword"\napi_key = "dummy-api-key-for-tests"\n')).toEqual([])
    expect(rules('pkg/auth/login_test.go', 'password := "correcthorse"\n')).toEqual([])
  })

  it('still reports provider tokens and random-looking values in tests', () => {
    expect(
      rules('test/login.test.js', `const token = "${GHP}";\nconst user = {\n  password: "${RANDOM}",\n};\n`),
    ).toEqual(['github-token', 'hardcoded-secret'])
  })

  it('reports the same password-like constant outside tests', () => {
    const text = 'const user = {\n  username: "alice",\n  password: "Summer2023!",\n};\n'
    expect(rules('src/login.js', text)).toEqual(['hardcoded-secret'])
    expect(rules('test/login.test.js', text)).toEqual([])
  })
})
