import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { gateMatch } from '../../server/src/service/gates';
import { textKey } from '../../server/src/service/handoff';
import type { LayoutSpec } from '../../server/src/service/layout';
import { normalizeTitle } from '../../server/src/service/markdown';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** MB of heap still in use after `run` and full collections: what `run` left reachable. */
function retainedMB(run: () => void): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  run();
  gc();
  gc();
  return (process.memoryUsage().heapUsed - before) / 1e6;
}

/** A 1 MB text holding `word` (lower case, one word: its own key), and `word` sliced out of it, as the model slices titles and items. */
function sliceOfBig(word: string): string {
  const big = 'x '.repeat(500_000) + word + '\n';
  return big.slice(1_000_000, 1_000_000 + word.length);
}

const unique = (i: number) => `implementationdetails${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;

describe('the title, text and gate key caches keep no document alive', () => {
  it('normalizeTitle: 40 titles sliced from 1 MB texts leave well under 40 MB behind', () => {
    const mb = retainedMB(() => {
      for (let i = 0; i < 40; i++) assert.equal(normalizeTitle(sliceOfBig(unique(i))), unique(i));
    });
    assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
  });

  it('textKey: 40 item texts sliced from 1 MB texts leave well under 40 MB behind', () => {
    const mb = retainedMB(() => {
      for (let i = 0; i < 40; i++) assert.equal(textKey(sliceOfBig(unique(i + 100))), unique(i + 100));
    });
    assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
  });

  it('gate matching: 40 section titles sliced from 1 MB texts leave well under 40 MB behind', () => {
    const layout = { name: 'audit' } as LayoutSpec;
    const mb = retainedMB(() => {
      for (let i = 0; i < 40; i++) {
        const title = sliceOfBig(`Review: ${unique(i + 200)}`);
        assert.equal(gateMatch(layout, { key: normalizeTitle(title), title }, 'Review'), 2);
      }
    });
    assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
  });
});
