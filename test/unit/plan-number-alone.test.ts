/**
 * Rows and items of the project plan that name a phase by its number alone, with no workstream by column, heading or
 * words of their own (`| Phase 1: CI Setup | Done |` in a table without a Workstream column under `## Phase Status`):
 * the one phase of the project that the number (and, among several, the title) fits; several fitting: a row is
 * reported as naming no workstream, and no phase of that number is reported missing or given a second row.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, codeActions } from '../../server/src/service';
import { planRowEdits, replanRow } from '../../server/src/service/plan-row';
import { FAILED, PASSED, PLAN, PROMPT, WS, files } from '../helpers/plan-fixtures';
import { ROOT, diagnosticsOf, workspace } from '../helpers/workspace';

type Svc = Awaited<ReturnType<typeof workspace>>['svc'];
const mismatches = (svc: Svc) => diagnosticsOf(svc, PLAN, 'plan-status-mismatch');
const messages = (svc: Svc) => mismatches(svc).map((d) => d.message.replace(/, but its gates .*/, ''));

/** Deploy/Phase_1_Envs: a second phase 1, of another workstream. */
const DEPLOY_1 = { [`${WS}/Deploy/Phase_1_Envs/implementation_prompt.md`]: PROMPT(1, 'Environments') };

/** A plan whose one table has no Workstream column and no workstream's heading over it. */
const table = (...rows: string[]) => `# Plan\n\n## Phase Status\n\n| Phase | Status |\n|---|---|\n${rows.map((r) => `${r}\n`).join('')}`;
const REST = ['| Phase 2: Dependencies | Not started |', '| Phase 3: UAT | Not started |'];

describe('plan rule: a phase named by its number alone', () => {
  it('a row of no workstream names the one phase of its number: listed, and a Complete row of unpassed gates reported', async () => {
    // Was: "No phase "Phase 1: CI Setup" exists", and Build/Phase_1_CI reported missing.
    const { svc } = await workspace(files(table('| Phase 1: CI Setup | Done |', ...REST), FAILED));
    assert.deepEqual(messages(svc), ['The plan marks Build/Phase_1_CI Complete']);
    const { svc: passed } = await workspace(files(table('| Phase 1: CI Setup | Done |', ...REST), PASSED));
    assert.deepEqual(messages(passed), []);
    // The number alone in the Phase column, as a row with a Workstream column may give it.
    const { svc: bare } = await workspace(files(table('| 1 | Done |', '| 2 | Not started |', '| 3 | Not started |'), FAILED));
    assert.deepEqual(messages(bare), ['The plan marks Build/Phase_1_CI Complete']);
  });

  it('among phases of one number, the title tells which, as the folder name gives it', async () => {
    const rows = (one: string) => table(one, ...REST);
    // Build/Phase_1_CI's title is "CI" (its words among the row's), Deploy/Phase_1_Envs's "Envs".
    const { svc } = await workspace(files(rows('| Phase 1: CI Setup | Done |'), FAILED, DEPLOY_1));
    assert.deepEqual(messages(svc), ['The plan marks Build/Phase_1_CI Complete', 'Deploy/Phase_1_Envs has no row in the "Phase Status" table.']);
    const { svc: envs } = await workspace(files(rows('| Phase 1: Envs | Done |'), FAILED, DEPLOY_1));
    // Deploy/Phase_1_Envs has no response: its gates have not passed.
    assert.deepEqual(messages(envs), ['The plan marks Deploy/Phase_1_Envs Complete', 'Build/Phase_1_CI has no row in the "Phase Status" table.']);
  });

  it('several phases fitting: the row is reported, at its Phase cell, as naming no workstream; no phase of its number missing', async () => {
    const plan = table('| Phase 1 | Done |', ...REST);
    const { svc } = await workspace(files(plan, FAILED, DEPLOY_1));
    const ds = mismatches(svc);
    assert.deepEqual(
      ds.map((d) => d.message),
      [
        '"Phase 1" names no workstream, and 2 phases have its number: Build/Phase_1_CI and Deploy/Phase_1_Envs; write its workstream (a Workstream column, or a heading that names it over the table).',
      ],
    );
    const line = plan.split('\n').indexOf('| Phase 1 | Done |');
    assert.deepEqual(ds[0].range, { start: { line, character: 2 }, end: { line, character: 9 } });
    // A title that neither has does not tell either.
    const { svc: other } = await workspace(files(table('| Phase 1: Legacy | Done |', ...REST), FAILED, DEPLOY_1));
    assert.match(messages(other).join('\n'), /^"Phase 1: Legacy" names no workstream, and 2 phases have its number/);
    assert.equal(messages(other).length, 1);
  });

  it('no phase of the number: reported as before', async () => {
    const { svc } = await workspace(files(table('| Phase 1: CI Setup | Done |', ...REST, '| Phase 9: Ghost | Done |'), PASSED));
    assert.deepEqual(messages(svc), ['No phase "Phase 9: Ghost" exists under workstreams/: the plan lists a phase the project does not have.']);
  });

  it('an item of no workstream under the Phase Status heading names the one phase of its number too', async () => {
    const list = '# Plan\n\n## Phase Status\n\n- [x] Phase 1: CI Setup\n- [ ] Phase 2: Dependencies\n- [ ] Phase 3: UAT\n';
    const { svc } = await workspace(files(list, FAILED));
    assert.deepEqual(messages(svc), ['The plan marks Build/Phase_1_CI Complete ([x])']);
    // Several fitting, the title telling none: no phase (a number needs its workstream), none of that number missing.
    const { svc: two } = await workspace(files(list.replace('Phase 1: CI Setup', 'Phase 1'), FAILED, DEPLOY_1));
    assert.deepEqual(messages(two), []);
  });

  it('the add fix and `new` give no second row to a phase a row of its number alone names, and a row to one it does not', async () => {
    const plan = table('| Phase 1: CI | Done |', '| Phase 2: Dependencies | Not started |');
    const { svc } = await workspace(files(plan, PASSED, DEPLOY_1));
    // Test/Phase_3_UAT and Deploy/Phase_1_Envs are missing; the row is Build/Phase_1_CI's.
    const missing = mismatches(svc).filter((d) => / has no row /.test(d.message));
    assert.deepEqual(
      missing.map((d) => d.message),
      ['Deploy/Phase_1_Envs has no row in the "Phase Status" table.', 'Test/Phase_3_UAT has no row in the "Phase Status" table.'],
    );
    for (const d of missing) assert.equal(codeActions(svc, [d]).filter((a) => a.title.startsWith('Add')).length, 1, d.message);
    const p = (ws: string, n: number) => ({ id: `${ws}/Phase_${n}_X`, folder: `${ROOT}/${WS}/${ws}/Phase_${n}_X`, number: n, workstream: ws, title: 'X' });
    assert.equal(planRowEdits(svc, p('Test', 4), 'implementation_prompt.md')[0].reason, 'row of Test/Phase_4_X added');
    // Ambiguous rows: no row added for a phase of their number (the row may be its); the rule says what to write.
    const { svc: two } = await workspace(files(table('| Phase 1 | Done |', '| Phase 2: Dependencies | Not started |'), PASSED, DEPLOY_1));
    assert.deepEqual(
      messages(two).filter((m) => / has no row /.test(m)),
      ['Test/Phase_3_UAT has no row in the "Phase Status" table.'],
    );
    assert.deepEqual(planRowEdits(two, p('Build', 1), 'implementation_prompt.md'), []);
    // Of the plan's text alone (no phases to tell whose the row is), no second row for its number either.
    assert.equal(replanRow(plan, `${ROOT}/${PLAN}`, ROOT, p('Build', 1), 'implementation_prompt.md', ['Build', 'Test']), undefined);
    assert.ok(replanRow(plan, `${ROOT}/${PLAN}`, ROOT, p('Test', 4), 'implementation_prompt.md', ['Build', 'Test'])?.length);
  });

  it('property: over number-alone rows and items, the add fix is offered exactly for the phases reported missing, and lists them', async () => {
    const names = ['Phase 1', 'Phase 1: CI', 'Phase 1: Envs', 'Phase 1: Ghost', 'Phase 2', 'Phase 2: Deps', 'Phase 3: UAT', 'Phase 3', 'Phase 7'];
    const ids = ['Build/Phase_1_CI', 'Build/Phase_2_Deps', 'Test/Phase_3_UAT', 'Deploy/Phase_1_Envs'];
    await fc.assert(
      fc.asyncProperty(fc.subarray(names, { minLength: 1 }), fc.boolean(), fc.boolean(), async (picked, asList, deploy) => {
        const text = asList
          ? `# Plan\n\n## Phase Status\n\n${picked.map((n) => `- [ ] ${n}`).join('\n')}\n`
          : table(...picked.map((n) => `| ${n} | Not started |`));
        const { svc } = await workspace(files(text, PASSED, deploy ? DEPLOY_1 : {}));
        for (const id of ids) {
          if (id.startsWith('Deploy') && !deploy) continue;
          const d = mismatches(svc).find((x) => x.message.startsWith(`${id} has no `));
          const fixes = d ? codeActions(svc, [d]) : [];
          assert.equal(fixes.length, d ? 1 : 0, `${id} in:\n${text}`);
          if (!d) continue;
          const out = applyEdits(text, fixes[0].change.edits[0].edits);
          svc.setOverlay(`${ROOT}/${PLAN}`, out);
          assert.ok(!mismatches(svc).some((x) => x.message.startsWith(`${id} has no `)), out);
          svc.setOverlay(`${ROOT}/${PLAN}`, text);
        }
      }),
      { numRuns: Math.max(40, Number(process.env.FUZZ_RUNS ?? 0)) },
    );
  });
});
