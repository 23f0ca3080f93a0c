/**
 * Navigation between the two sides of a handoff (server/src/service/handoff-nav.ts): an item of phase N+1's input
 * handoff leads to the item of phase N's output handoff it comes from, and back, matched as the handoff rules
 * match them: inputs by path or name, prerequisites and open questions by what they state, lists or table rows.
 */
import * as assert from 'node:assert/strict';
import { handoffCounterparts } from '../../server/src/service/handoff-nav';
import type { PhasegateService } from '../../server/src/service';
import { ROOT, diagnosticsOf, workspace } from '../helpers/workspace';

const OUT = 'phase-1/06-OUTPUT_HANDOFF.md';
const IN = 'phase-2/01-INPUT_HANDOFF.md';

const OUTPUT = [
  '# Phase 1 → Phase 2 Handoff', // 0
  '',
  '## Phase 2 Prerequisites', // 2
  '',
  '- [x] Staging cluster provisioned', // 4
  '- [x] Audit report reviewed by the team', // 5
  '',
  '## Phase 2 Inputs', // 7
  '',
  '- Audit report: [report](03-FINDINGS/report.md) - findings to remediate', // 9
  '- Coverage baseline: [coverage](04-ARTIFACTS/coverage.md) - per module', // 10
  '- Release notes: [notes](04-ARTIFACTS/notes.md) - not received yet', // 11
  '',
  '## Open Questions', // 13
  '',
  '- Should notebooks count towards coverage?', // 15
  '',
].join('\n');

const INPUT = [
  '# Phase 2 Input Handoff', // 0
  '',
  '## Source', // 2
  '',
  'The output handoff of Phase 1: [handoff](../phase-1/06-OUTPUT_HANDOFF.md).', // 4
  '',
  '## Inputs Received', // 6
  '',
  '| Input | Location | Description |', // 8
  '| --- | --- | --- |',
  '| Audit report | [report](../phase-1/03-FINDINGS/report.md) | findings to remediate |', // 10
  '',
  '- Coverage baseline: the per-module numbers', // 12
  '- Extra input: [other](../phase-1/04-ARTIFACTS/other.md) - not handed off', // 13
  '',
  '## Prerequisites', // 15
  '',
  '| Prerequisite | Status |', // 17
  '| --- | --- |',
  '| Staging cluster provisioned | ✅ Met |', // 19
  '',
  '- [x] Audit report reviewed by the team', // 21
  '',
  '## Open Questions', // 23
  '',
  '- Should notebooks count towards coverage? Decided here: no.', // 25
  '',
].join('\n');

const ARTIFACTS = {
  'phase-1/03-FINDINGS/report.md': '# Report\n',
  'phase-1/04-ARTIFACTS/coverage.md': '# Coverage\n',
  'phase-1/04-ARTIFACTS/notes.md': '# Notes\n',
  'phase-1/04-ARTIFACTS/other.md': '# Other\n',
};

async function engine(files: Record<string, string> = {}): Promise<PhasegateService> {
  const { svc } = await workspace({ [OUT]: OUTPUT, [IN]: INPUT, ...ARTIFACTS, ...files });
  return svc;
}

/** Where the item at `line` of `rel` leads: `file:line` of each match, or undefined when no item is there. */
function leads(svc: PhasegateService, rel: string, line: number): string[] | undefined {
  const found = handoffCounterparts(svc, `${ROOT}/${rel}`, line);
  return found?.counterparts.map((c) => `${c.path.slice(ROOT.length + 1)}:${c.range.start.line}`);
}

describe('handoff navigation', () => {
  it('an input received leads to the output handoff item that hands it off: a row by its path, an item by its name', async () => {
    const svc = await engine();
    assert.deepEqual(leads(svc, IN, 10), [`${OUT}:9`]);
    assert.deepEqual(leads(svc, IN, 12), [`${OUT}:10`]);
    // Received, but handed off by nothing: an item with no match (handoff-mismatch reports it).
    assert.deepEqual(leads(svc, IN, 13), []);
    assert.ok(
      diagnosticsOf(svc, IN).some((d) => d.code === 'handoff-mismatch' && d.range.start.line === 13),
      'the rules read the same item as not handed off',
    );
  });

  it('a prerequisite leads to the one the output handoff lists, a table row or a list item; an open question to its question', async () => {
    const svc = await engine();
    assert.deepEqual(leads(svc, IN, 19), [`${OUT}:4`]);
    assert.deepEqual(leads(svc, IN, 21), [`${OUT}:5`]);
    // The question carried over, with the answer written after it.
    assert.deepEqual(leads(svc, IN, 25), [`${OUT}:15`]);
  });

  it('an output handoff item leads to the items of the next phase that receive it', async () => {
    const svc = await engine();
    assert.deepEqual(leads(svc, OUT, 9), [`${IN}:10`]);
    assert.deepEqual(leads(svc, OUT, 10), [`${IN}:12`]);
    assert.deepEqual(leads(svc, OUT, 4), [`${IN}:19`]);
    assert.deepEqual(leads(svc, OUT, 5), [`${IN}:21`]);
    assert.deepEqual(leads(svc, OUT, 15), [`${IN}:25`]);
    // Handed off, not received (yet).
    assert.deepEqual(leads(svc, OUT, 11), []);
  });

  it('the item itself is told by the range of its text', async () => {
    const svc = await engine();
    const found = handoffCounterparts(svc, `${ROOT}/${IN}`, 21)!;
    assert.deepEqual(found.at, { start: { line: 21, character: 6 }, end: { line: 21, character: 39 } });
    assert.deepEqual(found.counterparts[0].range, { start: { line: 5, character: 6 }, end: { line: 5, character: 39 } });
  });

  it('no item there, no handoff, or no phase on the other side: nothing', async () => {
    const svc = await engine({ 'phase-1/01-INPUT_HANDOFF.md': INPUT, 'phase-2/06-OUTPUT_HANDOFF.md': OUTPUT });
    // Headings, the source's prose, blank lines after an item, lines past the end.
    for (const line of [0, 4, 6, 11, 14, 22, 26, 400]) assert.equal(leads(svc, IN, line), undefined, `line ${line}`);
    // Phase 1 follows no phase; phase 2 is followed by none.
    assert.equal(leads(svc, 'phase-1/01-INPUT_HANDOFF.md', 21), undefined);
    assert.equal(leads(svc, 'phase-2/06-OUTPUT_HANDOFF.md', 9), undefined);
    // A document that is no handoff, and a file outside any phase.
    assert.equal(leads(svc, 'phase-1/03-FINDINGS/report.md', 0), undefined);
    assert.equal(handoffCounterparts(svc, `${ROOT}/README.md`, 0), undefined);
  });

  it('the next phase without an input handoff: the output handoff items lead nowhere', async () => {
    const { svc } = await workspace({ [OUT]: OUTPUT, ...ARTIFACTS, 'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Work\n' });
    assert.deepEqual(leads(svc, OUT, 9), []);
  });
});
