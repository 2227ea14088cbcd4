/** `aurelis init`: writes a commented `.aurelis.yaml` in the current folder. */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError, EXIT, type ExitCode } from '../exitCodes';
import { PROJECT_FILE } from '../projectFile';
import { say } from '../terminal';

export const PROJECT_TEMPLATE = `# Aurelis project settings (https://example.invalid/aurelis#configuration).
# Commit this file; never put an API key here — set AURELIS_API_KEY (or the provider's
# usual variable, such as OPENAI_API_KEY or GITHUB_TOKEN) in the environment instead.

# openai | azure-ai-foundry | openrouter | ollama | lmstudio | custom | github-models
provider: openai
# base_url: https://my-gateway.example.com/v1   # required for azure-ai-foundry and custom

# Model chain per task, tried in order (generate, review, explain, optimize, document, test, fix).
# models:
#   review: [gpt-4o, gpt-4o-mini]
#   explain: gpt-4o-mini

cache:
  enabled: true
  ttl_minutes: 60

processing:
  max_concurrent: 5     # requests in flight at once
  max_retries: 3        # retries after a failed attempt (rate limits, outages)
  timeout: 120          # seconds per request
  chunk_size: 3500      # tokens of code per review request; larger files are split

cost_management:
  # daily_budget: 5.00  # US dollars; requests are refused past it (exit code 4)
  # monthly_budget: 50
  warn_at: 0.8

security:
  # ask behaves as block on the command line; redact sends secrets as [REDACTED:kind]
  secret_scan: block

review:
  fail_on: error        # error | warning | info | never
  context_lines: 20     # lines shown around each change (--changed, --staged)
`;

export async function init(options: { force?: boolean }): Promise<ExitCode> {
  const file = path.resolve(PROJECT_FILE);
  if (existsSync(file) && !options.force) throw new CliError(`${PROJECT_FILE} already exists here. Edit it, or run "aurelis init --force" to replace it.`);
  await writeFile(file, PROJECT_TEMPLATE);
  say(`Wrote ${PROJECT_FILE}. Next: set AURELIS_API_KEY (or your provider's usual variable) and run "aurelis auth status".`);
  return EXIT.ok;
}
