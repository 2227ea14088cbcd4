import assert from 'node:assert/strict';
import { assignmentPasses, mayHoldQuotedAssignment } from '../../../src/core/secrets/assignments';
import { connectionStringPasses } from '../../../src/core/secrets/connectionStrings';
import type { Candidate, Pass } from '../../../src/core/secrets/detection';

/** A detector's passes run over the text, none skipped. */
const allOf =
  (passes: readonly Pass[]) =>
  (text: string): Candidate[] => {
    const out: Candidate[] = [];
    for (const pass of passes) pass.find(text, out);
    return out;
  };
const assignedSecrets = allOf(assignmentPasses);
const connectionStringPasswords = allOf(connectionStringPasses);

const SECRET = 'jJJibaZUPgHV7iB3m03nbqnsGpWLuqIA';

describe('secret scan shortcuts: a detector skips a text only when it cannot match', () => {
  it('every shape of quoted assignment carries the mark the shortcut looks for, and is still found', () => {
    const operators = ['=', ':', '=>', ':=', '??=', '||='];
    const spaces = ['', ' ', '\t', '\n  '];
    const prefixes = ['', 'r', 'b', 'rb', 'f', 'u', '@', '$'];
    const quotes = ['"', "'", '`'];
    const names = ['apiKey', '"client_secret"', 'config["api_token"]', ':auth_token', 'private $secretKey'];
    let checked = 0;
    for (const name of names) {
      for (const op of operators) {
        for (const space of spaces) {
          for (const prefix of prefixes) {
            for (const q of quotes) {
              const text = `${name}${space === '\t' ? ' ' : ''}${op}${space}${prefix}${q}${SECRET}${q};`;
              assert.ok(mayHoldQuotedAssignment(text), `the shortcut would skip ${JSON.stringify(text)}`);
              checked++;
            }
          }
        }
      }
    }
    assert.equal(checked, names.length * operators.length * spaces.length * prefixes.length * quotes.length);
    assert.equal(assignedSecrets(`const apiKey = "${SECRET}";`).length, 1);
    assert.equal(assignedSecrets(`  "client_secret": '${SECRET}',`).length, 1);
    assert.equal(assignedSecrets(`api_token => \`${SECRET}\``).length, 1);
  });

  it('skips texts with no quoted assignment, and still finds bare and header secrets in them', () => {
    assert.equal(mayHoldQuotedAssignment('function f(a) {\n  return a * 2; // no strings here\n}'), false);
    assert.equal(mayHoldQuotedAssignment("log('no assignment', x)"), false);
    assert.equal(assignedSecrets(`API_TOKEN=${SECRET}`).length, 1, 'a .env line has no quotes and is still found');
    assert.equal(assignedSecrets(`curl -H Authorization: Bearer ${SECRET}`).length, 1);
  });

  it('a connection string is found with its scheme; a text without :// has none', () => {
    assert.equal(connectionStringPasswords('postgres://app:Zq8fK2pLm4@db.internal:5432/app').length, 1);
    assert.equal(connectionStringPasswords('Server=db;Database=app;User Id=app;Password=Zq8fK2pLm4;').length, 1, 'ADO strings need no scheme');
    assert.equal(connectionStringPasswords('see db.internal?password=Zq8fK2pLm4x').length, 1, 'query passwords need no scheme');
  });
});
