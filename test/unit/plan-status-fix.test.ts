/**
 * The plan fix of a status that disagrees with the phase (plan-status-mismatch, `set-plan-status`): the row's status set
 * to the phase's in the plan's own words and shape — a table's Status cell (its padding, its ✅, the plan's word for
 * complete), a checklist item's box and status words, an item or row under a status heading moved under the heading of
 * the phase's status — and nothing else of the row touched. Where no such edit is clearly right, none is offered.
 */
import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { PLAN, WS, PROMPT, PASSED, FAILED, files } from '../helpers/plan-fixtures';
import { applyEdits, codeActions, fixAllRepeated } from '../../server/src/service';

const FILE = `${ROOT}/${PLAN}`;

type Svc = Awaited<ReturnType<typeof workspace>>['svc'];
const mismatches = (svc: Svc) => diagnosticsOf(svc, PLAN, 'plan-status-mismatch');

/** The plan after the status fix of the problem that names `id` (one fix, of that problem's row alone). */
async function fixedStatus(text: string, id: string, extra: Record<string, string> = {}, resp = PASSED): Promise<string> {
  const { svc } = await workspace(files(text, resp, extra));
  const d = mismatches(svc).find((x) => x.message.startsWith(`The plan marks ${id} `));
  assert.ok(d, `no status problem of ${id}: ${JSON.stringify(mismatches(svc).map((x) => x.message))}`);
  const actions = codeActions(svc, [d]);
  assert.equal(actions.length, 1, `one fix for ${id} in:\n${text}`);
  const out = applyEdits(text, actions[0].change.edits[0].edits)!;
  svc.setOverlay(FILE, out);
  assert.deepEqual(
    mismatches(svc)
      .filter((x) => x.message.startsWith(`The plan marks ${id} `))
      .map((x) => x.message),
    [],
    out,
  );
  return out;
}

/** No status fix is offered for the problem that names `id`. */
async function noFix(text: string, id: string): Promise<void> {
  const { svc } = await workspace(files(text));
  const d = mismatches(svc).find((x) => x.message.startsWith(`The plan marks ${id} `));
  assert.ok(d, JSON.stringify(mismatches(svc).map((x) => x.message)));
  // The problem names the fix: it is the fix that finds nothing right to do.
  assert.deepEqual(d.data, { fix: 'set-plan-status', phase: id, phases: [id] });
  assert.deepEqual(
    codeActions(svc, [d]).map((a) => a.title),
    [],
  );
}

/** The plan once Fix all has been applied (as the editor applies it on save), and the status problems left. */
async function fixedAll(text: string): Promise<{ out: string; left: string[] }> {
  const { svc } = await workspace(files(text));
  const a = fixAllRepeated(svc, FILE);
  assert.ok(a, 'fix all has something to do');
  const out = applyEdits(text, a.change.edits[0].edits)!;
  svc.setOverlay(FILE, out);
  return { out, left: mismatches(svc).map((x) => x.message.replace(/, but .*/, '')) };
}

describe('plan fix: a status that disagrees with the phase', () => {
  it("sets a table's Status cell in the plan's words, its padding and ✅ kept, the rest of the row untouched", async () => {
    // Aligned as table formatters align (✅, ⬜ and 🔄 two columns wide).
    const text = [
      '# Plan',
      '',
      '## Phase Status',
      '',
      '| Workstream | Phase        | Status         | Notes       |',
      '| ---------- | ------------ | -------------- | ----------- |',
      '| Build      | Phase_1_CI   | ⬜ Not started | [log](x.md) |',
      '| Build      | Phase_2_Deps | 🔄 In progress |             |',
      '| Test       | Phase_3_UAT  | ✅ Complete    | 2025-03-01  |',
      '',
    ].join('\n');
    assert.equal(await fixedStatus(text, 'Build/Phase_1_CI'), text.replace('| ⬜ Not started | [log](x.md) |', '| ✅ Complete    | [log](x.md) |'));
    assert.equal(await fixedStatus(text, 'Test/Phase_3_UAT'), text.replace('| ✅ Complete    | 2025-03-01  |', '| ⬜ Not started | 2025-03-01  |'));
  });

  it("writes complete as the plan's other complete rows do (`Completed`), in a row whose phase is named by a link", async () => {
    const link = '[Phase 1: CI Setup](workstreams/Build/Phase_1_CI/implementation_prompt.md)';
    const text = `# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n|---|---|---|\n| Build | ${link} | Not started |\n| Build | Phase 2: Dependencies | Not started |\n| Test | Phase 3 | Completed |\n`;
    assert.equal(await fixedStatus(text, 'Build/Phase_1_CI'), text.replace(`${link} | Not started |`, `${link} | Completed |`));
    assert.equal(await fixedStatus(text, 'Test/Phase_3_UAT'), text.replace('| Phase 3 | Completed |', '| Phase 3 | Not started |'));
    // No row of its status to copy (a phase blocked by a failed gate): in the plan's casing (`Not started`: `Blocked`).
    assert.equal(await fixedStatus(text.replace('Not started', 'Completed'), 'Build/Phase_1_CI', {}, FAILED), text.replace('| Not started |', '| Blocked |'));
    // A plan whose statuses lead with symbols and that has no complete row yet: ✅ before Complete.
    const symbols =
      '# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n|---|---|---|\n| Build | Phase 1 | ⏳ Pending |\n| Build | Phase 2 | 🔄 In progress |\n';
    assert.equal(await fixedStatus(symbols, 'Build/Phase_1_CI'), symbols.replace('⏳ Pending', '✅ Complete'));
  });

  it('keeps CRLF line endings, and emphasis around the status', async () => {
    const text =
      '# Plan\r\n\r\n## Phase Status\r\n\r\n| Workstream | Phase | Status |\r\n|---|---|---|\r\n| Build | Phase 1 | **Not started** |\r\n| Build | Phase 2 | In progress |\r\n';
    assert.equal(await fixedStatus(text, 'Build/Phase_1_CI'), text.replace('**Not started**', '**Complete**'));
  });

  it("in a plan of one table per workstream, takes the plan's complete word from another workstream's table", async () => {
    const text =
      '# Plan\n\n## Phase Status\n\n### Build Workstream\n\n| Phase | Status |\n|---|---|\n| Phase 1: CI Setup | Not started |\n| Phase 2: Dependencies | In progress |\n\n' +
      '### Test Workstream\n\n| Phase | Status |\n|---|---|\n| Phase 3: UAT | Verified & Integrated |\n';
    assert.equal(await fixedStatus(text, 'Build/Phase_1_CI'), text.replace('CI Setup | Not started', 'CI Setup | Verified & Integrated'));
    assert.equal(await fixedStatus(text, 'Test/Phase_3_UAT'), text.replace('| Verified & Integrated |', '| Not started |'));
  });

  it("ticks or unticks a checklist item's box and replaces its status words, its link and notes kept", async () => {
    const text =
      '# Plan\n\n## Phase Status\n\n### Build Workstream\n\n- [ ] [Phase_1_CI](workstreams/Build/Phase_1_CI/implementation_prompt.md) — Not started (since May)\n- [ ] Phase 2: Dependencies — In progress\n\n' +
      '### Test Workstream\n\n- [x] Phase 3: UAT — Done\n';
    assert.equal(await fixedStatus(text, 'Build/Phase_1_CI'), text.replace('- [ ] [Phase_1_CI]', '- [x] [Phase_1_CI]').replace('— Not started', '— Done'));
    assert.equal(await fixedStatus(text, 'Test/Phase_3_UAT'), text.replace('- [x] Phase 3: UAT — Done', '- [ ] Phase 3: UAT — Not started'));
    // A ticked box alone: unticked. A `Status: …` sub-item: its value.
    const sub =
      '# Plan\n\n## Phase Status\n\n### Test\n\n- [x] Phase 3: UAT\n\n### Build\n\n- Phase 1: CI Setup\n  - Status: Planned\n- Phase 2\n  - Status: ✅ Complete\n';
    assert.equal(await fixedStatus(sub, 'Test/Phase_3_UAT'), sub.replace('- [x] Phase 3', '- [ ] Phase 3'));
    assert.equal(await fixedStatus(sub, 'Build/Phase_1_CI'), sub.replace('Status: Planned', 'Status: ✅ Complete'));
  });

  it("moves an item under a status heading to the heading of its phase's status, its box set as there", async () => {
    const text =
      '# Plan\n\n## Phase Status\n\n### Completed\n\n- [x] Test Phase 3: UAT\n\n### In Progress\n\n- [ ] Build Phase 2: Dependencies\n\n### Not Started\n\n- [ ] Build Phase 1: CI Setup\n- [ ] Build Phase 4: Docs\n';
    const docs = { [`${WS}/Build/Phase_4_Docs/implementation_prompt.md`]: PROMPT(4, 'Docs') };
    assert.equal(
      await fixedStatus(text, 'Build/Phase_1_CI', docs),
      text.replace('- [x] Test Phase 3: UAT\n', '- [x] Test Phase 3: UAT\n- [x] Build Phase 1: CI Setup\n').replace('- [ ] Build Phase 1: CI Setup\n', ''),
    );
    assert.equal(
      await fixedStatus(text, 'Test/Phase_3_UAT', docs),
      text.replace('- [x] Test Phase 3: UAT\n\n', '').replace('Phase 4: Docs\n', 'Phase 4: Docs\n- [ ] Test Phase 3: UAT\n'),
    );
    // Under workstream headings, with CRLF: the item goes to its own workstream's status heading, right under it when
    // nothing is there yet.
    const crlf =
      '# Plan\r\n\r\n## Phase Status\r\n\r\n### Build\r\n\r\n#### Completed\r\n\r\n#### Not Started\r\n\r\n- Phase 1: CI Setup\r\n- Phase 2: Dependencies\r\n\r\n' +
      '### Test\r\n\r\n#### Completed\r\n\r\n- Phase 3: UAT\r\n';
    assert.equal(
      await fixedStatus(crlf, 'Build/Phase_1_CI'),
      crlf
        .replace('#### Completed\r\n\r\n#### Not', '#### Completed\r\n\r\n- Phase 1: CI Setup\r\n\r\n#### Not')
        .replace('- Phase 1: CI Setup\r\n- Phase 2', '- Phase 2'),
    );
  });

  it('moves a blocked phase under the heading of the phases in progress when the plan has none of blocked ones', async () => {
    // Phase 1's tests failed: blocked. A numbered list numbered `1.` throughout gets `1.` again.
    const text =
      '# Plan\n\n## Phase Status\n\n### Completed\n\n1. Build Phase 1: CI Setup\n\n### In Progress\n\n1. Build Phase 2: Dependencies\n1. Test Phase 3: UAT\n';
    assert.equal(
      await fixedStatus(text, 'Build/Phase_1_CI', {}, FAILED),
      '# Plan\n\n## Phase Status\n\n### Completed\n\n### In Progress\n\n1. Build Phase 2: Dependencies\n1. Test Phase 3: UAT\n1. Build Phase 1: CI Setup\n',
    );
    // Counted on in a list numbered in order; a heading of blocked phases first.
    const blocked = text.replace('1. Test Phase 3', '2. Test Phase 3');
    assert.equal(
      await fixedStatus(blocked, 'Build/Phase_1_CI', {}, FAILED),
      blocked.replace('1. Build Phase 1: CI Setup\n\n', '').replace('UAT\n', 'UAT\n3. Build Phase 1: CI Setup\n'),
    );
    const held = `${text}\n### Blocked\n\n- Test Phase 4: Load\n`;
    assert.equal(
      await fixedStatus(held, 'Build/Phase_1_CI', {}, FAILED),
      held.replace('1. Build Phase 1: CI Setup\n\n', '').replace('- Test Phase 4: Load\n', '- Test Phase 4: Load\n- Build Phase 1: CI Setup\n'),
    );
  });

  it("gives the item its workstream's heading under that of its status, or the reverse, where the plan has none there", async () => {
    // Status sections over workstream headings: `### Build` copied under `## Completed`, at its end.
    const top = '# Plan\n\n## Completed\n\n### Test\n\n- Phase 3: UAT\n\n## Not Started\n\n### Build\n\n- Phase 1: CI Setup\n- Phase 2: Dependencies\n';
    assert.equal(
      await fixedStatus(top, 'Build/Phase_1_CI'),
      top.replace('- Phase 3: UAT\n', '- Phase 3: UAT\n\n### Build\n\n- Phase 1: CI Setup\n').replace('- Phase 1: CI Setup\n- Phase 2', '- Phase 2'),
    );
    // Workstream headings over status headings: `#### Completed`, as Test's is titled, at the end of Build's section.
    const nested =
      '# Plan\n\n## Phase Status\n\n### Build\n\n#### Not Started\n\n- Phase 1: CI Setup\n- Phase 2: Dependencies\n\n### Test\n\n#### ✅ Completed\n\n- Phase 3: UAT\n';
    assert.equal(
      await fixedStatus(nested, 'Build/Phase_1_CI'),
      nested.replace('- Phase 1: CI Setup\n- Phase 2: Dependencies\n', '- Phase 2: Dependencies\n\n#### ✅ Completed\n\n- Phase 1: CI Setup\n'),
    );
  });

  it('moves a row of a table under a status heading into the table of its status, of the same columns', async () => {
    const text =
      '# Plan\n\n## Phase Status\n\n### Completed\n\n| Workstream | Phase |\n|---|---|\n| Test | Phase 3: UAT |\n\n### Not Started\n\n| Workstream | Phase |\n|---|---|\n| Build | Phase 1: CI Setup |\n| Build | Phase 2: Dependencies |\n';
    assert.equal(
      await fixedStatus(text, 'Build/Phase_1_CI'),
      text
        .replace('| Test | Phase 3: UAT |\n', '| Test | Phase 3: UAT |\n| Build | Phase 1: CI Setup |\n')
        .replace('| Build | Phase 1: CI Setup |\n| Build | Phase 2', '| Build | Phase 2'),
    );
  });

  it('offers nothing where the plan has no place of that status to move it to', async () => {
    // No heading of not started: the item is not moved elsewhere, nor its box unticked under "Completed".
    await noFix(
      '# Plan\n\n## Phase Status\n\n### Completed\n\n- [x] Test Phase 3: UAT\n- [x] Build Phase 1\n\n### In Progress\n\n- Build Phase 2\n',
      'Test/Phase_3_UAT',
    );
    // A table whose columns differ from the one under the other heading.
    await noFix(
      '# Plan\n\n## Phase Status\n\n### Completed\n\n| Workstream | Phase | Notes |\n|---|---|---|\n| Test | Phase 3: UAT | x |\n\n### Not Started\n\n| Workstream | Phase |\n|---|---|\n| Build | Phase 1: CI Setup |\n| Build | Phase 2 |\n',
      'Build/Phase_1_CI',
    );
  });

  it('Fix all marks a complete phase so (moves included), and leaves a Complete written ahead of the gates to the team', async () => {
    const text =
      '# Plan\n\n## Phase Status\n\n### Completed\n\n- Test Phase 3: UAT\n\n### In Progress\n\n- Build Phase 2: Dependencies\n\n### Not Started\n\n- Build Phase 1: CI Setup\n';
    const { out, left } = await fixedAll(text);
    // (Fix all also gives the plan its front matter.)
    assert.equal(
      out.slice(out.indexOf('# Plan')),
      '# Plan\n\n## Phase Status\n\n### Completed\n\n- Test Phase 3: UAT\n- Build Phase 1: CI Setup\n\n### In Progress\n\n- Build Phase 2: Dependencies\n\n### Not Started\n\n',
    );
    assert.deepEqual(left, ['The plan marks Test/Phase_3_UAT Complete (under "Completed")']);
    // That one is a quick fix the user applies (not for Fix all, nor check --fix).
    const { svc } = await workspace(files(text));
    const d = mismatches(svc).find((x) => x.message.startsWith('The plan marks Test/Phase_3_UAT '))!;
    assert.deepEqual(
      codeActions(svc, [d]).map((a) => [a.title, a.manual]),
      [['Move Test/Phase_3_UAT under "Not Started" in the plan', true]],
    );
  });
});
