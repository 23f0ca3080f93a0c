/**
 * Title-key fast paths (performance only) against the plain code they replace: the same results on the
 * built-in layouts and on generated ones.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeTitle } from '../../server/src/service/markdown';
import { AUDIT_LAYOUT, BUILTIN_LAYOUTS, LayoutSpec, SectionSpec, sectionSpecGate } from '../../server/src/service/layout';

/** The gate a section spec names, computed afresh on every call (the code sectionSpecGate remembers). */
function referenceSpecGate(layout: LayoutSpec, sec: SectionSpec): string | undefined {
  const keys = sec.aliases?.length ? [sec.title, ...sec.aliases].map((t) => normalizeTitle(t)) : [normalizeTitle(sec.title)];
  for (const gate of layout.gates) {
    const k = normalizeTitle(gate.name);
    if (keys.some((x) => x === k || x === 'gate # ' + k || x === 'gate ' + k)) return gate.name;
  }
  return undefined;
}

function layoutWith(gates: string[], sections: SectionSpec[]): LayoutSpec {
  return {
    ...AUDIT_LAYOUT,
    name: 'custom',
    gates: gates.map((name) => ({ name, description: '', failOn: [] })),
    documents: [{ ...AUDIT_LAYOUT.documents[0], sections }],
  };
}

describe('title-key fast paths (titles)', () => {
  it('sectionSpecGate: the gate of every section spec of the built-in layouts, asked twice', () => {
    let named = 0;
    for (const layout of BUILTIN_LAYOUTS)
      for (const d of layout.documents)
        for (const sec of d.sections) {
          const want = referenceSpecGate(layout, sec);
          if (want !== undefined) named++;
          assert.equal(sectionSpecGate(layout, sec), want, `${layout.name} ${sec.title}`);
          assert.equal(sectionSpecGate(layout, sec), want, `${layout.name} ${sec.title} (remembered)`);
        }
    assert.ok(named > 0, 'some built-in sections are gates');
  });

  it('sectionSpecGate: generated gates, titles and aliases', () => {
    const word = fc.constantFrom('Review', 'review', 'Gate', 'gate', 'Tests', 'Quality', 'Peer', 'Sign-off', 'Ü', 'é', '');
    const sep = fc.constantFrom(' ', ': ', ' 5: ', ' # ', '. ', '1. ', ' {N}: ', ' & ', '**', '-');
    const text = fc.array(fc.oneof(word, sep), { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ title: text, aliases: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }) }), { minLength: 1, maxLength: 5 }),
        (gates, specs) => {
          const sections: SectionSpec[] = specs.map((s) => (s.aliases ? { title: s.title, aliases: s.aliases } : { title: s.title }));
          const layout = layoutWith(gates, sections);
          // The same section specs in a layout with other gates: answered per layout.
          const other = layoutWith(['Review', ...gates.slice(1)], sections);
          for (const sec of sections) {
            assert.equal(sectionSpecGate(layout, sec), referenceSpecGate(layout, sec));
            assert.equal(sectionSpecGate(other, sec), referenceSpecGate(other, sec));
            assert.equal(sectionSpecGate(layout, sec), referenceSpecGate(layout, sec));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
