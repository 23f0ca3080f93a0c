/**
 * unvalidated-handoff over stdio: phase N+1's input handoff follows phase N's gates as the editor
 * changes them, from phase N's validation checklist and from phase N-1's output handoff, which phase
 * N's gates read through its own input handoff.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Diagnostic, DocumentDiagnosticReport, DocumentDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import { REPO, TestClient, buildServer, fixtureServer, stopOnFixture } from './client';

const CODE = 'unvalidated-handoff';
const msg = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

async function pull(c: TestClient, u: string): Promise<Diagnostic[]> {
  const r: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
  assert.equal(r.kind, 'full');
  return r.kind === 'full' ? r.items : [];
}

const told = (ds: Diagnostic[]) => ds.filter((d) => d.code === CODE).map(msg);

// The fixture's phase 1 waits for its second reviewer: phase 2 takes its inputs too early.
const VAL1 = 'audit/phase-1/07-VALIDATION.md';
const IN2 = 'audit/phase-2/01-INPUT_HANDOFF.md';
const UNCHECKED = '- [ ] Second reviewer signed off';
const CHECKED = '- [x] Second reviewer signed off — Evidence: [report](03-FINDINGS/report.md)';
const PENDING = 'phase-1 has not passed validation (Review pending): its handoff is not final.';

describe('language server: unvalidated-handoff follows the previous phase’s gates (pull client)', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });

  it('clears the warning when phase N’s last unchecked item is checked with evidence, and brings it back', async () => {
    const { c } = s;
    const input = await c.open(IN2);
    assert.deepEqual(told(await pull(c, input.uri)), [PENDING]);
    const val = await c.open(VAL1);
    assert.ok(val.text.includes(UNCHECKED));
    await pull(c, val.uri);
    let before = c.count('refresh');
    await c.change(val.uri, val.text.replace(UNCHECKED, CHECKED));
    await c.waitFor('a diagnostics refresh', () => c.count('refresh') > before);
    assert.deepEqual(told(await pull(c, input.uri)), []);
    before = c.count('refresh');
    await c.change(val.uri, val.text);
    await c.waitFor('a second refresh', () => c.count('refresh') > before);
    assert.deepEqual(told(await pull(c, input.uri)), [PENDING]);
  });
});

describe('language server: unvalidated-handoff follows the previous phase’s gates (push client)', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: false });

  it('publishes the next phase’s input handoff without the warning, then with it again', async () => {
    const { c } = s;
    const input = await c.open(IN2);
    const last = () => {
      const ps = c.publishes(input.uri);
      return ps[ps.length - 1];
    };
    await c.waitFor('publish with the warning', () => last() && told(last().diagnostics).includes(PENDING));
    const val = await c.open(VAL1);
    await c.change(val.uri, val.text.replace(UNCHECKED, CHECKED));
    await c.waitFor('publish without it', () => told(last().diagnostics).length === 0);
    await c.change(val.uri, val.text);
    await c.waitFor('publish with it again', () => told(last().diagnostics).includes(PENDING));
  });
});

describe('language server: unvalidated-handoff after a change two phases back', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  before(async () => {
    // The bundled audit example: phases 1 and 2 complete, phase 3 in progress.
    await buildServer();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-ws-')));
    fs.cpSync(path.join(REPO, 'examples', 'audit-deployment'), root, { recursive: true });
    c = await TestClient.start(root, { pull: true });
  });
  after(async () => {
    const errors = await stopOnFixture(c, root);
    assert.deepEqual(errors, []);
  });

  it('warns in phase 3’s input handoff when phase 1’s output handoff makes phase 2 fail its Approval, and stops when it is undone', async () => {
    const input3 = await c.open('phase-3/01-INPUT_HANDOFF.md');
    assert.deepEqual(told(await pull(c, input3.uri)), []);
    const out1 = await c.open('phase-1/06-OUTPUT_HANDOFF.md');
    await pull(c, out1.uri);
    // Phase 1 hands off an input phase 2 does not receive: phase 2's input handoff mismatches (an error of its Approval gate).
    const more = out1.text.replace(
      '## Recommended Next Steps',
      '- Audit script: [run-audit.sh](04-ARTIFACTS/run-audit.sh) - reruns the audit\n\n## Recommended Next Steps',
    );
    assert.notEqual(more, out1.text);
    // The server asks for a refresh: phase 3's input handoff, which the client holds, changed.
    let before = c.count('refresh');
    await c.change(out1.uri, more);
    await c.waitFor('a diagnostics refresh', () => c.count('refresh') > before);
    assert.deepEqual(told(await pull(c, input3.uri)), ['phase-2 has not passed validation (Approval failed): its handoff is not final.']);
    before = c.count('refresh');
    await c.change(out1.uri, out1.text);
    await c.waitFor('a second refresh', () => c.count('refresh') > before);
    assert.deepEqual(told(await pull(c, input3.uri)), []);
  });
});
