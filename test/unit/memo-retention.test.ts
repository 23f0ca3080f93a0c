import * as assert from 'node:assert/strict';
import { gateMatch } from '../../server/src/service/gates';
import { textKey } from '../../server/src/service/handoff';
import { expandTitle, fixedHeading, titleNumbers, titleNumbersWrong, titlePrefix } from '../../server/src/service/layout';
import type { LayoutSpec } from '../../server/src/service/layout';
import { normalizeTitle } from '../../server/src/service/markdown';
import { parseThreshold } from '../../server/src/service/rules/doc-quantity';
import { labelledLine } from '../../server/src/service/rules/doc-rationale';
import { expandedTitleKey } from '../../server/src/service/rules/doc-util';
import { retainedMB, sliceOfBig, unique } from '../helpers/retention';

describe("the engine's memos keep no document alive", () => {
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

  it('parseThreshold: 40 cells sliced from 1 MB texts leave well under 40 MB behind (a threshold keeps the word it counts)', () => {
    const mb = retainedMB(() => {
      for (let i = 0; i < 40; i++) assert.equal(parseThreshold(sliceOfBig(`>= 3 ${unique(i + 300)}`))?.word, unique(i + 300));
    });
    assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
  });

  it('gate keys: 40 gate names sliced from 1 MB texts leave well under 40 MB behind', () => {
    const layout = { name: 'audit' } as LayoutSpec;
    const mb = retainedMB(() => {
      for (let i = 0; i < 40; i++) {
        const title = `Review ${unique(i + 340)}`;
        assert.equal(gateMatch(layout, { key: normalizeTitle(title), title }, sliceOfBig(title)), 3);
      }
    });
    assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
  });

  it('templated title keys: 40 titles sliced from 1 MB texts leave well under 40 MB behind', () => {
    const mb = retainedMB(() => {
      for (let i = 0; i < 40; i++) {
        const title = `Phase {N} ${unique(i + 380)}`;
        assert.equal(expandedTitleKey(sliceOfBig(title), 3), normalizeTitle(expandTitle(title, 3)));
      }
    });
    assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
  });

  it('label patterns: 40 labels sliced from 1 MB texts leave well under 40 MB behind', () => {
    const mb = retainedMB(() => {
      for (let i = 0; i < 40; i++) assert.equal(labelledLine(`**${unique(i + 420)}**: because`, sliceOfBig(`(?:why|${unique(i + 420)})`)), 'because');
    });
    assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
  });

  describe("a kind's heading patterns and runs", () => {
    const heading = (i: number) => `Mission {N} ${unique(i)}: `;

    it('titlePrefix and fixedHeading: 40 headings sliced from 1 MB texts each leave well under 40 MB behind', () => {
      const mb = retainedMB(() => {
        for (let i = 0; i < 40; i++) {
          assert.ok(titlePrefix(sliceOfBig(heading(i + 460)))!.test(`Mission 3 ${unique(i + 460)}: Scope`));
          assert.ok(fixedHeading(sliceOfBig(heading(i + 500).trim())).test(`Mission 3 ${unique(i + 500)}:`));
        }
      });
      assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
    });

    it('titleNumbers, read as the heading is written and by the words around the number: well under 40 MB behind', () => {
      const mb = retainedMB(() => {
        for (let i = 0; i < 40; i++) {
          assert.deepEqual(
            titleNumbers(sliceOfBig(heading(i + 540)), 3, `Mission 4 ${unique(i + 540)}: Scope`).map((x) => [x.value, x.want]),
            [[4, 3]],
          );
          assert.deepEqual(
            titleNumbers(sliceOfBig(heading(i + 580)), 3, `Plan for Mission 3`).map((x) => [x.value, x.want]),
            [[3, 3]],
          );
        }
      });
      assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
    });

    it('titleNumbersWrong: 40 headings sliced from 1 MB texts leave well under 40 MB behind', () => {
      const mb = retainedMB(() => {
        for (let i = 0; i < 40; i++) assert.equal(titleNumbersWrong(sliceOfBig(heading(i + 620)), 3, `Mission 4 ${unique(i + 620)}: Scope`), true);
      });
      assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
    });
  });
});
