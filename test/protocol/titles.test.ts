import * as assert from 'node:assert/strict';
import {
  CompletionItem,
  CompletionList,
  CompletionRequest,
  DocumentDiagnosticRequest,
  Hover,
  HoverRequest,
  MarkupContent,
  SymbolInformation,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import { PhasesRequest, PhasesResult } from '../../server/src/protocol';
import { fixtureServer, TestClient } from './client';

/** The titles `phasegate status` and `check --format json` show for the fixture's phases (front matter title or H1 of the brief/prompt). */
const CLI_TITLES = [
  ['phase-1', 'Foundation Audit'],
  ['phase-2', 'Testing Enhancement'],
  ['Build/Phase_1_CI', 'Initial CI Setup'],
];

const titles = (r: PhasesResult) => r.folders.flatMap((f) => f.groups.flatMap((g) => g.phases.map((p) => [p.id, p.title])));

/** After the H1 of phase-1's brief changes: the changes-only answer brings phase-1 with its new title. */
async function titleEditScenario(c: TestClient): Promise<void> {
  const notices = () => c.events.filter((e) => e.kind === 'notification' && e.method === 'phasegate/didChangePhases').length;
  const held = await c.conn.sendRequest(PhasesRequest, {});
  const { uri, text } = await c.open('audit/phase-1/00-PHASE_BRIEF.md');
  const seen = notices();
  await c.change(uri, text.replace('# Phase 1: Foundation Audit', '# Phase 1: Foundation Review'));
  await c.waitFor('a didChangePhases', () => notices() > seen);
  // The notice seen may be an earlier edit's (the test before edits a handoff): the edit is applied once
  // the document's diagnostics answer (they wait for pending edits); the phase tree does not wait for them.
  await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
  const update = await c.conn.sendRequest(PhasesRequest, { since: held.id });
  assert.deepEqual(update.folders, [], 'only the changes');
  // phase-1, and at most the next phase, whose results depend on it.
  assert.equal(update.changed?.find((p) => p.id === 'phase-1')?.title, 'Foundation Review');
  assert.ok(update.changed?.every((p) => p.id === 'phase-1' || p.id === 'phase-2'));
  await c.change(uri, text);
}

describe('language server: phase titles are those of the CLI (the brief or prompt)', function () {
  this.timeout(60_000);

  describe('with diagnostics', () => {
    const s = fixtureServer({ pull: true });

    it('in the phase tree', async () => {
      assert.deepEqual(titles(await s.c.conn.sendRequest(PhasesRequest, {})), CLI_TITLES);
    });

    it('in the hover summary of a phase reference, workspace symbols and phase id completion', async () => {
      const { uri } = await s.c.open('audit/phase-2/01-INPUT_HANDOFF.md');
      await s.c.change(uri, '# Phase 2 Input Handoff\n\nFrom phase-1, see phase-\n');
      const hover = (await s.c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 7 } })) as Hover;
      assert.match((hover.contents as MarkupContent).value, /^\*\*phase-1\*\* — Foundation Audit\n/);
      const symbols = (await s.c.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'Initial CI' })) as SymbolInformation[];
      assert.deepEqual(
        symbols.map((x) => x.name),
        ['Build/Phase_1_CI — Initial CI Setup'],
      );
      const r = (await s.c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 24 } })) as
        CompletionItem[] | CompletionList;
      const items = Array.isArray(r) ? r : r.items;
      assert.equal(items.find((i) => i.label === 'phase-2')?.detail, 'Testing Enhancement (audit phase)');
    });

    it('a title edit updates the phase in the changes-only tree', async () => {
      await titleEditScenario(s.c);
    });
  });

  describe('while an edit waits for its debounce', () => {
    const s = fixtureServer({ pull: true, settings: { validate: { debounceMs: 10_000 } } });

    it('workspace symbols show the title just typed, not the one before it', async () => {
      const query = () => s.c.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'phase-1 Foundation' }) as Promise<SymbolInformation[]>;
      const { uri, text } = await s.c.open('audit/phase-1/00-PHASE_BRIEF.md');
      assert.deepEqual(
        (await query()).map((x) => x.name),
        ['phase-1 — Foundation Audit'],
      );
      await s.c.change(uri, text.replace(/Foundation Audit/g, 'Foundation Review'));
      const symbols = await query();
      assert.deepEqual(
        symbols.map((x) => x.name),
        ['phase-1 — Foundation Review'],
      );
    });

    it("completion of phase ids in another phase's documents shows the title just typed in the phase's brief", async () => {
      const brief = await s.c.open('audit/phase-1/00-PHASE_BRIEF.md');
      const handoff = await s.c.open('audit/phase-2/01-INPUT_HANDOFF.md');
      const line = handoff.text.split('\n').length - 1;
      await s.c.change(handoff.uri, handoff.text + 'See phase-\n');
      const detail = async () => {
        const r = (await s.c.conn.sendRequest(CompletionRequest.type, {
          textDocument: { uri: handoff.uri },
          position: { line, character: 'See phase-'.length },
        })) as CompletionItem[] | CompletionList | null;
        const items = Array.isArray(r) ? r : (r?.items ?? []);
        return items.find((i) => i.label === 'phase-1')?.detail;
      };
      try {
        assert.match((await detail()) ?? '', /Foundation Audit/);
        // The brief's title edited: its edit waits for the debounce while the completion is asked in the handoff.
        await s.c.change(brief.uri, brief.text.replace(/Foundation Audit/g, 'Foundation Check'));
        assert.match((await detail()) ?? '', /Foundation Check/);
      } finally {
        await s.c.change(brief.uri, brief.text);
        await s.c.change(handoff.uri, handoff.text);
      }
    });
  });

  describe('with checking off (phasegate.enable false)', () => {
    const s = fixtureServer({ pull: true, settings: { enable: false } });

    it('the folder is shown turned off, without phases, and an edit changes nothing in it', async () => {
      const whole = await s.c.conn.sendRequest(PhasesRequest, {});
      assert.deepEqual(
        whole.folders.map((f) => [f.ready, f.disabled, f.groups.length, f.plans.length]),
        [[true, true, 0, 0]],
      );
      const { uri, text } = await s.c.open('audit/phase-1/00-PHASE_BRIEF.md');
      await s.c.change(uri, text.replace('# Phase 1: Foundation Audit', '# Phase 1: Foundation Review'));
      const update = await s.c.conn.sendRequest(PhasesRequest, { since: whole.id });
      assert.deepEqual([update.folders, update.changed], [[], []]);
      await s.c.change(uri, text);
    });
  });
});
