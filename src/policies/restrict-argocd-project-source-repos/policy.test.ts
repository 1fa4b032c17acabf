import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-listed-repos.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-any-repo.yaml'),
      errors: [{ messageId: 'anyRepo', path: '/spec/sourceRepos/1', line: 9, column: 7 }],
      output: null,
    },
  ],
})
