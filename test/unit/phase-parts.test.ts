/**
 * A `phasegate/phases` answer in parts (server/src/lsp/phaseParts.ts) and put together again by the client
 * (`joinPhasesPartials`, protocol.ts): the same tree, parts of a bounded size, cancellation between parts.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { GroupNode, PhaseNode, PhasesPartialResult, PhasesResult, WorkspaceFolderNode } from '../../server/src/protocol';
import { joinPhasesPartials } from '../../server/src/protocol';
import { phaseBytes, phasesParts, sendPhasesInParts } from '../../server/src/lsp/phaseParts';
import { CancelledError } from '../../server/src/service/types';

const word = fc.string({ minLength: 1, maxLength: 24 });

const phase: fc.Arbitrary<PhaseNode> = fc
  .record({
    n: fc.nat({ max: 99 }),
    title: word,
    docs: fc.array(fc.record({ kind: word, name: word, file: word }), { maxLength: 12 }),
    blockers: fc.array(fc.string({ maxLength: 200 }), { maxLength: 6 }),
    gates: fc.array(word, { maxLength: 4 }),
    checking: fc.boolean(),
  })
  .map(({ n, title, docs, blockers, gates, checking }) => ({
    id: `phase-${n}`,
    title,
    layout: 'audit',
    number: n,
    workstream: null,
    uri: `file:///ws/phase-${n}`,
    status: checking ? 'checking' : 'in-progress',
    gates: checking ? [] : gates.map((name) => ({ name, status: 'pending' as const })),
    documents: docs.map((d) => ({ ...d, uri: `file:///ws/phase-${n}/${d.file}`, exists: true, required: false, problems: null })),
    problems: checking ? null : { errors: 1, warnings: 0, infos: 0, hints: 0 },
    blockers: checking ? [] : blockers,
  }));

const group: fc.Arbitrary<GroupNode> = fc.record({ id: word, label: word, phases: fc.array(phase, { maxLength: 30 }) }).map(({ id, label, phases }) => ({
  id,
  label,
  layout: 'audit',
  workstream: null,
  uri: `file:///ws/${id}`,
  phases,
}));

const folder: fc.Arbitrary<WorkspaceFolderNode> = fc
  // Groups of distinct ids, as the server's (one per workstream or layout folder): the client joins a part's first group
  // to the last one before it when their ids are the same.
  .record({ name: word, groups: fc.uniqueArray(group, { maxLength: 4, selector: (g) => g.id }), plans: fc.array(word, { maxLength: 2 }), ready: fc.boolean() })
  .map(({ name, groups, plans, ready }) => ({
    uri: `file:///${encodeURIComponent(name)}`,
    name,
    ready,
    groups: ready ? groups : [],
    plans: ready ? plans : [],
  }));

/** A whole tree of folders of distinct URIs (as the server's: one node per workspace folder). */
const tree: fc.Arbitrary<PhasesResult> = fc
  .uniqueArray(folder, { maxLength: 3, selector: (f) => f.uri })
  .map((folders) => ({ folders, version: 3, id: 'answer:1' }));

const json = (v: unknown) => JSON.stringify(v).length;

describe('phasegate/phases in parts', () => {
  it('joined again, the parts and the response give the whole tree, whatever the bound', () => {
    fc.assert(
      fc.property(tree, fc.integer({ min: 1, max: 20_000 }), (t, bound) => {
        const parts = phasesParts(t, bound);
        if (!parts) {
          assert.ok(t.folders.flatMap((f) => f.groups).flatMap((g) => g.phases).length <= 1 || json(t) < 4 * bound, 'a large tree is split');
          return;
        }
        const response: PhasesResult = { folders: [], version: t.version, id: t.id };
        assert.deepEqual(joinPhasesPartials(parts, response), t);
      }),
      { numRuns: 300 },
    );
  });

  it('joined again, the parts of an answer with `changed` give its changed phases in order', () => {
    fc.assert(
      fc.property(fc.array(phase, { maxLength: 60 }), fc.integer({ min: 1, max: 20_000 }), (changed, bound) => {
        const t: PhasesResult = { folders: [], version: 4, id: 'answer:2', changed };
        const parts = phasesParts(t, bound);
        if (!parts) return;
        assert.ok(parts.every((p) => p.folders === undefined && p.changed!.length > 0));
        assert.deepEqual(joinPhasesPartials(parts, { folders: [], version: 4, id: 'answer:2', changed: [] }), t);
      }),
      { numRuns: 200 },
    );
  });

  it('holds each part within the bound, but for a part of one phase larger than it', () => {
    fc.assert(
      fc.property(tree, fc.integer({ min: 2_000, max: 50_000 }), (t, bound) => {
        for (const part of phasesParts(t, bound) ?? []) {
          const phases = (part.folders ?? []).flatMap((f) => f.groups).flatMap((g) => g.phases);
          const estimated = phases.reduce((n, p) => n + phaseBytes(p), 0);
          // The folders' and groups' own fields come on top of the phases' (a few hundred bytes each).
          if (phases.length > 1) assert.ok(estimated <= bound, `${estimated} > ${bound}`);
          assert.ok(phases.length > 0, 'no part without a phase');
        }
      }),
      { numRuns: 200 },
    );
  });

  it("estimates a phase's JSON within half and twice its length", () => {
    fc.assert(
      fc.property(phase, (p) => {
        const real = json(p);
        const est = phaseBytes(p);
        assert.ok(est >= real / 2 && est <= real * 2, `estimated ${est}, JSON ${real}`);
      }),
    );
  });

  it('leaves a small answer in one piece, and sends nothing in parts for it', async () => {
    const small: PhasesResult = { folders: [{ uri: 'file:///ws', name: 'ws', ready: true, groups: [], plans: [] }], version: 1, id: 'a' };
    const sent: PhasesPartialResult[] = [];
    const answer = await sendPhasesInParts(small, (p) => void sent.push(p), { isCancellationRequested: false });
    assert.equal(answer, small);
    assert.deepEqual(sent, []);
  });

  it('sends a large answer in parts with an empty response, and stops when the request is cancelled between parts', async () => {
    const bound = 4096;
    const big = fc.sample(
      tree.filter((t) => json(t) > 3 * bound),
      { numRuns: 1, seed: 7 },
    )[0];
    const sent: PhasesPartialResult[] = [];
    const answer = await sendPhasesInParts(
      big,
      (p) => void sent.push(p),
      { isCancellationRequested: false },
      () => Promise.resolve(),
      bound,
    );
    assert.ok(sent.length > 1, `${sent.length} parts`);
    assert.deepEqual(answer, { folders: [], version: big.version, id: big.id });
    assert.deepEqual(joinPhasesPartials(sent, answer), big);

    const token = { isCancellationRequested: false };
    const some: PhasesPartialResult[] = [];
    await assert.rejects(
      sendPhasesInParts(
        big,
        (p) => void some.push(p),
        token,
        () => {
          token.isCancellationRequested = true;
          return Promise.resolve();
        },
        bound,
      ),
      CancelledError,
    );
    assert.equal(some.length, 1, 'nothing sent once cancelled');
  });
});
