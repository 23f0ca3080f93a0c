import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { REPO, buildServer } from './client';

describe('language server: Neovim as the LSP client (test/nvim/run.sh)', function () {
  this.timeout(120_000);

  it('publishes diagnostics to Neovim 0.7 (no pull), offers and applies a Phasegate quick fix', async () => {
    await buildServer();
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        'bash',
        [path.join(REPO, 'test', 'nvim', 'run.sh')],
        { cwd: REPO, timeout: 110_000, env: { ...process.env, PHASEGATE_NO_BUILD: '1' } },
        (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
        },
      );
    });
    assert.equal(code, 0, `run.sh failed (is nvim installed?):\n${output}`);
    assert.match(output, /code=missing-section/);
    assert.match(output, /nvim LSP test: OK/);
  });
});
