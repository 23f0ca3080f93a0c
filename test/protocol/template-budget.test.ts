/**
 * A hostile workspace template in a trusted workspace: the missing-section quick fix renders the
 * brief template whenever the editor asks for code actions, and the server must still answer that
 * request, and the next one, promptly (it logs the template's error and offers the built-in one).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeAction, CodeActionRequest, Diagnostic, DocumentDiagnosticRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { buildServer, stopOnFixture, TestClient } from './client';

const BRIEF = 'phase-1/00-PHASE_BRIEF.md';
const nest = (n: number) => `${'{{#each @root.layout.documents}}'.repeat(n)}x${'{{/each}}'.repeat(n)}\n`;

/**
 * The request's answer, or a failure naming it once `ms` have passed: a hang deadline, not a speed bound. What
 * keeps the answers prompt is the engine's refusal of the template or its render budget (the log line asserted
 * says which); that a stopped render stops at its budget is test/unit/template-budget.test.ts's to check.
 */
function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

describe('language server: a hostile workspace template', function () {
  this.timeout(60_000);

  // 12 nested blocks (the audit's reproduction) are refused when the template compiles; 9 (6^9 runs) run out of budget.
  for (const [depth, logged] of [
    [12, /brief\.md\.hbs, line 1: blocks are nested more than 10 deep/],
    [9, /brief\.md\.hbs, line 1: rendering stopped after 1,000,000 steps/],
  ] as const) {
    it(`answers code actions and the next request promptly (${depth} nested {{#each}} blocks)`, async () => {
      await buildServer();
      const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-ws-')));
      let c: TestClient | undefined;
      try {
        fs.mkdirSync(path.join(root, 'phase-1'));
        fs.writeFileSync(path.join(root, BRIEF), '# Phase 1: A\n\n## Objectives\n\nx\n');
        fs.mkdirSync(path.join(root, '.phasegate', 'templates'), { recursive: true });
        fs.writeFileSync(path.join(root, '.phasegate', 'templates', 'brief.md.hbs'), nest(depth));
        c = await TestClient.start(root, { pull: true });
        const { uri } = await c.open(BRIEF);
        const report = (await within('diagnostics', 10_000, c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }))) as {
          items: Diagnostic[];
        };
        const missing = report.items.filter((d) => d.code === 'missing-section');
        assert.ok(missing.length > 0, JSON.stringify(report.items.map((d) => d.code)));
        const range = { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } };
        // As the editor does: the code-action request, and the hover right behind it.
        const actions = c.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: missing } });
        const hover = c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } });
        const fixes = (await within('code actions', 10_000, actions)) as CodeAction[];
        await within('hover after the code actions', 10_000, hover);
        // The fix is offered, written from the built-in template.
        const fix = fixes.find((a) => a.diagnostics?.some((d) => d.code === 'missing-section'));
        assert.ok(fix?.edit, JSON.stringify(fixes.map((a) => a.title)));
        assert.match(JSON.stringify(fix.edit), /## Scope/);
        // Asked again: answered, from the built-in template still.
        const again = (await within(
          'code actions again',
          5_000,
          c.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: missing } }),
        )) as CodeAction[];
        assert.deepEqual(
          again.map((a) => a.title),
          fixes.map((a) => a.title),
        );
        await c.waitFor('the template error in the log', () => c!.logs.some((l) => logged.test(l)));
      } finally {
        assert.deepEqual(await stopOnFixture(c, root), [], 'the server logged no errors');
      }
    });
  }
});
