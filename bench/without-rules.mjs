// The CLI built with an empty rule registry, for the benchmark's reference row "check without rules": what
// reading, parsing, the model, the gates and the output of a check cost by themselves.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where the benchmark builds it (below the repository, so that the CLI finds the schemas and templates). */
export const WITHOUT_RULES_DIR = path.join(here, 'out', 'cli-without-rules');

/** An esbuild plugin that makes the rule registry (server/src/service/rules/index.ts) empty. */
export const withoutRules = {
  name: 'without-rules',
  setup(build) {
    build.onLoad({ filter: /[\\/]service[\\/]rules[\\/]index\.ts$/ }, () => ({ contents: 'export const ALL_RULES = [];', loader: 'ts' }));
  },
};

/** Builds it as the production build builds the CLI (minified, with its code cache) into `outdir`; returns its cli.js. */
export async function buildWithoutRules(outdir = WITHOUT_RULES_DIR) {
  const { buildCli } = await import(pathToFileURL(path.join(here, '..', 'scripts', 'build-cli.mjs')).href);
  await buildCli({ minify: true, logLevel: 'silent', outdir, plugins: [withoutRules] });
  return path.join(outdir, 'cli.js');
}
