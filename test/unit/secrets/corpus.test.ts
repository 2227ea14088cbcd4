import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SecretKindSchema } from '../../../src/core/audit/auditEvents';
import { SecretScanner } from '../../../src/core/secrets/secretScanner';

const CORPUS = path.join(__dirname, '..', '..', 'fixtures', 'corpus');
const scanner = new SecretScanner();

const ExpectedSchema = z.record(z.string(), z.array(z.tuple([SecretKindSchema, z.number().int().positive()])));

function files(dir: string): string[] {
  return readdirSync(path.join(CORPUS, dir)).filter((f) => f.endsWith('.txt')).sort();
}

function read(dir: string, file: string): string {
  return readFileSync(path.join(CORPUS, dir, file), 'utf8');
}

describe('secret scanner over the corpus', () => {
  it('has a corpus of clean files in many languages, and files with deliberate secrets', () => {
    assert.ok(files('clean').length >= 20, 'at least twenty clean files');
    const expected = ExpectedSchema.parse(JSON.parse(read('secrets', 'expected.json')));
    assert.deepEqual(Object.keys(expected).sort(), files('secrets'), 'every secrets file has its expected findings, and only those');
  });

  for (const file of files('clean')) {
    it(`finds nothing in clean/${file}`, () => {
      const text = read('clean', file);
      const found = scanner.scan(text).map((f) => `${f.kind} on line ${f.line}: ${text.slice(f.offset, f.offset + f.length)}`);
      assert.deepEqual(found, []);
    });
  }

  const expected = ExpectedSchema.parse(JSON.parse(read('secrets', 'expected.json')));
  for (const [file, findings] of Object.entries(expected)) {
    it(`finds exactly the planted secrets in secrets/${file}`, () => {
      const text = read('secrets', file);
      const found = scanner.scan(text);
      assert.deepEqual(
        found.map((f) => [f.kind, f.line]),
        findings,
      );
      const redacted = scanner.redactText(text);
      assert.deepEqual(scanner.scan(redacted), [], 'nothing is left after redaction');
      assert.equal(redacted.match(/\[REDACTED:[a-z_]+\]/g)?.length ?? 0, findings.length);
    });
  }
});
