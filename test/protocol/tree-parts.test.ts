/**
 * The phase tree in parts: a `phasegate/phases` request with a `partialResultToken` (the Phases view sends one) gets
 * a large answer as partial results of a bounded size, and a response with none of its phases; the parts put
 * together are the answer a request without a token gets.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { type PhasesPartialResult, PhasesRequest, type PhasesResult, joinPhasesPartials } from '../../server/src/protocol';
import { PART_BYTES } from '../../server/src/lsp/phaseParts';
import { TestClient, buildServer, followUntilChecked, partialResults, stopOnFixture, generatedWorkspace, startIndexed } from './client';

/** Audit phases and as many iAI phases: a whole tree of more than PART_BYTES. */
const N = 500;

describe('language server: the phase tree in parts', function () {
  this.timeout(180_000);
  let root: string;
  let c: TestClient | undefined;

  before(async () => {
    await buildServer();
    root = await generatedWorkspace('phasegate-parts-', N, 2);
  });

  afterEach(async () => {
    const errors = await stopOnFixture(c, undefined);
    c = undefined;
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  let tokens = 0;
  /** A request with a partial result token: its parts (with each one's JSON length) and its response. */
  async function inParts(client: TestClient, params: { since?: string }): Promise<{ parts: PhasesPartialResult[]; sizes: number[]; response: PhasesResult }> {
    const token = `parts-${++tokens}`;
    const response = await client.conn.sendRequest(PhasesRequest, { ...params, partialResultToken: token });
    // The parts come before the response.
    const parts = partialResults<PhasesPartialResult>(client, token);
    return { parts, sizes: parts.map((p) => JSON.stringify(p).length), response };
  }

  it('sends a large tree in parts of a bounded size that together are the whole tree', async () => {
    c = await startIndexed(root);
    const client = c;
    const first = await inParts(client, {});
    assert.ok(first.parts.length > 1, `the first tree in ${first.parts.length} parts`);
    assert.deepEqual(first.response.folders, [], 'the response holds no folder: they came in the parts');
    const joined = joinPhasesPartials(first.parts, first.response);
    assert.equal(joined.folders.flatMap((f) => f.groups).flatMap((g) => g.phases).length, 2 * N, 'every phase once');
    // Every phase checked, then the same tree asked for with and without a token.
    await followUntilChecked(client, joined);
    const plain = await client.conn.sendRequest(PhasesRequest, {});
    const again = await inParts(client, {});
    assert.ok(again.parts.length > 1);
    for (const size of again.sizes) assert.ok(size <= 2 * PART_BYTES, `a part of ${size} bytes (bound about ${PART_BYTES})`);
    assert.ok(JSON.stringify(plain).length > PART_BYTES, `the whole tree (${JSON.stringify(plain).length} bytes) is more than a part`);
    assert.deepEqual(joinPhasesPartials(again.parts, again.response).folders, plain.folders);
  });

  it('sends a small answer (the phases changed since the last) in one piece', async () => {
    c = await startIndexed(root);
    const client = c;
    const first = await inParts(client, {});
    const { tree } = await followUntilChecked(client, joinPhasesPartials(first.parts, first.response));
    const since = await inParts(client, { since: tree.id });
    assert.deepEqual(since.parts, []);
    assert.deepEqual(since.response.changed, [], 'nothing changed');
  });
});
