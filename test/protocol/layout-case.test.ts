/**
 * The built-in layouts' names in another case, in the editor: the warning at a file that would be a phase's
 * document ignoring case is shown while the file is open too (the workspace diagnostics leave open documents to
 * the document pull), and a `Workstreams/` folder is warned of in the workspace diagnostics.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DocumentDiagnosticRequest,
  type DocumentDiagnosticReport,
  WorkspaceDiagnosticRequest,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { CompleteHandoffRequest, NewDocumentRequest, PhasesRequest } from '../../server/src/protocol';
import { buildServer, copyFixture, stopOnFixture, TestClient, uri } from './client';

describe('language server: the built-in layouts names in another case', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  before(async () => {
    await buildServer();
    root = copyFixture();
    fs.mkdirSync(path.join(root, 'phase_9'), { recursive: true });
    fs.writeFileSync(path.join(root, 'phase_9/00-phase_brief.md'), '# Phase 9: Later\n');
    fs.mkdirSync(path.join(root, 'Workstreams/Build/Phase_1_X'), { recursive: true });
    fs.writeFileSync(path.join(root, 'Workstreams/Build/Phase_1_X/implementation_prompt.md'), '# Phase 1: X\n');
    // A phase's documents in another case: the editor's New and Complete Handoff create none beside them.
    fs.renameSync(path.join(root, 'audit/phase-2/01-INPUT_HANDOFF.md'), path.join(root, 'audit/phase-2/01-input_handoff.md'));
    fs.renameSync(path.join(root, 'audit/phase-2/06-OUTPUT_HANDOFF.md'), path.join(root, 'audit/phase-2/06-output_handoff.md'));
    // A phase's document and folder beside the ones as named, in another case.
    fs.copyFileSync(path.join(root, 'audit/phase-1/01-INPUT_HANDOFF.md'), path.join(root, 'audit/phase-1/01-Input_Handoff.md'));
    fs.mkdirSync(path.join(root, 'audit/phase-1/03-Findings'));
    fs.writeFileSync(path.join(root, 'audit/phase-1/03-Findings/extra.md'), '# Extra\n');
    c = await TestClient.start(root, { pull: true });
  });
  after(async () => {
    assert.deepEqual(await stopOnFixture(c, root), [], 'the server logged no errors');
  });

  it('warns at a document in another case while it is closed and while it is open, and at a Workstreams/ folder', async () => {
    await c.until('the phases', async () => (await c.conn.sendRequest(PhasesRequest, {})).folders[0]?.groups.length > 0);
    const brief = uri(root, 'phase_9/00-phase_brief.md');
    const told = (items: { message: unknown; code?: unknown }[]) =>
      items.filter((d) => d.code === 'missing-document' && String(d.message).startsWith('phase_9 is not checked as a phase')).length;
    const r = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const items = r.items as WorkspaceDocumentDiagnosticReport[];
    const of = (u: string) => items.filter((i) => i.uri === u).flatMap((i) => (i.kind === 'full' ? i.items : []));
    assert.equal(told(of(brief)), 1, 'closed: in the workspace diagnostics');
    assert.equal(
      of(uri(root, 'Workstreams')).filter((d) => d.code === 'missing-folder' && String(d.message).startsWith("Workstreams/ is not the iAI layout's")).length,
      1,
    );
    await c.open('phase_9/00-phase_brief.md');
    const open: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: brief } });
    assert.equal(told(open.kind === 'full' ? open.items : []), 1, 'open: in the document pull');
  });

  it('warns at a document beside its name as written, while it is closed and while it is open, once, and at such a folder', async () => {
    await c.until('the phases', async () => (await c.conn.sendRequest(PhasesRequest, {})).folders[0]?.groups.length > 0);
    const file = uri(root, 'audit/phase-1/01-Input_Handoff.md');
    const beside = (items: { message: unknown; code?: unknown }[]) =>
      items.filter((d) => d.code === 'missing-document' && String(d.message).startsWith('01-Input_Handoff.md is not read as the input handoff of phase'))
        .length;
    const r = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const items = r.items as WorkspaceDocumentDiagnosticReport[];
    const of = (u: string) => items.filter((i) => i.uri === u).flatMap((i) => (i.kind === 'full' ? i.items : []));
    assert.equal(beside(of(file)), 1, 'closed: in the workspace diagnostics');
    assert.equal(
      of(uri(root, 'audit/phase-1/03-Findings')).filter(
        (d) => d.code === 'missing-folder' && String(d.message).startsWith('03-Findings/ is not read as the 03-FINDINGS/ folder of phase'),
      ).length,
      1,
    );
    await c.open('audit/phase-1/01-Input_Handoff.md');
    const open: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: file } });
    assert.equal(beside(open.kind === 'full' ? open.items : []), 1, 'open: in the document pull');
  });

  it("the editor's New Handoff and Complete Handoff create nothing beside a document in another case, and say why", async () => {
    await c.until('the phases', async () => (await c.conn.sendRequest(PhasesRequest, {})).folders[0]?.groups.length > 0);
    const why = '(names match case-sensitively on every system, as CI on Linux does)';
    const made = await c.conn.sendRequest(NewDocumentRequest, { what: 'handoff', targetUri: uri(root, 'audit/phase-2') });
    assert.deepEqual(made, {
      files: [],
      edit: null,
      errors: [
        `audit/phase-2/06-output_handoff.md is named in another case than audit/phase-2/06-OUTPUT_HANDOFF.md ${why}: rename it 06-OUTPUT_HANDOFF.md; nothing is created`,
      ],
    });
    const completed = await c.conn.sendRequest(CompleteHandoffRequest, { phaseUri: uri(root, 'audit/phase-2') });
    assert.deepEqual(completed, {
      edit: null,
      message: `audit/phase-2/01-input_handoff.md is named in another case than audit/phase-2/01-INPUT_HANDOFF.md ${why}: rename it 01-INPUT_HANDOFF.md; nothing is created.`,
    });
    assert.deepEqual(fs.readdirSync(path.join(root, 'audit/phase-2')).sort(), [
      '00-PHASE_BRIEF.md',
      '01-input_handoff.md',
      '02-EXECUTION_PLAN.md',
      '03-FINDINGS',
      '04-ARTIFACTS',
      '05-DECISIONS.md',
      '06-output_handoff.md',
    ]);
  });
});
