import assert from 'node:assert/strict';
import { classifyName, nameWords } from '../../../src/core/secrets/secretNames';
import { isPlaceholder, shannonEntropy } from '../../../src/core/secrets/secretValues';

describe('secret values and names', () => {
  it('measures Shannon entropy in bits per character', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abab'), 1);
    assert.equal(shannonEntropy('0123456789abcdef'), 4);
  });

  it('recognises references, placeholder words, repeats and ascending runs', () => {
    for (const v of ['${API_KEY}', '{{ token }}', '$TOKEN', '%TOKEN%', 'process.env.KEY', '<token>', '[YOUR_KEY]', 'your-api-key-here', 'CHANGE_ME', 'P@ssw0rd!', 'xxxxxxxx', 'abab-abab', '0123456789abcdef', 'sk-...'])
      assert.equal(isPlaceholder(v, { extraWords: ['password'] }), true, v);
    for (const v of ['q7R2xLmN4tVb8kQ3zP1w', 'kY7#mQ2!vR', '9f86d081884c7d659a2f']) assert.equal(isPlaceholder(v), false, v);
  });

  it('splits names into words however they are written', () => {
    assert.deepEqual(nameWords('AWS_SECRET_ACCESS_KEY'), ['aws', 'secret', 'access', 'key']);
    assert.deepEqual(nameWords('clientSecret'), ['client', 'secret']);
    assert.deepEqual(nameWords('APIKey'), ['api', 'key']);
    assert.deepEqual(nameWords('spring.datasource.password'), ['spring', 'datasource', 'password']);
    assert.deepEqual(nameWords('x-api-key'), ['x', 'api', 'key']);
  });

  it('classifies a name by the noun it ends with', () => {
    const cases: Array<[string, ReturnType<typeof classifyName>]> = [
      ['dbPassword', 'password'],
      ['DBPASSWORD', 'password'],
      ['smtp_pass', 'password'],
      ['GITHUB_TOKEN', 'secret'],
      ['_authToken', 'secret'],
      ['apikey', 'secret'],
      ['signingKey', 'secret'],
      ['client_secret', 'secret'],
      ['aws_secret_access_key', 'aws_secret'],
      ['SecretAccessKey', 'aws_secret'],
      ['passwordHint', undefined],
      ['maxTokens', undefined],
      ['tokenizer', undefined],
      ['author', undefined],
      ['cacheKey', undefined],
      ['publicKey', undefined],
      ['fakeToken', undefined],
      ['STRIPE_PUBLISHABLE_KEY', undefined],
    ];
    for (const [name, expected] of cases) assert.equal(classifyName(name), expected, name);
  });
});
