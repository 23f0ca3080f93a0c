import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeLens,
  CodeLensRequest,
  DocumentDiagnosticRequest,
  Diagnostic,
  TextDocumentEdit,
  CreateFile,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  FileChangeType,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-protocol';
import {
  applyChangedPhases,
  CompleteHandoffRequest,
  DidChangePhasesParams,
  GatesRequest,
  NewDocumentRequest,
  PhasesRequest,
  PhasesResult,
  RenderTemplateRequest,
  ToggleGateItemRequest,
} from '../../server/src/protocol';
import { applyWorkspaceEdit, copyFixture, fixtureServer, startOnFixture, stopOnFixture, TestClient, uri } from './client';

describe('language server: custom requests (phase tree, gates, handoff, templates)', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  before(async () => {
    ({ root, c } = await startOnFixture({ pull: true }));
  });
  after(async () => {
    assert.deepEqual(await stopOnFixture(c, root), [], 'the server logged no errors');
  });

  const folderUri = (rel: string) => uri(root, rel).replace(/\/$/, '');

  it('phasegate/phases: workspace folders → groups → phases → documents, with status, gates and problem counts', async () => {
    const r = await c.conn.sendRequest(PhasesRequest, {});
    assert.equal(r.folders.length, 1);
    const f = r.folders[0];
    assert.equal(f.ready, true);
    assert.deepEqual(
      f.groups.map((g) => [g.label, g.layout, g.phases.map((p) => p.id)]),
      [
        ['audit', 'audit', ['phase-1', 'phase-2']],
        ['Build', 'iai', ['Build/Phase_1_CI']],
      ],
    );
    const [p1, p2] = f.groups[0].phases;
    assert.equal(p1.uri, folderUri('audit/phase-1'));
    assert.equal(p1.status, 'in-progress');
    assert.deepEqual(
      p1.gates.find((g) => g.name === 'Review'),
      { name: 'Review', status: 'pending' },
    );
    assert.ok(p1.blockers.includes('Review: 1 item unchecked'), p1.blockers.join());
    const v = p1.documents.find((d) => d.kind === 'validation')!;
    assert.deepEqual([v.exists, v.problems?.warnings, v.uri], [true, 1, uri(root, 'audit/phase-1/07-VALIDATION.md')]);
    assert.equal(p2.status, 'blocked');
    assert.equal(p2.documents.find((d) => d.kind === 'validation')!.exists, false);
    // Its missing-section error; the validation checklist it has not come to yet is a warning.
    assert.deepEqual([p2.problems?.errors, (p2.problems?.warnings ?? 0) > 0], [1, true]);
    assert.equal(f.groups[1].workstream, 'Build');
  });

  it('follows workspace folders added and removed (multi-root)', async () => {
    const second = copyFixture();
    try {
      await c.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
        event: { added: [{ uri: pathToFileURL(second).href, name: 'second' }], removed: [] },
      });
      const r = await c.until('two folders', async () => {
        const x = await c.conn.sendRequest(PhasesRequest, {});
        return x.folders.length === 2 && x.folders.every((f) => f.ready) && x;
      });
      assert.deepEqual(
        r.folders.map((f) => f.groups.flatMap((g) => g.phases.map((p) => p.id)).length),
        [3, 3],
      );
      const only = await c.conn.sendRequest(PhasesRequest, { folderUri: pathToFileURL(second).href });
      assert.deepEqual(
        only.folders.map((f) => f.name),
        ['second'],
      );
      // Each folder has its own engine: a document of the second folder gets its own diagnostics.
      const brief = uri(second, 'audit/phase-2/00-PHASE_BRIEF.md');
      const ds = (await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: brief } })) as { items: Diagnostic[] };
      assert.ok(ds.items.some((d) => d.code === 'missing-section'));
      await c.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
        event: { added: [], removed: [{ uri: pathToFileURL(second).href, name: 'second' }] },
      });
      await c.until('one folder again', async () => (await c.conn.sendRequest(PhasesRequest, {})).folders.length === 1);
    } finally {
      fs.rmSync(second, { recursive: true, force: true });
    }
  });

  it('phasegate/gates: the gate results of a phase with their checklist items', async () => {
    const r = await c.conn.sendRequest(GatesRequest, { phaseUri: folderUri('audit/phase-1') });
    assert.ok(r);
    assert.equal(r.phaseId, 'phase-1');
    const review = r.gates.find((g) => g.name === 'Review')!;
    assert.equal(review.status, 'pending');
    assert.equal(review.uri, uri(root, 'audit/phase-1/07-VALIDATION.md'));
    assert.equal(review.line, 24);
    assert.deepEqual(
      review.items.map((i) => [i.line, i.checked, i.evidence]),
      [
        [26, true, true],
        [27, false, false],
      ],
    );
    assert.equal(await c.conn.sendRequest(GatesRequest, { phaseUri: uri(root, 'nowhere') }), null);
  });

  it('phasegate/gates: each gate not passed names what holds it, with its document and range', async () => {
    const validation = uri(root, 'audit/phase-1/07-VALIDATION.md');
    const p1 = (await c.conn.sendRequest(GatesRequest, { phaseUri: folderUri('audit/phase-1') }))!;
    const review = p1.gates.find((g) => g.name === 'Review')!;
    // A pending gate: its checklist's unchecked item, at its box (where gate-item-unchecked is reported).
    assert.deepEqual(review.causes, [
      {
        kind: 'unchecked-item',
        uri: validation,
        range: { start: { line: 27, character: 2 }, end: { line: 27, character: 5 } },
        message: 'Unchecked: Second reviewer signed off',
      },
    ]);
    for (const g of p1.gates.filter((x) => x.status === 'passed')) assert.deepEqual(g.causes, [], `${g.name} passed`);

    // A failed gate: the errors of its rules, each where the server reports it.
    const p2 = (await c.conn.sendRequest(GatesRequest, { phaseUri: folderUri('audit/phase-2') }))!;
    const completeness = p2.gates.find((g) => g.name === 'Completeness')!;
    assert.equal(completeness.status, 'failed');
    assert.deepEqual(
      completeness.causes.map((x) => [x.kind, x.code, x.severity]),
      [['diagnostic', 'missing-section', 'error']],
    );
    for (const cause of completeness.causes) {
      const report = (await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: cause.uri } })) as { items: Diagnostic[] };
      assert.ok(
        report.items.some((d) => d.code === cause.code && d.message === cause.message && JSON.stringify(d.range) === JSON.stringify(cause.range)),
        `${cause.code} is reported at ${cause.uri}:${cause.range.start.line}`,
      );
    }
    // A pending gate of a phase without its validation checklist: the document to write.
    assert.deepEqual(
      p2.gates.find((g) => g.name === 'Review')!.causes.map((x) => [x.kind, x.uri]),
      [['missing-document', uri(root, 'audit/phase-2/07-VALIDATION.md')]],
    );
  });

  it("phasegate/gates: cause ranges in the client's text when it starts with a byte order mark (one unit more on the first line), as its diagnostics", async () => {
    const rel = 'audit/phase-2/00-PHASE_BRIEF.md';
    const { uri: u, text } = await c.open(rel);
    // No front matter, a title of another number: errors on the first line, after the mark.
    const withBom = '\uFEFF' + text.replace(/^---\n[\s\S]*?\n---\n\n?/, '').replace('# Phase 2: Testing Enhancement', '# Phase 4: Testing Enhancement');
    await c.change(u, withBom);
    try {
      const report = (await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } })) as { items: Diagnostic[] };
      const r = (await c.conn.sendRequest(GatesRequest, { phaseUri: folderUri('audit/phase-2') }))!;
      const onFirst = r.gates.flatMap((g) => g.causes).filter((x) => x.uri === u && x.range.start.line === 0);
      assert.ok(
        onFirst.some((x) => x.range.start.character > 0),
        JSON.stringify(r.gates.flatMap((g) => g.causes)),
      );
      for (const cause of onFirst) {
        const same = report.items.find((d) => d.code === cause.code && d.message === cause.message);
        assert.ok(same, `${cause.code} is reported`);
        assert.deepEqual(cause.range, same.range, cause.code);
      }
      // The title's, over its text after the mark.
      const mismatch = onFirst.find((x) => x.code === 'heading-mismatch');
      if (mismatch) assert.equal(withBom.split('\n')[0].slice(mismatch.range.start.character, mismatch.range.end.character), 'Phase 4: Testing Enhancement');
    } finally {
      await c.change(u, text);
    }
  });

  it('phasegate/gates: a gate held by thousands of things lists the first of each reason and counts them all', async () => {
    const rel = 'audit/phase-1/07-VALIDATION.md';
    const { uri: u, text } = await c.open(rel);
    const many = Array.from({ length: 3000 }, (_, i) => `- [ ] Reviewer ${i} signed off`).join('\n');
    await c.change(u, text.replace('- [ ] Second reviewer signed off', `- [ ] Second reviewer signed off\n${many}\n- [x] Late check`));
    try {
      const r = (await c.conn.sendRequest(GatesRequest, { phaseUri: folderUri('audit/phase-1') }))!;
      const review = r.gates.find((g) => g.name === 'Review')!;
      assert.deepEqual(review.reasons, ['3001 items unchecked', '1 item without evidence']);
      assert.equal(review.causeCount, 3002);
      assert.deepEqual(
        review.causes.map((x) => x.kind),
        [...Array<string>(50).fill('unchecked-item'), 'no-evidence'],
      );
      assert.equal(review.causes[50].message, 'Checked without evidence: Late check');
      // The checklist itself stays whole: its items are checked and unchecked from it.
      assert.equal(review.items.length, 3003);
      for (const g of r.gates.filter((x) => x.status === 'passed')) assert.deepEqual([g.causes, g.causeCount], [[], 0], g.name);
    } finally {
      await c.change(u, text);
    }
  });

  it('counts the gates at the severities of the phasegate.rules setting, as the diagnostics are', async () => {
    const phase2 = async () => (await c.conn.sendRequest(PhasesRequest, {})).folders[0].groups[0].phases[1];
    const completeness = async () =>
      (await c.conn.sendRequest(GatesRequest, { phaseUri: folderUri('audit/phase-2') }))!.gates.find((g) => g.name === 'Completeness')!;
    const settle = async (rules: Record<string, string>, what: string, ready: (p: Awaited<ReturnType<typeof phase2>>) => boolean) => {
      c.settings = { rules };
      await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      return c.until(what, async () => {
        const p = await phase2();
        return ready(p) && p;
      });
    };
    const before = await phase2();
    assert.equal(before.status, 'blocked');
    // By default the validation checklist phase 2 has not come to yet is pending: only missing-section fails the gate.
    assert.deepEqual((await completeness()).reasons, ['1 × missing-section']);
    try {
      // Set to error, it is one (as a document missing before one written always is).
      const strict = await settle({ 'missing-document': 'error' }, 'missing-document as error', (p) => p.problems?.errors === 2);
      assert.equal(strict.status, 'blocked');
      assert.deepEqual((await completeness()).reasons, ['1 × missing-document', '1 × missing-section']);
      // Turned off: neither counted as problems nor holding the gate.
      const off = await settle({ 'missing-document': 'off', 'missing-section': 'off' }, 'the rules off', (p) => p.problems?.errors === 0);
      assert.notEqual(off.status, 'blocked');
      assert.ok(!off.blockers.some((b) => /missing-(document|section)/.test(b)), off.blockers.join());
      assert.equal((await completeness()).status, 'pending');
      assert.ok(!(await completeness()).reasons.some((r) => /missing-/.test(r)));
      // As warnings: the gate waits for them instead of failing.
      const warn = await settle(
        { 'missing-document': 'warning', 'missing-section': 'warning' },
        'the rules as warnings',
        (p) => p.problems?.errors === 0 && (p.problems?.warnings ?? 0) > 0,
      );
      assert.notEqual(warn.status, 'blocked');
      const g = await completeness();
      assert.equal(g.status, 'pending');
      assert.deepEqual(g.reasons.slice(0, 2), ['1 × missing-document', '1 × missing-section']);
      // The phase's holds say the missing document once, as what to write, not again as the gate's count.
      assert.deepEqual(warn.blockers.slice(0, 2), ['missing 07-VALIDATION.md', 'Completeness: 1 × missing-section'], warn.blockers.join());
    } finally {
      await settle({}, 'the default severities', (p) => p.problems?.errors === 1);
    }
    assert.equal((await completeness()).status, 'failed');
  });

  it('answers malformed parameters of its requests with InvalidParams naming the field, and logs no error', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['phasegate/gates', {}, /`phaseUri` must be a string, not undefined/],
      ['phasegate/gates', { phaseUri: 5 }, /`phaseUri` must be a string, not number/],
      ['phasegate/completeHandoff', [], /the parameters must be an object, not array/],
      ['phasegate/toggleGateItem', { uri: uri(root, 'audit/phase-1/07-VALIDATION.md'), line: 'x' }, /`line` must be a number, not string/],
      ['phasegate/toggleGateItem', { uri: 'file:///x.md', line: 1, checked: 'yes' }, /`checked` must be a boolean when given, not string/],
      ['phasegate/newDocument', { what: 'brief' }, /`targetUri` must be a string, not undefined/],
      [
        'phasegate/renderTemplate',
        { what: 'brief', targetUri: folderUri('audit/phase-1'), options: 'x' },
        /`options` must be an object when given, not string/,
      ],
      ['phasegate/phases', { since: 7 }, /`since` must be a string when given, not number/],
      ['phasegate/phases', { folderUri: 5 }, /`folderUri` must be a string when given, not number/],
      [
        'phasegate/newDocument',
        { what: 'phase', targetUri: folderUri('audit'), options: { title: { a: 1 } } },
        /`options.title` must be a string when given, not object/,
      ],
      [
        'phasegate/newDocument',
        { what: 'finding', targetUri: folderUri('audit/phase-1'), options: { title: 5 } },
        /`options.title` must be a string when given, not number/,
      ],
      [
        'phasegate/renderTemplate',
        { what: 'phase', targetUri: folderUri('audit'), options: { number: '3' } },
        /`options.number` must be a number when given, not string/,
      ],
      [
        'phasegate/newDocument',
        { what: 'phase', targetUri: folderUri('audit'), options: { workstream: ['x'] } },
        /`options.workstream` must be a string when given, not array/,
      ],
    ];
    for (const [method, params, message] of cases) {
      await assert.rejects(
        c.conn.sendRequest(method, params),
        (e: { code?: number; message?: string }) => e.code === -32602 && message.test(e.message ?? '') && e.message!.startsWith(`${method}: `),
        method,
      );
    }
    // Still answering.
    assert.equal((await c.conn.sendRequest(GatesRequest, { phaseUri: folderUri('audit/phase-1') }))?.phaseId, 'phase-1');
  });

  it('phasegate/toggleGateItem: an edit of the checkbox, idempotent with a desired state', async () => {
    const rel = 'audit/phase-1/07-VALIDATION.md';
    const { uri: u, text } = await c.open(rel);
    const edit = await c.conn.sendRequest(ToggleGateItemRequest, { uri: u, line: 27 });
    assert.ok(edit);
    const next = applyWorkspaceEdit(edit, new Map([[u, text]])).get(u)!;
    assert.equal(next.split('\n')[27], '- [x] Second reviewer signed off');
    await c.change(u, next);
    assert.equal(await c.conn.sendRequest(ToggleGateItemRequest, { uri: u, line: 27, checked: true }), null);
    assert.equal(await c.conn.sendRequest(ToggleGateItemRequest, { uri: u, line: 3 }), null, 'not a checklist item');
    const gates = await c.conn.sendRequest(GatesRequest, { phaseUri: folderUri('audit/phase-1') });
    assert.deepEqual(
      gates!.gates.find((g) => g.name === 'Review')!.items.map((i) => i.checked),
      [true, true],
    );
    await c.waitFor('didChangePhases', () => c.events.some((e) => e.kind === 'notification' && e.method === 'phasegate/didChangePhases'));
    await c.change(u, text);
  });

  it('a checklist item per gate, labelled with its name: a code lens on each, its items in phasegate/gates, toggled by line', async () => {
    const rel = 'audit/phase-1/07-VALIDATION.md';
    const { uri: u, text } = await c.open(rel);
    const list = [
      '## Validation Gates',
      '',
      '- [x] **Completeness**: All deliverables produced — Evidence: [report](03-FINDINGS/report.md)',
      '- [x] **Quality**: Quality criteria met — Evidence: [coverage](04-ARTIFACTS/coverage.md)',
      '- [x] **Documentation**: Decisions documented — Evidence: [decisions](05-DECISIONS.md)',
      '- [x] **Testing**: Validation tests pass — Evidence: [coverage](04-ARTIFACTS/coverage.md)',
      '- [ ] **Review**: Peer review completed — Evidence: [report](03-FINDINGS/report.md)',
      '- [x] **Approval**: Stakeholder sign-off — Evidence: [report](03-FINDINGS/report.md)',
      '',
      '',
    ].join('\n');
    const listed = text.replace(/## Gate 1[\s\S]*?(?=## Success Metrics)/, list);
    assert.notEqual(listed, text);
    await c.change(u, listed);
    const lines = listed.split('\n');
    const review = lines.findIndex((l) => l.includes('**Review**'));
    const lenses = (await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: u } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command!.title.replace(/ — .*/, '')]),
      ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'].map((g, k) => [
        review - 4 + k,
        g === 'Review' ? '… Gate Review: pending · 0/1 checked' : `✓ Gate ${g}: passed · 1/1 checked`,
      ]),
    );
    const gates = await c.conn.sendRequest(GatesRequest, { phaseUri: folderUri('audit/phase-1') });
    const gate = gates!.gates.find((g) => g.name === 'Review')!;
    assert.deepEqual([gate.line, gate.items.map((i) => [i.line, i.checked])], [review, [[review, false]]]);
    assert.deepEqual(
      gate.causes.map((x) => [x.kind, x.range.start.line]),
      [['unchecked-item', review]],
    );
    const edit = await c.conn.sendRequest(ToggleGateItemRequest, { uri: u, line: review });
    assert.ok(edit);
    const next = applyWorkspaceEdit(edit, new Map([[u, listed]])).get(u)!;
    assert.equal(next.split('\n')[review], lines[review].replace('- [ ]', '- [x]'));
    await c.change(u, next);
    const after = await c.conn.sendRequest(GatesRequest, { phaseUri: folderUri('audit/phase-1') });
    assert.equal(after!.gates.find((g) => g.name === 'Review')!.status, 'passed');
    await c.change(u, text);
  });

  it('phasegate/completeHandoff: fills the next phase input handoff; a second run has nothing to do', async () => {
    const out = await c.open('audit/phase-1/06-OUTPUT_HANDOFF.md');
    await c.change(
      out.uri,
      out.text.replace('## Recommended Next Steps', '- Coverage data: [coverage](04-ARTIFACTS/coverage.md) - coverage per module\n\n## Recommended Next Steps'),
    );
    const input = await c.open('audit/phase-2/01-INPUT_HANDOFF.md');
    const pull = async () =>
      ((await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: input.uri } })) as { items: Diagnostic[] }).items;
    assert.ok((await pull()).some((d) => d.code === 'handoff-mismatch'));
    const r = await c.conn.sendRequest(CompleteHandoffRequest, { phaseUri: folderUri('audit/phase-2') });
    assert.ok(r.edit, r.message);
    const next = applyWorkspaceEdit(r.edit, new Map([[input.uri, input.text]])).get(input.uri)!;
    assert.match(next, /Coverage data: \[coverage\]\(\.\.\/phase-1\/04-ARTIFACTS\/coverage\.md\)/);
    await c.change(input.uri, next);
    assert.ok(!(await pull()).some((d) => d.code === 'handoff-mismatch'));
    const again = await c.conn.sendRequest(CompleteHandoffRequest, { phaseUri: folderUri('audit/phase-2') });
    assert.equal(again.edit, null);
    const first = await c.conn.sendRequest(CompleteHandoffRequest, { phaseUri: folderUri('audit/phase-1') });
    assert.equal(first.edit, null);
    await c.change(out.uri, out.text);
    await c.change(input.uri, input.text);
  });

  it('phasegate/renderTemplate and phasegate/newDocument: plan files from the templates, never overwriting', async () => {
    const params = { what: 'validation', targetUri: folderUri('audit/phase-2') };
    const rendered = await c.conn.sendRequest(RenderTemplateRequest, params);
    assert.deepEqual(rendered.errors, []);
    assert.equal(rendered.edit, null);
    assert.equal(rendered.files[0].uri, uri(root, 'audit/phase-2/07-VALIDATION.md'));
    assert.match(rendered.files[0].text, /## Gate 1: Completeness/);
    const created = await c.conn.sendRequest(NewDocumentRequest, params);
    const ops = created.edit!.documentChanges!;
    assert.deepEqual(ops[0], CreateFile.create(uri(root, 'audit/phase-2/07-VALIDATION.md'), { ignoreIfExists: false, overwrite: false }));
    assert.equal((ops[1] as TextDocumentEdit).textDocument.uri, uri(root, 'audit/phase-2/07-VALIDATION.md'));
    const existing = await c.conn.sendRequest(NewDocumentRequest, { what: 'brief', targetUri: uri(root, 'audit/phase-1/00-PHASE_BRIEF.md') });
    assert.deepEqual([existing.edit, existing.files[0].exists], [null, true]);
    const phase = await c.conn.sendRequest(NewDocumentRequest, {
      what: 'phase',
      targetUri: folderUri('audit/phase-2'),
      options: { title: 'Containerization' },
    });
    assert.deepEqual(phase.errors, []);
    const files = phase.files.map((f) => path.relative(root, new URL(f.uri).pathname));
    assert.ok(files.includes('audit/phase-3/00-PHASE_BRIEF.md') && files.includes('audit/phase-3/01-INPUT_HANDOFF.md'), files.join());
    // The number of the phase planned (the editor's New Phase names it), and none for a document of a phase.
    assert.deepEqual([phase.number, rendered.number], [3, undefined]);
    const iai = await c.conn.sendRequest(NewDocumentRequest, {
      what: 'phase',
      targetUri: folderUri('project/workstreams/Build'),
      options: { title: 'Dependencies', layout: 'iai' },
    });
    assert.deepEqual(iai.errors, []);
    assert.deepEqual(
      iai.files.map((f) => path.relative(root, new URL(f.uri).pathname)),
      ['project/workstreams/Build/Phase_2_Dependencies/implementation_prompt.md'],
    );
    assert.equal(iai.number, 2);
    const bad = await c.conn.sendRequest(NewDocumentRequest, { what: 'response', targetUri: folderUri('audit/phase-2') });
    assert.equal(bad.edit, null);
    assert.equal(bad.errors.length, 1);
  });

  it('phasegate/newDocument: a finding with the title of one there is a new file of its own, also before the watcher reports that one', async () => {
    const ask = async () => {
      const r = await c.conn.sendRequest(NewDocumentRequest, { what: 'finding', targetUri: folderUri('audit/phase-1'), options: { title: 'Stale lockfile' } });
      assert.deepEqual(r.errors, []);
      return r.files.map((f) => [path.relative(root, new URL(f.uri).pathname), f.exists]);
    };
    const first = path.join(root, 'audit/phase-1/03-FINDINGS/stale-lockfile.md');
    const second = path.join(root, 'audit/phase-1/03-FINDINGS/stale-lockfile-2.md');
    const third = path.join(root, 'audit/phase-1/03-FINDINGS/finding-4.md');
    assert.deepEqual(await ask(), [['audit/phase-1/03-FINDINGS/stale-lockfile.md', false]]);
    try {
      // Written as the editor writes the planned file; the watcher's event for it has not come yet.
      fs.writeFileSync(first, '# Finding 2: Stale lockfile\n');
      assert.deepEqual(await ask(), [['audit/phase-1/03-FINDINGS/stale-lockfile-2.md', false]]);
      // Reported: the engine knows of it, the same answer.
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(first).href, type: FileChangeType.Created }] });
      assert.deepEqual(await ask(), [['audit/phase-1/03-FINDINGS/stale-lockfile-2.md', false]]);
      fs.writeFileSync(second, '# Finding 3: Stale lockfile\n');
      assert.deepEqual(await ask(), [['audit/phase-1/03-FINDINGS/stale-lockfile-3.md', false]]);
      // Without a title: numbered after them (the fixture's report.md, stale-lockfile.md, stale-lockfile-2.md).
      const numbered = await c.conn.sendRequest(NewDocumentRequest, { what: 'finding', targetUri: folderUri('audit/phase-1') });
      assert.deepEqual(
        numbered.files.map((f) => path.relative(root, new URL(f.uri).pathname)),
        ['audit/phase-1/03-FINDINGS/finding-4.md'],
      );
      fs.writeFileSync(third, '# Finding 4\n');
      const next = await c.conn.sendRequest(NewDocumentRequest, { what: 'finding', targetUri: folderUri('audit/phase-1') });
      assert.deepEqual(
        next.files.map((f) => path.relative(root, new URL(f.uri).pathname)),
        ['audit/phase-1/03-FINDINGS/finding-5.md'],
      );
    } finally {
      for (const f of [first, second, third]) {
        fs.rmSync(f, { force: true });
        await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(f).href, type: FileChangeType.Deleted }] });
      }
    }
  });

  it('phasegate/newDocument: plans nothing while phasegate.yaml has an error, and says where', async () => {
    const request = () => c.conn.sendRequest(NewDocumentRequest, { what: 'phase', targetUri: folderUri('audit'), options: { title: 'Next' } });
    assert.deepEqual((await request()).errors, []);
    const config = path.join(root, 'phasegate.yaml');
    fs.writeFileSync(
      config,
      'rules:\n  missing-section: off\nlayouts:\n  - name: sprint\n    phases: "sprints/*"\n    documents:\n      - kind: goals\n        requird: true\n',
    );
    try {
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, 'phasegate.yaml'), type: FileChangeType.Created }] });
      const refused = await c.until('the broken config read', async () => {
        const r = await request();
        return r.errors.length ? r : undefined;
      });
      assert.equal(refused.edit, null);
      assert.deepEqual(refused.files, []);
      assert.match(refused.errors[0], /^phasegate\.yaml:7:9: .*; fix it first, nothing is created\.$/);
    } finally {
      fs.rmSync(config);
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, 'phasegate.yaml'), type: FileChangeType.Deleted }] });
    }
    await c.until('the config gone', async () => (await request()).errors.length === 0);
  });

  it('phasegate/newDocument: a new iAI phase gets its row in the project plan, as a text edit of the plan on the version read', async () => {
    const rel = 'project/project_implementation_plan.md';
    const text =
      '# Plan\r\n\r\n## Phase Status\r\n\r\n| Workstream | Phase | Status |\r\n| --- | --- | --- |\r\n| Build | Phase_1_CI | Complete |\r\n\r\nNotes.\r\n';
    fs.writeFileSync(path.join(root, rel), text);
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, rel), type: FileChangeType.Created }] });
    const plan = await c.open(rel);
    const version = await c.change(plan.uri, text.replace('Notes.', 'Notes, typed and not saved.'));
    const r = await c.conn.sendRequest(NewDocumentRequest, {
      what: 'phase',
      targetUri: folderUri('project/workstreams/Build'),
      options: { title: 'Release', layout: 'iai' },
    });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.files.map((f) => path.relative(root, new URL(f.uri).pathname)),
      ['project/workstreams/Build/Phase_2_Release/implementation_prompt.md'],
    );
    const ops = r.edit!.documentChanges!;
    const planEdits = ops.filter((o): o is TextDocumentEdit => 'textDocument' in o && o.textDocument.uri === plan.uri);
    assert.equal(planEdits.length, 1);
    assert.equal(planEdits[0].textDocument.version, version);
    const after = TextDocument.applyEdits(
      TextDocument.create(plan.uri, 'markdown', version, text.replace('Notes.', 'Notes, typed and not saved.')),
      planEdits[0].edits as TextEdit[],
    );
    assert.equal(
      after,
      text.replace('Notes.', 'Notes, typed and not saved.').replace('Complete |\r\n', 'Complete |\r\n| Build | Phase_2_Release | Not started |\r\n'),
    );
    fs.rmSync(path.join(root, rel));
  });
});

describe('language server: phase tree updates (versions, changes only)', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });

  const notices = () =>
    s.c.events.filter((e) => e.kind === 'notification' && e.method === 'phasegate/didChangePhases').map((e) => e.params as DidChangePhasesParams);
  const whole = () => s.c.conn.sendRequest(PhasesRequest, {});
  /** The tree without the answer's own names, to compare trees built by different answers. */
  const tree = (r: PhasesResult) => r.folders;
  const phaseUris = (r: PhasesResult) => (r.changed ?? []).map((p) => path.relative(s.root, new URL(p.uri).pathname));
  /** Waits for the server's notice of a change made after `seen` notices. */
  const noticeAfter = (seen: number) => s.c.waitFor('a didChangePhases', () => notices().length > seen && notices()[notices().length - 1]);

  it('the first tree, asked for while the folder loads, already shows the load the first notice announces', async () => {
    // Sent right after `initialized`: the server answers once the folder has loaded.
    const first = await whole();
    assert.equal(first.folders[0].ready, true);
    const [notice] = await s.c.waitFor('the first didChangePhases', () => notices().length > 0 && notices());
    assert.deepEqual(notice.folderUris, [first.folders[0].uri]);
    assert.ok(notice.version >= 1, `version ${notice.version}`);
    assert.ok(first.version >= notice.version, `answer ${first.version} < notice ${notice.version}: a client would fetch the tree twice`);
  });

  it('after an edit: a higher version, and only the phases it changed, which complete the tree in hand to the whole new tree', async () => {
    const held = await whole();
    assert.equal(held.changed, undefined);
    const seen = notices().length;
    const { uri: u, text } = await s.c.open('audit/phase-1/07-VALIDATION.md');
    await s.c.change(u, text.replace('- [ ] Second reviewer signed off', '- [x] Second reviewer signed off'));
    const notice = await noticeAfter(seen);
    assert.ok(notice.version > held.version, `notice ${notice.version} <= answer ${held.version}: a client would miss the edit`);
    const update = await s.c.conn.sendRequest(PhasesRequest, { since: held.id });
    assert.ok(update.version >= notice.version);
    assert.deepEqual(update.folders, []);
    // The edited phase, and at most the phases whose results depend on it (the next one); not the other group's.
    assert.equal(phaseUris(update)[0], 'audit/phase-1');
    assert.ok(
      phaseUris(update).every((p) => p === 'audit/phase-1' || p === 'audit/phase-2'),
      phaseUris(update).join(),
    );
    const blockers = update.changed![0].blockers;
    assert.ok(!blockers.some((b) => b.startsWith('Review: ') && b.includes('unchecked')), `the update shows the edit: ${blockers.join()}`);
    const merged = applyChangedPhases(held, update);
    assert.ok(merged);
    assert.deepEqual(tree(merged), tree(await whole()));
    await s.c.change(u, text);
  });

  it('a change to a handoff updates the next phase too; nothing changed, nothing sent', async () => {
    let held = await whole();
    const out = await s.c.open('audit/phase-1/06-OUTPUT_HANDOFF.md');
    await s.c.change(
      out.uri,
      out.text.replace('## Recommended Next Steps', '- Coverage data: [coverage](04-ARTIFACTS/coverage.md) - coverage per module\n\n## Recommended Next Steps'),
    );
    const update = await s.c.conn.sendRequest(PhasesRequest, { since: held.id });
    assert.ok(phaseUris(update).includes('audit/phase-2'), phaseUris(update).join());
    held = applyChangedPhases(held, update)!;
    assert.deepEqual(tree(held), tree(await whole()));
    // The whole answer just now was the server's last: the tree in hand (merged) names an older one.
    const stale = await s.c.conn.sendRequest(PhasesRequest, { since: update.id });
    assert.equal(stale.changed, undefined, 'an answer that is not the last one gets the whole tree');
    const none = await s.c.conn.sendRequest(PhasesRequest, { since: stale.id });
    assert.deepEqual(none.changed, []);
    await s.c.change(out.uri, out.text);
  });

  it('an artifact appearing or disappearing is announced, one change, also in a batch with a build output written again', async () => {
    // A tree whose version the last notice announced: no change of the tests before is still to be announced.
    const held = await s.c.until('every change announced', async () => {
      const t = await whole();
      return notices().length > 0 && notices()[notices().length - 1].version === t.version && t;
    });
    const seen = notices().length;
    const lenses = s.c.count('lensRefresh');
    const bundle = path.join(s.root, 'dist/bundle.js');
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    fs.writeFileSync(bundle, 'console.log(1);\n');
    const bundleUri = pathToFileURL(bundle).href;
    // A change reported twice in one batch, as two watchers of a client would.
    await s.c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [
        { uri: bundleUri, type: FileChangeType.Changed },
        { uri: bundleUri, type: FileChangeType.Changed },
      ],
    });
    // Then an artifact a handoff names appears: the server must still learn of it (missing-artifact, broken-link).
    const artifact = path.join(s.root, 'audit/phase-2/04-ARTIFACTS/new-report.md');
    fs.writeFileSync(artifact, '# Report\n');
    await s.c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(artifact).href, type: FileChangeType.Created }] });
    const notice = await noticeAfter(seen);
    // One change counted: the artifact's (the bundle's, in the same batch or not, is none: test/unit/file-watcher.test.ts).
    assert.equal(notice.version, held.version + 1, `version ${notice.version} after ${held.version}: the bundle's change counted too`);
    await s.c.waitFor('the code lens refresh of the artifact', () => s.c.count('lensRefresh') > lenses);
    assert.equal(s.c.count('lensRefresh'), lenses + 1);
    fs.rmSync(artifact);
    await s.c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(artifact).href, type: FileChangeType.Deleted }] });
    await noticeAfter(seen + 1);
  });

  it('the whole tree for an unknown answer, a new phase folder, or a settings change', async () => {
    assert.equal((await s.c.conn.sendRequest(PhasesRequest, { since: 'no-such-answer' })).changed, undefined);
    let held = await whole();
    const seen = notices().length;
    const brief = path.join(s.root, 'audit/phase-3/00-PHASE_BRIEF.md');
    fs.mkdirSync(path.dirname(brief), { recursive: true });
    fs.writeFileSync(brief, '# Phase 3 Brief\n\n## Objectives\n\n- Ship\n');
    await s.c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(brief).href, type: FileChangeType.Created }] });
    await noticeAfter(seen);
    const added = await s.c.conn.sendRequest(PhasesRequest, { since: held.id });
    assert.equal(added.changed, undefined);
    assert.deepEqual(
      added.folders[0].groups[0].phases.map((p) => p.id),
      ['phase-1', 'phase-2', 'phase-3'],
    );
    held = added;
    s.c.settings = { rules: { 'missing-section': 'off' } };
    await s.c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const configured = await s.c.until('a tree with the new settings', async () => {
      const r = await s.c.conn.sendRequest(PhasesRequest, { since: held.id });
      held = r.changed ? applyChangedPhases(held, r)! : r;
      return r.changed === undefined && r;
    });
    assert.deepEqual(tree(configured), tree(await whole()));
    s.c.settings = {};
    await s.c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  });
});
