/**
 * The pipeline of bench/pipeline.ts as users run it: Aurelis's code bundled and minified by
 * esbuild the way `npm run package` builds dist/ (one scope, no module wrappers). Run from
 * source through tsx, every imported name is read through a getter and every named closure is
 * wrapped at creation; on a path that costs tens of microseconds, those artefacts alone moved
 * the overhead figures. Packages (the `openai` SDK among them) stay external, so the pipeline
 * and the bare-SDK baseline run the very same SDK code.
 */
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type * as PipelineSource from './pipeline';

type PipelineModule = typeof PipelineSource;

/** Inside node_modules, so the bundle's `require`s of packages resolve as the project's do. */
const OUT_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'aurelis-bench');

let built: PipelineModule | undefined;

export async function productionPipeline(): Promise<PipelineModule> {
  if (built) return built;
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = path.join(OUT_DIR, 'pipeline.cjs');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'pipeline.ts')],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  built = require(outfile) as PipelineModule;
  return built;
}
