/**
 * A project plan kept without a `## Phase Status` section, by top-level status sections (`## Completed`,
 * `## In Progress`, `## Not Started`), or by status sections under each top-level workstream heading (`## Build` ›
 * `### Completed`): read as a Phase Status section is (plan-status-mismatch, the missing phase, missing-section), and a
 * phase added to it (the quick fix, `new prompt`) goes under the section of its status, in the same shape.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { PROMPT, PASSED, FAILED, PLAN, WS, files } from '../helpers/plan-fixtures';
import { applyEdits, codeActions, parseDocument, Diagnostic } from '../../server/src/service';
import { planTables } from '../../server/src/service/rules/phase-plan';
import { planRowEdits, replanRow } from '../../server/src/service/plan-row';
import { loud, withEol } from '../helpers/fuzz';
import { STATUS_LABELS } from '../../server/src/service/fixes/phase';
import { planNew } from '../../server/src/service/scaffold';
import { assertLinear } from '../helpers/linear';

const DEPLOY = { [`${WS}/Deploy/Phase_1_Envs/implementation_prompt.md`]: PROMPT(1, 'Environments') };

type Svc = Awaited<ReturnType<typeof workspace>>['svc'];
const mismatches = (svc: Svc) => diagnosticsOf(svc, PLAN, 'plan-status-mismatch');
const missingSections = (svc: Svc) => diagnosticsOf(svc, PLAN, 'missing-section').map((d) => d.message);
/** The messages up to their reasons, with the text each is reported at. */
const found = (svc: Svc, text: string) =>
  mismatches(svc).map((d) => [
    d.message.replace(/, but its gates .*/, ''),
    text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character),
  ]);

/** The brief's plan: a checklist under a workstream heading, an item naming its workstream, a table without Status column. */
const EXAMPLE = `# ALL-USE Project Implementation Plan

## Completed

### Build

- [x] Phase 1: Source Code Management & Initial CI Setup

## In Progress

- Build Phase 2: Dependency Management & Containerization

## Not Started

| Workstream | Phase | Notes |
|---|---|---|
| Test | Phase 3: Performance & UAT | |

## Risks

- None.
`;

describe('plan: top-level status sections', () => {
  it('reads the sections of a plan without a Phase Status section: no missing-section, every phase matched', async () => {
    const { svc } = await workspace(files(EXAMPLE));
    assert.deepEqual(missingSections(svc), []);
    assert.deepEqual(mismatches(svc), []);
  });

  it("compares each section's items and rows with the phases' gates, by the status of their section", async () => {
    const { svc } = await workspace(files(EXAMPLE, FAILED));
    assert.deepEqual(found(svc, EXAMPLE), [['The plan marks Build/Phase_1_CI Complete ([x])', '[x]']]);
    // A table with no Status column under `## Done`, a list under `## Completed` with no box: the section's status.
    const table = '# Plan\n\n## Done\n\n| Workstream | Phase |\n|---|---|\n| Build | Phase_1_CI |\n\n## To Do\n\n- Build/Phase_2_Deps\n- Test/Phase_3_UAT\n';
    const { svc: t } = await workspace(files(table, FAILED));
    assert.deepEqual(found(t, table), [['The plan marks Build/Phase_1_CI Complete (under "Done")', 'Phase_1_CI']]);
    const list = '# Plan\n\n## Completed\n\n- Build Phase 1: CI Setup\n\n## Backlog\n\n- Build Phase 2: Deps\n- Test Phase 3: UAT\n';
    const { svc: l } = await workspace(files(list, FAILED));
    assert.deepEqual(found(l, list), [['The plan marks Build/Phase_1_CI Complete (under "Completed")', 'Build Phase 1: CI Setup']]);
    // Under a status that is not done (`## Active`, `## Blocked`), nothing is marked complete.
    const held = '# Plan\n\n## Active\n\n- Build Phase 1: CI Setup\n\n## Blocked\n\n- Build Phase 2: Deps\n- Test Phase 3: UAT\n';
    const { svc: h } = await workspace(files(held, FAILED));
    assert.deepEqual(found(h, held), []);
  });

  it("reports a phase the sections do not name, and a name of no phase, as a Phase Status section's", async () => {
    const text = EXAMPLE.replace('| Test | Phase 3: Performance & UAT | |', '| Test | Phase 9: Ghost | |');
    const { svc } = await workspace(files(text));
    assert.deepEqual(found(svc, text), [
      ['No phase "Phase 9: Ghost" exists under workstreams/: the plan lists a phase the project does not have.', 'Phase 9: Ghost'],
      ["Test/Phase_3_UAT has no row under the plan's status headings (Completed, …).", 'Completed'],
    ]);
  });

  it('reads status sections under each top-level workstream heading (`## Build` › `### Completed`)', async () => {
    const text =
      '# Plan\n\n## Build Workstream\n\n### Completed\n\n- [x] Phase 1: CI Setup\n\n### Planned\n\n- [ ] Phase 2: Deps\n\n## Test\n\n### Pending\n\n- Phase 3: UAT\n';
    const { svc } = await workspace(files(text, FAILED));
    assert.deepEqual(missingSections(svc), []);
    assert.deepEqual(found(svc, text), [['The plan marks Build/Phase_1_CI Complete ([x])', '[x]']]);
  });

  it('keeps missing-section for a plan whose top-level sections are no statuses, or one lone status section of no phase', async () => {
    for (const text of [
      '# Plan\n\n## Overview\n\n- Build Phase 1: CI Setup\n',
      // `## Testing`, `## Review`, `## Next` are sections of their own at the top of a plan.
      '# Plan\n\n## Testing\n\n- Build Phase 1: CI Setup\n\n## Review\n\n- Build Phase 2: Deps\n\n## Next\n\n- Test Phase 3: UAT\n',
      '# Plan\n\n## Done\n\nThe kickoff.\n',
      // A status heading below a top-level section of no workstream is not the plan's status.
      '# Plan\n\n## Milestones\n\n### Completed\n\n- Build Phase 1: CI Setup\n',
    ]) {
      const { svc } = await workspace(files(text));
      assert.deepEqual(missingSections(svc), ['Missing section "## Phase Status".'], text);
      assert.deepEqual(mismatches(svc), [], text);
    }
    // Two empty status sections are a plan kept by status with no phase yet: each phase is missing from it.
    const empty = '# Plan\n\n## Completed\n\n## Not Started\n';
    const { svc } = await workspace(files(empty));
    assert.deepEqual(missingSections(svc), []);
    assert.equal(mismatches(svc).length, 3);
  });

  it('reads the Phase Status section only, in a plan with both (its top-level status sections are other notes)', async () => {
    const text = '# Plan\n\n## Phase Status\n\n- [x] Build Phase 1: CI Setup\n- Build Phase 2: Deps\n\n## Completed\n\n- Test Phase 3: UAT\n';
    const { svc } = await workspace(files(text));
    assert.deepEqual(found(svc, text), [['Test/Phase_3_UAT has no item in the "Phase Status" list.', 'Phase Status']]);
  });

  it('reads a plan without a `#` title, and status headings with symbols and counts (`## ✅ Done (1)`)', async () => {
    const text = '## ✅ Done (1)\n\n- Build Phase 1: CI Setup\n\n## 🚧 In Progress (2)\n\n- Build Phase 2: Deps\n- Test Phase 3: UAT\n';
    const { svc } = await workspace(files(text, FAILED));
    assert.deepEqual(missingSections(svc), []);
    assert.deepEqual(found(svc, text), [['The plan marks Build/Phase_1_CI Complete (under "✅ Done (1)")', 'Build Phase 1: CI Setup']]);
  });
});

describe('plan: top-level status sections, a phase added', () => {
  /** The plan after the quick fix of `id`'s missing finding; no finding left after it. */
  const fix = async (text: string, id: string, extra: Record<string, string> = {}) => {
    const { svc } = await workspace(files(text, PASSED, extra));
    const d = mismatches(svc).find((x) => x.message.includes(`${id} has no`));
    assert.ok(d, JSON.stringify(mismatches(svc).map((x) => x.message)));
    const actions = codeActions(svc, [d]);
    assert.equal(actions.length, 1, text);
    const fixed = applyEdits(text, actions[0].change.edits[0].edits);
    svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
    assert.deepEqual(mismatches(svc), [], fixed);
    assert.deepEqual(missingSections(svc), [], fixed);
    return { fixed, title: actions[0].title, status: STATUS_LABELS[svc.status(svc.findPhase(id)!)] };
  };

  it('adds a phase not started to the Not Started section: a row of its table, shaped as its rows', async () => {
    const { fixed, title } = await fix(EXAMPLE, 'Deploy/Phase_1_Envs', DEPLOY);
    assert.equal(
      fixed,
      EXAMPLE.replace('| Test | Phase 3: Performance & UAT | |', '| Test | Phase 3: Performance & UAT | |\n| Deploy | Phase 1: Environments |  |'),
    );
    assert.equal(title, "Add Deploy/Phase_1_Envs to the plan's status sections");
  });

  it('adds it to the list of its status, as the list names its phases (its workstream, its box)', async () => {
    const text = '# Plan\n\n## Completed\n\n- [x] Build Phase 1: CI Setup\n\n## Planned\n\n- [ ] Test Phase 3: UAT\n\n## Notes\n\nNone.\n';
    const { fixed } = await fix(
      text.replace('- [ ] Test Phase 3: UAT\n', '- [ ] Test Phase 3: UAT\n- [ ] Build/Phase_2_Deps\n'),
      'Deploy/Phase_1_Envs',
      DEPLOY,
    );
    assert.equal(fixed, text.replace('- [ ] Test Phase 3: UAT\n', '- [ ] Test Phase 3: UAT\n- [ ] Build/Phase_2_Deps\n- [ ] Deploy/Phase_1_Envs\n'));
    // Under workstream headings: under the heading of its workstream in the section of its status, a heading of its own there.
    const nested =
      '# Plan\n\n## Completed\n\n### Build\n\n- [x] Phase 1: CI Setup\n\n## Not Started\n\n### Build\n\n- [ ] Phase 2: Deps\n\n### Test\n\n- [ ] Phase 3: UAT\n';
    const { fixed: f2 } = await fix(nested, 'Deploy/Phase_1_Envs', DEPLOY);
    assert.equal(f2, `${nested}\n### Deploy\n\n- [ ] Phase 1: Environments\n`);
    // Status sections under each workstream's heading: the new workstream's heading, with its status section under it.
    const byWs =
      '# Plan\n\n## Build\n\n### Completed\n\n- [x] Phase 1: CI Setup\n\n### Not Started\n\n- [ ] Phase 2: Deps\n\n## Test\n\n### Not Started\n\n- [ ] Phase 3: UAT\n';
    const { fixed: f3 } = await fix(byWs, 'Deploy/Phase_1_Envs', DEPLOY);
    assert.equal(f3, `${byWs}\n## Deploy\n\n### Not Started\n\n- [ ] Phase 1: Environments\n`);
  });

  it("adds a table of its own under the section of its status that holds only another workstream's list, under its workstream's heading there (no second section of that status)", async () => {
    const text =
      '# Plan\n\n## Completed\n\n### Build\n\n| Phase | Title |\n|---|---|\n| Phase_1_CI | CI Setup |\n\n## In Progress\n\n### Build\n\n| Phase | Title |\n|---|---|\n| Phase_2_Deps | Dependencies |\n\n## Not Started\n\n### Test\n\n- Phase 3: UAT\n\n## Risks\n\n- None.\n';
    const { fixed } = await fix(text, 'Deploy/Phase_1_Envs', DEPLOY);
    assert.equal(fixed, text.replace('- Phase 3: UAT\n', '- Phase 3: UAT\n\n### Deploy\n\n| Phase | Title |\n|---|---|\n| Phase_1_Envs | Environments |\n'));
    // A table naming its workstream in a column, a section of its status kept by workstream: a heading of its own there.
    const cols =
      '# Plan\n\n## Completed\n\n| Workstream | Phase |\n|---|---|\n| Build | Phase 1: CI Setup |\n\n## In Progress\n\n| Workstream | Phase |\n|---|---|\n| Build | Phase 2: Deps |\n\n## Not Started\n\n### Test\n\n- Phase 3: UAT\n';
    const { fixed: f2 } = await fix(cols, 'Deploy/Phase_1_Envs', DEPLOY);
    assert.equal(f2, `${cols}\n### Deploy\n\n| Workstream | Phase |\n|---|---|\n| Deploy | Phase 1: Environments |\n`);
  });

  it("with no section of its status, adds one after the last status section (before the plan's other sections)", async () => {
    const lists =
      '# Plan\n\n## Completed\n\n- [x] Build Phase 1: CI Setup\n\n## In Progress\n\n- Build Phase 2: Deps\n- Test Phase 3: UAT\n\n## Risks\n\n- None.\n';
    const { fixed } = await fix(lists, 'Deploy/Phase_1_Envs', DEPLOY);
    assert.equal(fixed, lists.replace('- Test Phase 3: UAT\n', '- Test Phase 3: UAT\n\n## Not Started\n\n- Deploy Phase 1: Environments\n'));
    const tables =
      '# Plan\n\n## Completed\n\n| Workstream | Phase |\n|---|---|\n| Build | Phase 1: CI Setup |\n\n## In Progress\n\n| Workstream | Phase |\n|---|---|\n| Build | Phase 2: Deps |\n| Test | Phase 3: UAT |\n\n## Risks\n\n- None.\n';
    const { fixed: f2 } = await fix(tables, 'Deploy/Phase_1_Envs', DEPLOY);
    assert.equal(
      f2,
      tables.replace(
        '| Test | Phase 3: UAT |\n',
        '| Test | Phase 3: UAT |\n\n## Not Started\n\n| Workstream | Phase |\n|---|---|\n| Deploy | Phase 1: Environments |\n',
      ),
    );
  });

  it('adds the first phase of a plan whose status sections list none yet under the section of its status', async () => {
    const empty = '# Plan\n\n## Completed\n\n## Not Started\n\nNone yet.\n\n## Risks\n\n- None.\n';
    const { svc } = await workspace(files(empty));
    assert.deepEqual(missingSections(svc), []);
    let fixed = empty;
    for (const id of ['Build/Phase_2_Deps', 'Test/Phase_3_UAT', 'Build/Phase_1_CI']) {
      const d = mismatches(svc).find((x) => x.message.includes(`${id} has no`));
      assert.ok(d, id);
      fixed = applyEdits(fixed, codeActions(svc, [d])[0].change.edits[0].edits);
      svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
    }
    assert.deepEqual(mismatches(svc), []);
    assert.equal(
      fixed,
      '# Plan\n\n## Completed\n\n- Build/Phase_1_CI\n\n## Not Started\n\nNone yet.\n\n- Build/Phase_2_Deps\n- Test/Phase_3_UAT\n\n## Risks\n\n- None.\n',
    );
  });

  it('`new prompt` writes the new phase under the Not Started section', async () => {
    for (const [text, want] of [
      [EXAMPLE, EXAMPLE.replace('| Test | Phase 3: Performance & UAT | |', '| Test | Phase 3: Performance & UAT | |\n| Build | Phase 3: Registry |  |')],
      [
        '# Plan\n\n## Done\n\n- [x] Build/Phase_1_CI\n\n## To Do\n\n- [ ] Build/Phase_2_Deps\n- [ ] Test/Phase_3_UAT\n',
        // After the last item of its workstream.
        '# Plan\n\n## Done\n\n- [x] Build/Phase_1_CI\n\n## To Do\n\n- [ ] Build/Phase_2_Deps\n- [ ] Build/Phase_3_Registry\n- [ ] Test/Phase_3_UAT\n',
      ],
    ]) {
      const { svc } = await workspace(files(text));
      const made = planNew(svc, { what: 'prompt', workstream: 'Build', title: 'Registry', date: '2025-01-07' });
      const plan = made.edits.filter((e) => e.file === `${ROOT}/${PLAN}`);
      assert.equal(plan.length, 1, JSON.stringify(made.edits.map((e) => e.reason)));
      assert.equal(applyEdits(plan[0].text, plan[0].edits), want);
    }
  });
});

describe("plan: tables under status headings, each workstream's", () => {
  it("adds a phase whose status's tables are all other workstreams' as a table of its own there (was: a row in another workstream's table)", async () => {
    const table = (rows: string[]) => `| Phase | Owner |\n|---|---|\n${rows.join('\n')}`;
    for (const [head, top, sub] of [
      ['## Phase Status\n\n', '###', '####'],
      ['', '##', '###'],
    ]) {
      const text = `# Plan\n\n${head}${top} Completed\n\n${sub} Build\n\n${table(['| Phase 1: CI Setup | Ana |'])}\n\n${top} Not Started\n\n${sub} Test\n\n${table(['| Phase 3: UAT | Bo |'])}\n`;
      const { svc: add } = await workspace(files(text));
      const d = mismatches(add).find((x) => x.message.includes('Build/Phase_2_Deps has no row'));
      assert.ok(d, JSON.stringify(mismatches(add).map((x) => x.message)));
      const fixed = applyEdits(text, codeActions(add, [d])[0].change.edits[0].edits);
      assert.equal(fixed, `${text}\n${sub} Build\n\n${table(['| Phase 2: Dependencies |  |'])}\n`);
      add.setOverlay(`${ROOT}/${PLAN}`, fixed);
      assert.deepEqual(mismatches(add), []);
    }
  });
});

describe('plan: top-level status sections, many', () => {
  it('places the items and tables of 20,000 status sections in linear time', () => {
    const plan = (n: number) => {
      const parts = ['# Plan'];
      for (let i = 0; i < n; i++)
        parts.push(`## ${i % 2 ? 'Done' : 'Not Started'}\n\n- Build Phase ${i}: X\n\n### Test\n\n| Phase | Owner |\n|---|---|\n| Phase ${i} | A |`);
      return `${parts.join('\n\n')}\n`;
    };
    const pt = planTables(parseDocument(plan(20000)), ['Build', 'Test']);
    assert.equal(pt?.byStatus, true);
    assert.equal(pt.tables.length, 20000);
    assert.equal(pt.lists.length, 20000);
    // 0.7 s at 20,000 (2.8 s when each table and item was compared with every section). A document of its own for
    // each measure (its lists are kept by document), parsed untimed.
    assertLinear(
      'planTables',
      (n) => {
        const doc = parseDocument(plan(n));
        return () => assert.equal(planTables(doc, ['Build', 'Test'])?.tables.length, n);
      },
      { n: 1250 },
    );
  });
});

// ---------------------------------------------------------------- property cases: tables and lists by status section

type Kind = 'complete' | 'progress' | 'not started';
const TITLES: Record<Kind, string[]> = {
  complete: ['Completed', 'Done', '✅ Completed Phases'],
  progress: ['In Progress', 'Ongoing', 'Active', 'Blocked'],
  'not started': ['Not Started', 'Planned', 'Backlog', 'To Do', 'Pending'],
};
const FUZZ_PHASES = [
  { ws: 'Build', n: 1, folder: 'Phase_1_CI', title: 'CI Setup' },
  { ws: 'Build', n: 2, folder: 'Phase_2_Deps', title: 'Dependencies' },
  { ws: 'Test', n: 1, folder: 'Phase_1_UAT', title: 'Performance & UAT' },
  { ws: 'Deploy', n: 1, folder: 'Phase_1_Envs', title: 'Environments' },
];
type FuzzPhase = (typeof FUZZ_PHASES)[number];
const fid = (p: FuzzPhase) => `${p.ws}/${p.folder}`;
const fuzzFiles = (ps: { p: FuzzPhase; done: boolean }[]) => {
  const out: Record<string, string> = {};
  for (const { p, done } of ps) {
    out[`${WS}/${p.ws}/${p.folder}/implementation_prompt.md`] = PROMPT(p.n, p.title);
    // Each phase's own response (one phase's copied to the next would be no work of its own: copied-document).
    if (done) out[`${WS}/${p.ws}/${p.folder}/implementation_response_from_AI.md`] = PASSED.replace('CI Setup', p.title);
  }
  return out;
};

interface SectionCase {
  text: string;
  phases: { p: FuzzPhase; done: boolean; kind: Kind | undefined }[];
  shape: string;
}

/** A plan of top-level status sections, each a table (with a Workstream column, or under workstream headings) or a checklist. */
const sectionCaseArb: fc.Arbitrary<SectionCase> = fc
  .record({
    kinds: fc.array(fc.constantFrom<Kind | undefined>('complete', 'progress', 'not started', undefined), { minLength: 4, maxLength: 4 }),
    done: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    forms: fc.array(fc.constantFrom('table', 'table-by-ws', 'list', 'list-by-ws'), { minLength: 3, maxLength: 3 }),
    title: fc.nat({ max: 4 }),
    naming: fc.nat({ max: 3 }),
    notes: fc.boolean(),
    h1: fc.boolean(),
    eol: fc.constantFrom('\n', '\r\n'),
  })
  .filter((c) => c.kinds.some((k) => k !== undefined))
  .map((c) => {
    const phases = FUZZ_PHASES.map((p, i) => ({ p, done: c.done[i], kind: c.kinds[i] }));
    const kinds: Kind[] = ['complete', 'progress', 'not started'];
    const cell = (p: FuzzPhase, byWs: boolean) =>
      [byWs ? `Phase ${p.n}: ${p.title}` : p.folder, p.folder, `[${p.folder}](workstreams/${p.ws}/${p.folder}/)`, byWs ? `Phase ${p.n}` : fid(p)][c.naming];
    const blocks: string[] = [];
    const shape: string[] = [];
    kinds.forEach((kind, k) => {
      const mine = phases.filter((x) => x.kind === kind);
      if (!mine.length) return;
      const form = c.forms[k];
      shape.push(`${kind}:${form}`);
      blocks.push(`## ${TITLES[kind][c.title % TITLES[kind].length]}`);
      const wss = [...new Set(mine.map((x) => x.p.ws))];
      if (form === 'table')
        blocks.push(['| Workstream | Phase | Notes |', '|---|---|---|', ...mine.map((x) => `| ${x.p.ws} | ${cell(x.p, true)} | |`)].join('\n'));
      else if (form === 'list') blocks.push(mine.map((x) => `- ${c.naming % 2 ? fid(x.p) : `${x.p.ws} Phase ${x.p.n}: ${x.p.title}`}`).join('\n'));
      else
        for (const ws of wss) {
          const w = mine.filter((x) => x.p.ws === ws);
          blocks.push(`### ${ws}`);
          if (form === 'table-by-ws') blocks.push(['| Phase | Owner |', '|---|---|', ...w.map((x) => `| ${cell(x.p, true)} | Ana |`)].join('\n'));
          else blocks.push(w.map((x) => `- ${cell(x.p, true)}`).join('\n'));
        }
    });
    const text = `${c.h1 ? '# Plan\n\n' : ''}${blocks.join('\n\n')}\n${c.notes ? '\n## Risks\n\n- None.\n' : ''}`;
    return { text: withEol(text, c.eol), phases, shape: shape.join(' ') };
  });

describe('fuzz: plans kept by top-level status sections, tables and lists', function () {
  this.timeout(180000);
  const runs = Number(process.env.FUZZ_RUNS ?? 200);
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  const FILE = `${ROOT}/${PLAN}`;
  const missingIds = (ds: Diagnostic[]) =>
    ds
      .filter((d) => d.code === 'plan-status-mismatch' && / has no (row|item) /.test(d.message))
      .map((d) => /^(\S+) has no /.exec(d.message)![1])
      .sort();
  const markedIds = (ds: Diagnostic[]) =>
    ds
      .filter((d) => d.code === 'plan-status-mismatch' && /^The plan marks /.test(d.message))
      .map((d) => /^The plan marks (\S+)/.exec(d.message)![1])
      .sort();

  it('reads every phase under its section, marks exactly the unfinished ones under a done section; the fix and `new prompt` add each once', async () => {
    await fc.assert(
      fc.asyncProperty(sectionCaseArb, async (c) => {
        const svc = await loud({ [PLAN]: c.text, ...fuzzFiles(c.phases) });
        const ds = svc.diagnose(FILE);
        const ctx = `${c.shape}:\n${c.text}\n${ds.map((d) => d.message.slice(0, 120)).join('\n')}`;
        assert.deepEqual(
          ds.filter((d) => d.code === 'missing-section'),
          [],
          ctx,
        );
        assert.deepEqual(
          ds.filter((d) => /^No phase /.test(d.message)),
          [],
          ctx,
        );
        const unlisted = c.phases.filter((x) => x.kind === undefined).map((x) => fid(x.p));
        assert.deepEqual(missingIds(ds), [...unlisted].sort(), ctx);
        // Those marked done that are not, and those marked not started that are complete (every gate passed).
        const wanted = c.phases.filter((x) => (x.kind === 'complete' && !x.done) || (x.kind === 'not started' && x.done)).map((x) => fid(x.p));
        assert.deepEqual(markedIds(ds), [...wanted].sort(), ctx);
        // The quick fix, once per missing phase: lines inserted only, nothing missing after, no new mismatch.
        let fixed = c.text;
        for (let i = 0; i < 5; i++) {
          const d = svc.diagnose(FILE).find((x) => / has no (row|item) /.test(x.message));
          if (!d) break;
          const [a] = codeActions(svc, [d]);
          assert.ok(a, `no fix for ${d.message}; ${ctx}`);
          const next = applyEdits(
            fixed,
            a.change.edits.flatMap((e) => (e.file === FILE ? e.edits : [])),
          );
          const keep = fixed.split(/(?<=\n)/);
          const got = next.split(/(?<=\n)/);
          let j = 0;
          for (const l of got) if (j < keep.length && (l === keep[j] || (j === keep.length - 1 && l.replace(/\r?\n$/, '') === keep[j]))) j++;
          assert.equal(j, keep.length, `the fix changed a line: ${next}; ${ctx}`);
          if (fixed.includes('\r\n')) assert.ok(!/[^\r]\n/.test(next), `a bare LF: ${next}`);
          fixed = next;
          svc.setOverlay(FILE, fixed);
        }
        const after = svc.diagnose(FILE);
        const ctx2 = `${ctx}\nfixed:\n${fixed}\n${after.map((d) => d.message.slice(0, 120)).join('\n')}`;
        assert.deepEqual(missingIds(after), [], ctx2);
        assert.deepEqual(markedIds(after), [...wanted].sort(), ctx2);
        assert.deepEqual(
          after.filter((d) => d.code === 'missing-section' || /^No phase /.test(d.message)),
          [],
          ctx2,
        );
        // `new prompt` of a phase of a known workstream and of a new one: one row or item, not marked, nothing left to add.
        svc.setOverlay(FILE, c.text);
        for (const p of [
          { ws: 'Build', n: 3, folder: 'Phase_3_Registry', title: 'Registry' },
          { ws: 'Ops', n: 1, folder: 'Phase_1_Monitor', title: 'Monitoring' },
        ]) {
          const np = { id: fid(p), folder: `${ROOT}/${WS}/${p.ws}/${p.folder}`, number: p.n, workstream: p.ws, title: p.title };
          const edits = planRowEdits(svc, np, 'implementation_prompt.md').filter((e) => e.edits.length);
          assert.equal(edits.length, 1, `new prompt ${np.id}: ${planRowEdits(svc, np, 'implementation_prompt.md').map((e) => e.reason)}; ${ctx}`);
          const planned = applyEdits(c.text, edits[0].edits);
          const svc2 = await loud({ [PLAN]: planned, ...fuzzFiles([...c.phases, { p, done: false }]) });
          const ds2 = svc2.diagnose(FILE);
          const ctx3 = `new prompt ${np.id}: ${ctx}\nplanned:\n${planned}\n${ds2.map((d) => d.message.slice(0, 120)).join('\n')}`;
          assert.deepEqual(missingIds(ds2), [...unlisted].sort(), ctx3);
          assert.deepEqual(markedIds(ds2), [...wanted].sort(), ctx3);
          assert.equal(replanRow(planned, FILE, ROOT, np, 'implementation_prompt.md', ['Build', 'Test', 'Deploy', p.ws]), undefined, ctx3);
        }
      }),
      { numRuns: runs, seed },
    );
  });
});
