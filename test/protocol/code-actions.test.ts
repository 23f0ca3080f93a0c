/** Code actions over the protocol: what they edit is the text the client holds at the version they name. */
import * as assert from 'node:assert/strict';
import {
  CodeAction,
  CodeActionRequest,
  ConfigurationRequest,
  Diagnostic,
  DocumentDiagnosticReport,
  DidChangeConfigurationNotification,
  DocumentDiagnosticRequest,
  LSPErrorCodes,
  ResponseError,
} from 'vscode-languageserver-protocol/node';
import { applyWorkspaceEdit, fixtureServer, TestClient } from './client';

const BRIEF = 'audit/phase-1/00-PHASE_BRIEF.md';

async function pull(c: TestClient, u: string): Promise<Diagnostic[]> {
  const r: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
  return r.kind === 'full' ? r.items : [];
}

describe('language server: code actions', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });

  it('gives no actions computed on text that changed while they were computed (the settings were asked meanwhile)', async () => {
    const { c } = s;
    const { uri: u, text } = await c.open(BRIEF);
    // Without front matter: its problem has quick fixes at line 0.
    const body = text.replace(/^---\n[\s\S]*?\n---\n\n?/, '');
    await c.change(u, body);
    // Applied (a pull waits for the pending text).
    await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
    // The client answers the document's settings only when the test says so.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let asked = 0;
    c.conn.onRequest(ConfigurationRequest.type, async (p) => {
      if (p.items.some((it) => it.scopeUri === u)) {
        asked++;
        await held;
      }
      return p.items.map((it) => (it.section === 'phasegate' ? c.settings : null));
    });
    const refreshes = c.count('refresh');
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    // The server took the new settings (its folders reloaded): it asks for a new pull.
    await c.waitFor('the refresh after the settings changed', () => c.count('refresh') > refreshes);
    const before = asked;
    const pending = c.conn
      .sendRequest(CodeActionRequest.type, {
        textDocument: { uri: u },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
        context: { diagnostics: [] },
      })
      .then(
        (r) => r as CodeAction[],
        (e: unknown) => e as ResponseError,
      );
    await c.waitFor('the settings asked for the document', () => asked > before);
    // The user types a line above the title meanwhile.
    const version = await c.change(u, 'Intro line.\n\n' + body);
    release();
    const r = await pending;
    if (r instanceof ResponseError) assert.equal(r.code, LSPErrorCodes.ContentModified);
    else {
      const stale = r.filter((a) => a.edit?.documentChanges?.some((d) => 'textDocument' in d && d.textDocument.version === version));
      assert.deepEqual(
        stale.map((a) => a.title),
        [],
        'no action computed on the old text carries the new version',
      );
    }
  });

  it("gives ranges and edits in the client's text when it starts with a byte order mark (one unit more on the first line)", async () => {
    const { c } = s;
    const { uri: u, text } = await c.open('audit/phase-2/00-PHASE_BRIEF.md');
    const body = text.replace(/^---\n[\s\S]*?\n---\n\n?/, '').replace('# Phase 2: Testing Enhancement', '# Phase 4: Testing Enhancement');
    const withBom = '\uFEFF' + body;
    await c.change(u, withBom);
    const diags = await pull(c, u);
    const first = withBom.split('\n')[0];
    const mismatch = diags.find((d) => d.code === 'heading-mismatch');
    assert.ok(mismatch, diags.map((d) => d.code).join(', '));
    assert.equal(first.slice(mismatch.range.start.character, mismatch.range.end.character), 'Phase 4: Testing Enhancement');
    const missing = diags.find((d) => d.code === 'missing-front-matter')!;
    assert.deepEqual(missing.range, { start: { line: 0, character: 1 }, end: { line: 0, character: first.length } });
    const actions = (await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: mismatch.range,
      context: { diagnostics: [mismatch], only: ['quickfix'] },
    })) as CodeAction[];
    const apply = (title: RegExp) => {
      const a = actions.find((x) => title.test(x.title));
      assert.ok(a?.edit, `${title}: ${actions.map((x) => x.title).join(' | ')}`);
      return applyWorkspaceEdit(a.edit, new Map([[u, withBom]])).get(u)!;
    };
    assert.equal(apply(/^Number the title/).split('\n')[0], '\uFEFF# Phase 2: Testing Enhancement');
    const fm = apply(/^Add front matter/);
    assert.ok(fm.startsWith('\uFEFF---\n'), JSON.stringify(fm.slice(0, 40)));
    await c.change(u, text);
  });
});

describe('language server: the insert-section quick fix puts the cursor in the section', function () {
  this.timeout(60_000);
  /** The quick fix inserting the Scope section of the brief, once the brief lacks it. */
  async function scopeFix(c: TestClient): Promise<{ u: string; fix: CodeAction; after: string }> {
    const { uri: u, text } = await c.open(BRIEF);
    const without = text.replace(/\n## Scope\n[\s\S]*?(?=\n## )/, '');
    assert.notEqual(without, text, 'the brief had a Scope section');
    await c.change(u, without);
    const d = (await pull(c, u)).find((x) => x.code === 'missing-section' && String(x.message).includes('Scope'));
    assert.ok(d, 'missing-section for Scope');
    const actions = (await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    })) as CodeAction[];
    const fix = actions.find((a) => /^Insert section "Scope"/.test(a.title));
    assert.ok(fix, actions.map((a) => a.title).join());
    return { u, fix, after: applyWorkspaceEdit(fix.edit!, new Map([[u, without]])).get(u)! };
  }

  describe('a client that runs the command', () => {
    const s = fixtureServer({ pull: true, initializationOptions: { selectsAfterFix: true } });
    it('carries phasegate.selectAfterFix with the placeholder of the inserted section, in the text after the edit', async () => {
      const { u, fix, after } = await scopeFix(s.c);
      assert.equal(fix.command?.command, 'phasegate.selectAfterFix');
      const [args] = fix.command!.arguments as [
        { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } },
      ];
      assert.equal(args.uri, u);
      const lines = after.split('\n');
      const { start, end } = args.range;
      assert.equal(start.line, end.line);
      assert.equal(lines[start.line].slice(start.character, end.character), '[What is in scope, and what is out of scope]');
      assert.equal(lines[start.line - 2], '## Scope');
    });
  });

  describe('a client that does not say so (Neovim)', () => {
    const s = fixtureServer({ pull: true });
    it('carries no command: the client would not know it', async () => {
      const { fix } = await scopeFix(s.c);
      assert.equal(fix.command, undefined);
    });
  });
});

describe("language server: a handoff's fixes read the previous phase's output handoff as the editor holds it", function () {
  this.timeout(60_000);
  // Edits wait for their debounce long enough that only the request can apply them.
  const s = fixtureServer({ pull: true, settings: { validate: { debounceMs: 10_000 } } });

  it("an input just added to phase 1's output handoff: the quick fixes and Fix all of phase 2's input handoff receive it", async () => {
    const { c } = s;
    const out = await c.open('audit/phase-1/06-OUTPUT_HANDOFF.md');
    const input = await c.open('audit/phase-2/01-INPUT_HANDOFF.md');
    assert.ok(!(await pull(c, input.uri)).some((d) => d.code === 'handoff-mismatch'), 'nothing to complete yet');
    const item = '- Coverage data: [coverage](04-ARTIFACTS/coverage.md) - numbers per module';
    await c.change(out.uri, out.text.replace('## Recommended Next Steps', `${item}\n\n## Recommended Next Steps`));
    const lines = input.text.split('\n').length;
    const ask = (only: string[]) =>
      c.conn.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: input.uri },
        range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
        context: { diagnostics: [], only },
      }) as Promise<CodeAction[]>;
    const fix = (await ask(['quickfix'])).find((a) => a.title === 'Complete handoff from phase-1');
    assert.ok(fix?.edit, 'the quick fix is offered');
    const [all] = await ask(['source.fixAll.phasegate']);
    assert.ok(all?.edit, 'Fix all is offered');
    for (const edit of [fix.edit, all.edit]) {
      const after = applyWorkspaceEdit(edit, new Map([[input.uri, input.text]])).get(input.uri)!;
      assert.ok(after.includes('- Coverage data: '), after);
    }
  });
});
