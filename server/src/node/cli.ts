/** The `phasegate` process: real file system, built-in assets, exit code. All logic is in cli/main.ts. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../cli/main';
import { NodeFileSystem, assetRoot, loadAssets, toPosix } from './assets';

class NodeCliFileSystem extends NodeFileSystem {
  async createFile(p: string, text: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(p), { recursive: true });
    // 'wx': fail with EEXIST rather than overwrite, atomically, even when another process races us.
    await fs.promises.writeFile(p, text, { flag: 'wx' });
  }
}

// `phasegate check | head`: a closed pipe ends the output, not the process with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const root = assetRoot();
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
main({
  argv: process.argv.slice(2),
  cwd: toPosix(process.cwd()),
  fs: new NodeCliFileSystem(),
  stdout: process.stdout,
  stderr: process.stderr,
  assets: loadAssets(root),
  version,
}).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`phasegate: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
