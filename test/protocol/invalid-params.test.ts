/**
 * Standard requests with malformed parameters (a hover without a position, a code action with a null range…):
 * answered with InvalidParams naming the field, no TypeError logged, and the server answers the next request.
 */
import * as assert from 'node:assert/strict';
import { ErrorCodes, HoverRequest, ResponseError } from 'vscode-languageserver-protocol/node';
import { fixtureServer } from './client';

const BRIEF = 'audit/phase-1/00-PHASE_BRIEF.md';

describe('language server: standard requests with malformed parameters', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });

  it('answers each with InvalidParams naming the field, logs no error and stays up', async () => {
    const { c } = s;
    const { uri } = await c.open(BRIEF);
    const doc = { uri };
    const at = { line: 0, character: 0 };
    const cases: [method: string, params: unknown, field: string][] = [
      ['textDocument/hover', { textDocument: doc }, '`position`'],
      ['textDocument/hover', { textDocument: doc, position: { line: -1, character: 0 } }, '`position.line`'],
      ['textDocument/hover', { position: at }, '`textDocument`'],
      ['textDocument/completion', { textDocument: doc, position: { line: 'one', character: 0 } }, '`position.line`'],
      ['textDocument/definition', { textDocument: { uri: 42 }, position: at }, '`textDocument.uri`'],
      ['textDocument/references', { textDocument: doc, position: at, context: 'all' }, '`context`'],
      ['textDocument/codeAction', { textDocument: doc, range: null, context: { diagnostics: [] } }, '`range`'],
      ['textDocument/codeAction', { textDocument: doc, range: { start: at, end: null }, context: { diagnostics: [] } }, '`range.end`'],
      ['textDocument/codeAction', { textDocument: doc, range: { start: at, end: at } }, '`context`'],
      ['textDocument/codeAction', { textDocument: doc, range: { start: at, end: at }, context: { diagnostics: [], only: 'quickfix' } }, '`context.only`'],
      ['textDocument/documentSymbol', { textDocument: null }, '`textDocument`'],
      ['textDocument/documentLink', {}, '`textDocument`'],
      ['textDocument/foldingRange', { textDocument: {} }, '`textDocument.uri`'],
      ['textDocument/codeLens', { textDocument: { uri: null } }, '`textDocument.uri`'],
      ['textDocument/diagnostic', { textDocument: {} }, '`textDocument.uri`'],
      ['workspace/diagnostic', { previousResultIds: null }, '`previousResultIds`'],
      ['workspace/diagnostic', { previousResultIds: [{ uri }] }, '`previousResultIds[0].value`'],
      ['workspace/symbol', { query: null }, '`query`'],
    ];
    for (const [method, params, field] of cases) {
      const r = await c.conn.sendRequest(method, params).then(
        (x) => x,
        (e: unknown) => e,
      );
      const label = `${method} ${JSON.stringify(params)}`;
      assert.ok(r instanceof ResponseError, `${label}: answered ${JSON.stringify(r)}`);
      assert.equal(r.code, ErrorCodes.InvalidParams, `${label}: ${r.message}`);
      assert.ok(r.message.startsWith(`${method}: ${field} must be`), `${label}: ${r.message}`);
    }
    // Nothing logged as a failure (the fixture's end checks that too), no stack trace.
    assert.deepEqual(
      c.logs.filter((l) => /TypeError|failed|\n\s+at /.test(l)),
      [],
    );
    // Still up: a well-formed request is answered.
    const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: doc, position: { line: 6, character: 3 } });
    assert.ok(hover === null || typeof hover === 'object');
    assert.equal(c.proc.exitCode, null);
  });
});
