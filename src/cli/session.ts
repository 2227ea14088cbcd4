/**
 * One command's view of Aurelis: the project file, the settings built from it, and the core
 * composed exactly as the editor composes it (src/core/composition.ts) — with keys from the
 * environment, data under AURELIS_HOME, and nobody to ask about secrets.
 */
import { pathToFileURL } from 'node:url';
import { composeCore, workspaceHash, type Core } from '../core/composition';
import { MemoryKeyStore, type Logger } from '../core/host';
import { buildSettings, type CliSettings, type ConnectionFlags } from './cliSettings';
import { aurelisHome, keyEnvironment } from './environment';
import { loadProject, type LoadedProject } from './projectFile';
import { stderrLogger } from './terminal';
import { CLI_VERSION } from './version';

export interface GlobalOptions extends ConnectionFlags {
  config?: string;
  verbose?: boolean;
}

export interface Configuration extends CliSettings {
  project: LoadedProject;
  home: string;
  env: Record<string, string | undefined>;
}

/** Settings only (no core): for commands that send nothing. */
export async function loadConfiguration(options: GlobalOptions, cwd = process.cwd(), env = process.env): Promise<Configuration> {
  const project = await loadProject(cwd, options.config);
  return { ...buildSettings(project.config, env, options), project, home: aurelisHome(env), env: keyEnvironment(env) };
}

export interface Session extends Configuration {
  core: Core;
  log: Logger;
  close(): Promise<void>;
}

export async function openSession(options: GlobalOptions, cwd = process.cwd(), env = process.env): Promise<Session> {
  const config = await loadConfiguration(options, cwd, env);
  const log = stderrLogger(options.verbose === true);
  const core = await composeCore({
    storageDir: config.home,
    settings: () => config.settings,
    keys: new MemoryKeyStore(),
    log,
    env: config.env,
    workspaceHash: workspaceHash([pathToFileURL(config.project.root).toString()]),
    // The link itself logs each change (a warning when Redis goes away), once: nothing more to say here.
    team: { password: async () => config.redisPassword, onNotice: () => undefined },
    telemetry: { serviceName: 'aurelis-cli', serviceVersion: CLI_VERSION },
  });
  return { ...config, core, log, close: () => core.dispose() };
}
