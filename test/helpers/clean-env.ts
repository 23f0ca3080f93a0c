/**
 * Loaded before the tests (.mocharc.json `require`): the CLI processes the tests start inherit this
 * environment, and in a GitHub Actions job `phasegate check` would add annotations to its text output and
 * write the job's summary. The tests that mean those give their environment themselves (test/cli/github.test.ts).
 * The CLI's own code cache (server/src/node/code-cache.ts) goes to a folder of the test run's, not the
 * user's cache folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

for (const name of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'GITHUB_WORKSPACE', 'PHASEGATE_CODE_CACHE']) delete process.env[name];
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-code-cache-'));
process.env.PHASEGATE_CACHE_DIR = cacheDir;
process.on('exit', () => fs.rmSync(cacheDir, { recursive: true, force: true }));
