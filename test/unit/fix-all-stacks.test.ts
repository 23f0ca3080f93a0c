/**
 * Fix all (the editor's, and `check --fix`'s passes) takes the rows of every phase a project plan lacks at
 * once: the add-row fixes insert at one place (the end of a table, a list), and their rows stack there in
 * order, where other edits at one place are one a run.
 */
import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf } from '../helpers/workspace';
import { applyEdits, fixAll } from '../../server/src/service';

const PLAN = 'proj/project_implementation_plan.md';
const WS = 'proj/workstreams';
const PROMPT = (n: number, title: string) =>
  `# Phase ${n}: ${title}\n\n## Objective\n\nDo it.\n\n## Deliverables\n\n- Branching strategy document\n\n## Tests Required\n\n- Unit tests\n\n## Acceptance Criteria\n\n- [ ] It works\n`;

/** `n` Build phases with prompts only (not started), and the plan. */
function files(n: number, plan: string): Record<string, string> {
  const out: Record<string, string> = { [PLAN]: plan };
  for (let k = 1; k <= n; k++) out[`${WS}/Build/Phase_${k}_Step${k}/implementation_prompt.md`] = PROMPT(k, `Step ${k}`);
  return out;
}

const TABLE_PLAN = (rows: number[]) =>
  `# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n| --- | --- | --- |\n${rows.map((k) => `| Build | Phase_${k}_Step${k} | Not started |\n`).join('')}\n## Notes\n\nNone.\n`;
const LIST_PLAN = (rows: number[]) =>
  `# Plan\n\n## Phase Status\n\n### Build\n\n${rows.map((k) => `- [ ] Phase ${k}: Step ${k}\n`).join('')}\n## Notes\n\nNone.\n`;

type Svc = Awaited<ReturnType<typeof workspace>>['svc'];
const missing = (svc: Svc) => diagnosticsOf(svc, PLAN, 'plan-status-mismatch').filter((d) => / has no (?:row|item) /.test(d.message));

describe('fix all: rows a plan lacks, all at once', () => {
  for (const [shape, plan, line] of [
    ['table', TABLE_PLAN, (k: number) => new RegExp(`^\\| Build \\| .*Step${k}\\b.* \\|$`)],
    ['checklist', LIST_PLAN, (k: number) => new RegExp(`^- \\[ \\] .*Phase ${k}\\b`)],
  ] as const) {
    it(`adds the rows of 40 missing phases to a ${shape} in one fix all, in the phases' order, and no other edit at their place`, async () => {
      const { svc } = await workspace(files(42, plan([1, 2])));
      const before = missing(svc);
      assert.equal(before.length, 40, before.map((d) => d.message).join('\n'));
      const all = fixAll(svc, `/ws/${PLAN}`, { placeholders: false });
      assert.ok(all, 'fix all offers something');
      const text = applyEdits(svc.getText(`/ws/${PLAN}`)!, all.change.edits[0].edits);
      const lines = text.split('\n');
      const at = (k: number) => lines.findIndex((l) => line(k).test(l));
      for (let k = 1; k <= 42; k++) assert.ok(at(k) >= 0, `phase ${k} is listed:\n${text}`);
      for (let k = 2; k <= 42; k++) assert.equal(at(k), at(k - 1) + 1, `phase ${k} right after phase ${k - 1}:\n${text}`);
      assert.ok(text.endsWith('\n## Notes\n\nNone.\n'), 'what follows the rows is kept');
      svc.setOverlay(`/ws/${PLAN}`, text);
      assert.deepEqual(
        missing(svc).map((d) => d.message),
        [],
      );
      assert.equal(fixAll(svc, `/ws/${PLAN}`, { placeholders: false }), undefined, 'nothing left to fix');
    });
  }

  it('adds a whole Phase Status table once, not a table for each missing phase', async () => {
    const { svc } = await workspace(files(5, '# Plan\n\n## Phase Status\n\nTo come.\n'));
    assert.equal(missing(svc).length, 5);
    const all = fixAll(svc, `/ws/${PLAN}`, { placeholders: false })!;
    const text = applyEdits(svc.getText(`/ws/${PLAN}`)!, all.change.edits[0].edits);
    assert.equal(text.split('\n').filter((l) => /^\| Workstream \| Phase \| Status \|$/.test(l)).length, 1, text);
  });
});
