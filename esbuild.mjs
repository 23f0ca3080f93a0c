// One bundle per entry (client, server, cli); `vscode` stays external so the .vsix needs no node_modules.
// The CLI is a bundle and a small loader that reads V8's code cache for it (scripts/build-cli.mjs).
import * as esbuild from 'esbuild';
import { CLI_ENTRIES, buildCli } from './scripts/build-cli.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' },
  { entryPoints: ['server/src/node/server.ts'], outfile: 'dist/server.js' },
];

if (watch) {
  // Without a code cache: one from an older bundle would be rejected anyway.
  for (const e of [...entries, ...CLI_ENTRIES]) await (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all([...entries.map((e) => esbuild.build({ ...common, ...e })), buildCli({ minify: production, sourcemap: !production })]);
}
