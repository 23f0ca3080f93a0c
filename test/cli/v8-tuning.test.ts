/** The V8 settings of the `phasegate` process: applied by default, never over the user's own. */
import * as assert from 'node:assert/strict';
import { tuneForBatchRun } from '../../server/src/node/v8-tuning';

describe('phasegate process: V8 settings for a batch run', () => {
  function flagsSet(execArgv: string[], nodeOptions: string): string[] {
    const set: string[] = [];
    tuneForBatchRun(execArgv, nodeOptions, (f) => set.push(f));
    return set;
  }

  it('lowers the inlining budget of the optimising compiler', () => {
    assert.deepEqual(flagsSet([], ''), ['--max-inlined-bytecode-size-cumulative=150']);
    assert.deepEqual(flagsSet(['--enable-source-maps'], '--max-old-space-size=4096'), ['--max-inlined-bytecode-size-cumulative=150']);
  });

  it("leaves the budget to the user when node's arguments or NODE_OPTIONS set it", () => {
    assert.deepEqual(flagsSet(['--max-inlined-bytecode-size-cumulative=920'], ''), []);
    assert.deepEqual(flagsSet([], '--max-inlined-bytecode-size-cumulative=920'), []);
  });
});
