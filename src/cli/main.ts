/**
 * The `aurelis` command line: the same core as the editor (src/core), with keys from the
 * environment, `.aurelis.yaml`, and exit codes CI can act on (see exitCodes.ts). Results go to
 * stdout (or --output), messages to stderr.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isAurelisError } from '../core/errors';
import { FAIL_ON } from '../core/review/formats/summary';
import { PROVIDER_IDS } from '../core/types';
import { authStatus } from './commands/auth';
import { explain } from './commands/explain';
import { generate } from './commands/generate';
import { health } from './commands/health';
import { hookInstall } from './commands/hook';
import { init } from './commands/init';
import { cacheClear, logs } from './commands/maintenance';
import { models } from './commands/models';
import { collectVariable, promptEval, promptRun, PROMPT_EVAL_FORMATS } from './commands/prompt';
import { review, REVIEW_FORMATS } from './commands/review';
import { usage, USAGE_FORMATS } from './commands/usage';
import { describeError } from './errorText';
import { CliError, EXIT, exitCodeFor, type ExitCode } from './exitCodes';
import { onInterrupt, type Interrupt } from './interrupt';
import { loadConfiguration, openSession, type GlobalOptions, type Session } from './session';
import { say } from './terminal';
import { CLI_VERSION } from './version';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number.');
  return n;
}

export function buildProgram(run: (job: (command: Command) => Promise<ExitCode>) => (...args: unknown[]) => Promise<void>): Command {
  const program = new Command('aurelis')
    .description('AI code review, explanations and code generation from the command line, with budgets, caching, rate-limit pacing and a usage ledger.')
    .version(CLI_VERSION, '-V, --version', 'print the version')
    .option('-c, --config <file>', 'the project file to read (default: the nearest .aurelis.yaml from here upward)')
    .addOption(new Option('--provider <id>', 'the provider (overrides AURELIS_PROVIDER and .aurelis.yaml)').choices(PROVIDER_IDS))
    .option('--base-url <url>', "the provider's endpoint (overrides AURELIS_BASE_URL and base_url)")
    .option('-m, --model <id>', 'use this model for every task (instead of the task chains)')
    .addOption(new Option('--secrets <policy>', 'what to do with secrets in code about to be sent: block (the default on the command line) or redact').choices(['block', 'redact']))
    .option('-v, --verbose', 'log what the core does (stderr)')
    .showHelpAfterError('(run with --help for usage)')
    // Set before the subcommands are added, so they inherit it: a usage error is exit code 2, not a process exit.
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command('init')
    .description('write a commented .aurelis.yaml in the current folder')
    .option('-f, --force', 'replace an existing .aurelis.yaml')
    .action(run((cmd) => init(cmd.opts())));

  const auth = program.command('auth').description('API key and endpoint');
  auth
    .command('status')
    .description('show the provider, its endpoint and where the key comes from (the variable, never the key)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(run(async (cmd) => authStatus(await loadConfiguration(cmd.optsWithGlobals()), cmd.opts())));

  program
    .command('models')
    .description("list the provider's models with their limits and rate tiers")
    .option('--refresh', 'fetch the list again instead of using the one saved in the last hour')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(run((cmd) => withSession(cmd, (s) => models(s, cmd.opts()))));

  program
    .command('health')
    .description('send one tiny request to each model of the task chains and show latency or the failure')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(run((cmd) => withSession(cmd, (s, i) => health(s, cmd.opts(), i.signal))));

  program
    .command('review')
    .description('review files, folders, or the changed lines of a git repository')
    .argument('[paths...]', 'files and folders to review (default: the current folder); with --changed/--staged, limits the review to these')
    .option('--changed [base]', 'review the lines changed against a base (default HEAD; a branch means its merge base, as a pull request shows)')
    .option('--staged', 'review the staged changes (what the next commit holds)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(REVIEW_FORMATS))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit with 1 when a finding is at or above this severity').choices(FAIL_ON))
    .option('--chunk-tokens <n>', 'tokens of code per request; larger files are split (default 3500)', positiveInt)
    .option('--context-lines <n>', 'lines of context around each change (default 20)', wholeNumber)
    .action(run((cmd) => withSession(cmd, (s, i) => review(s, cmd.args, cmd.opts(), i))));

  program
    .command('explain')
    .description('explain a file or some of its lines; the answer streams to stdout')
    .argument('<file>', 'a file, optionally with lines: src/app.ts:10-42')
    .action(run((cmd) => withSession(cmd, (s, i) => explain(s, cmd.args[0] as string, i.signal))));

  program
    .command('generate')
    .description('generate code from an instruction; the code goes to stdout (nothing is written into your files)')
    .argument('<instruction>', 'what to generate, in quotes')
    .option('--file <file>', 'a file whose code the new code follows (for context; the file is not changed)')
    .option('--language <id>', 'the language to write in (default: from --file)')
    .option('-o, --output <file>', 'write the code to a file instead of stdout')
    .action(run((cmd) => withSession(cmd, (s, i) => generate(s, cmd.args[0] as string, cmd.opts(), i.signal))));

  const prompt = program.command('prompt').description("prompt files (.prompt.yml, GitHub's format): run one, or evaluate its test rows");
  prompt
    .command('run')
    .description("print a prompt file's answer")
    .argument('<file>', 'the prompt file')
    .option('--var <name=value>', 'a value for a {{variable}} (repeatable)', collectVariable, {})
    .action(run((cmd) => withSession(cmd, (s, i) => promptRun(s, cmd.args[0] as string, cmd.opts<{ var: Record<string, string> }>().var, i.signal))));
  prompt
    .command('eval')
    .description('run every testData row through the evaluators and print a table of rows × evaluators; exit 1 when a row fails')
    .argument('<file>', 'the prompt file')
    .addOption(new Option('--format <format>', 'output format').choices(PROMPT_EVAL_FORMATS).default('text'))
    .option('-o, --output <file>', 'write the table to a file instead of stdout')
    .action(run((cmd) => withSession(cmd, (s, i) => promptEval(s, cmd.args[0] as string, cmd.opts(), i.signal))));

  program
    .command('usage')
    .description('requests, tokens and cost from the usage ledger, or an export of it')
    .option('--period <period>', 'today, week, month, or <from>..<to> (dates, e.g. 2026-11-01..2026-11-30)', 'month')
    .addOption(new Option('--format <format>', 'output format').choices(USAGE_FORMATS).default('text'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(run((cmd) => withSession(cmd, (s) => usage(s, cmd.opts()))));

  const cache = program.command('cache').description('the response cache');
  cache
    .command('clear')
    .description("remove every cached answer (memory and disk); with --team, the team's answers in Redis instead")
    .option('--team', "clear the team's cache in Redis (AURELIS_REDIS_URL): every member's answers")
    .action(run((cmd) => withSession(cmd, (s, interrupt) => cacheClear(s, cmd.opts(), interrupt))));

  program
    .command('logs')
    .description('audit log lines (JSON Lines): who sent what kind of request where, security events')
    .option('--since <when>', 'today, yesterday, 30m, 2h, 7d, or a date/time')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(run((cmd) => withSession(cmd, (s) => logs(s, cmd.opts()))));

  const hook = program.command('hook').description('git hooks');
  hook
    .command('install')
    .description('install a pre-commit hook that reviews staged changes and stops the commit on error-level findings')
    .option('--force', 'replace an existing pre-commit hook')
    .addOption(new Option('--fail-on <severity>', 'the severity that stops a commit').choices(FAIL_ON).default('error'))
    .action(run((cmd) => hookInstall(cmd.opts())));

  return program;
}

/** Opens the core for one command, and closes it (ledger and audit log written out) whatever happens. */
async function withSession(cmd: Command, job: (session: Session, interrupt: Interrupt) => Promise<ExitCode>): Promise<ExitCode> {
  const session = await openSession(cmd.optsWithGlobals<GlobalOptions>());
  const interrupt = onInterrupt(say);
  try {
    return await job(session, interrupt);
  } finally {
    interrupt.dispose();
    await session.close();
  }
}

export async function main(argv: string[]): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const run =
    (job: (command: Command) => Promise<ExitCode>) =>
    async (...args: unknown[]): Promise<void> => {
      code = await job(args[args.length - 1] as Command);
    };
  const program = buildProgram(run);
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) // `commander.help` is help shown because no command was given: a usage error.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    if (e instanceof CliError) {
      say(`aurelis: ${e.message}`);
      return e.exitCode;
    }
    if (isAurelisError(e)) {
      say(`aurelis: ${describeError(e)}`);
      return exitCodeFor(e.kind);
    }
    say(`aurelis: unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT.provider;
  }
}
