/** One fake server per test file, and per test a project folder and an environment pointing at it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeOpenAIServer } from '../../fake-server';
import { assertBuilt, baseEnv, runCli, scratch, type CliRun } from './cli';
import { reviewerReply } from './reviewer';

export const TEST_KEY = 'test-key-4f1d9a';

export interface CliFixture {
  server: FakeOpenAIServer;
  /** The current test's project folder. */
  dir: string;
  env: Record<string, string | undefined>;
  run(args: string[], options?: { cwd?: string; env?: Record<string, string | undefined> }): Promise<CliRun>;
  write(file: string, text: string): string;
}

export function useCliFixture(): CliFixture {
  const fixture = {} as CliFixture;
  let remove: (() => void) | undefined;
  before(async () => {
    assertBuilt();
    fixture.server = await FakeOpenAIServer.start({ apiKey: TEST_KEY });
  });
  after(async () => {
    await fixture.server.stop();
  });
  beforeEach(() => {
    fixture.server.reset();
    fixture.server.handle(reviewerReply);
    const s = scratch('t');
    remove = s.remove;
    fixture.dir = path.join(s.dir, 'project');
    mkdirSync(fixture.dir, { recursive: true });
    fixture.env = baseEnv(s.dir, { OPENAI_API_KEY: TEST_KEY, AURELIS_BASE_URL: fixture.server.v1Url });
  });
  afterEach(() => remove?.());
  fixture.run = (args, options = {}) => runCli(args, { cwd: options.cwd ?? fixture.dir, env: options.env ?? fixture.env });
  fixture.write = (file, text) => {
    const full = path.join(fixture.dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  };
  return fixture;
}
