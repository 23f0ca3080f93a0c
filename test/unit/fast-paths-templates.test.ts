/**
 * Fast paths of the comparison of a document with its template (performance only: a phase `new` just made is not
 * started) against the plain code they replace: the same answers, the same template contexts, the same marked values.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ROOT, workspace } from '../helpers/workspace';
import { BUILTIN_LAYOUTS, DocumentKindSpec, LayoutSpec, MetricSpec, writtenTitle } from '../../server/src/service/layout';
import { holdsOnlyTemplate, planNew } from '../../server/src/service/scaffold';
import { baseContext, documentContext, headingTitle, markHeadingEnds, metricsForPhase, phaseDeliverables } from '../../server/src/service/templates';
import { kindSections } from '../../server/src/service/rules/doc-util';
import { deliverablesOf } from '../../server/src/service/rules/phase-deliverables';
import { metricsInForce } from '../../server/src/service/metric-scope';
import { normalizeTitle } from '../../server/src/service/markdown';

const DATE = '2026-01-02';

/** markHeadingEnds as it was: every value walked, arrays and objects copied, then compared with the original. */
function referenceMarks(context: unknown): unknown {
  const title = (context as { phase?: { title?: unknown } } | undefined)?.phase?.title;
  const escaped = typeof title === 'string' && title !== '' && headingTitle(title) !== title ? title : undefined;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const w = escaped !== undefined && v.includes(escaped) ? v.split(escaped).join('\uFDD1' + escaped + '\uFDD2') : v;
      return /(^|[ \t])#+[ \t]*$/.test(v) ? w + '\uFDD0' : w;
    }
    if (depth > 8 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      const items = v.map((x) => walk(x, depth + 1));
      return items.some((x, i) => x !== v[i]) ? items : v;
    }
    const keys = Object.keys(v);
    const values = keys.map((k) => (v as Record<string, unknown>)[k]);
    const walked = values.map((x) => walk(x, depth + 1));
    return walked.every((y, i) => y === values[i]) ? v : Object.fromEntries(keys.map((k, i) => [k, walked[i]]));
  };
  return walk(context, 0);
}

/** The sections of a document context as documentContext made them for every render. */
function referenceSections(spec: DocumentKindSpec, n: number | undefined, gates: { name: string; items: string[] }[]) {
  return spec.sections.map((s) => {
    const key = normalizeTitle(writtenTitle(s.title, n)).replace(/^gate # /, '');
    const gate = gates.find((g) => normalizeTitle(g.name) === key);
    const placeholder = gate
      ? gate.items.map((item) => `- [ ] ${item} — Evidence: [Evidence]`).join('\n')
      : `[${writtenTitle(s.description ?? 'Content', n)
          .replace(/[[\]`]/g, '')
          .replace(/\.\s*$/, '')}]`;
    return { title: writtenTitle(s.title, n), description: writtenTitle(s.description ?? '', n), required: s.required ?? true, placeholder };
  });
}

const NUMBERS = [undefined, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12];

describe('template comparison fast paths', () => {
  it('markHeadingEnds: the values of any context marked as the plain walk marks them, a value without a mark kept as it is', () => {
    const leaf = fc.oneof(
      fc.constantFrom('C #', '#', 'Fix *args*', 'a # b', 'Phase 3: Fix *args* ##', 'x\t#  ', '', 'plain', 1, 0, -0, Number.NaN, null, undefined, true),
      fc.string({ maxLength: 12 }),
      fc.stringMatching(/^[a-z *#\t]{0,10}$/),
    );
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'title', 'heading'), tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    const frozen = (x: unknown): unknown => {
      if (x !== null && typeof x === 'object') {
        for (const y of Object.values(x)) frozen(y);
        Object.freeze(x);
      }
      return x;
    };
    fc.assert(
      fc.property(fc.option(fc.constantFrom('Fix *args*', 'CI', 'a # b', '#'), { nil: undefined }), value, fc.boolean(), (title, rest, freeze) => {
        const context = { phase: { title, heading: `Phase 3: ${title ?? '[Phase title]'}` }, rest, deep: [[[[[[[[[['C #']]]]]]]]]] };
        if (freeze) frozen(context.rest);
        const want = referenceMarks(context);
        // Twice: a frozen value's walk is remembered.
        for (let k = 0; k < 2; k++) {
          const got = markHeadingEnds(context);
          assert.deepEqual(got, want);
          assert.equal(got === context, want === context);
        }
      }),
      { numRuns: 400 },
    );
    // A sparse array keeps its holes, as Array.prototype.map keeps them.
    const sparse = { phase: {}, list: ['a', , 'C #'] };
    assert.deepEqual(markHeadingEnds(sparse), referenceMarks(sparse));
  });

  it("baseContext's metrics and documentContext's sections: those made afresh, for every number, layout and metric scope", async () => {
    const scoped = 'metrics:\n  - {name: Code coverage, threshold: ">= 90%", phases: "1-2"}\n  - {name: Build time, threshold: "< 5 minutes"}\n';
    const custom =
      'layouts:\n  - name: sprint\n    phases: "sprints/*"\n    number: "sprint-(\\\\d+)"\n    gates: [{name: Review}]\n    documents:\n' +
      '      - {kind: brief, file: GOALS.md, sections: [{title: "Goals {N}", description: "What sprint {N} is for."}, Review, "Retro {N-1}"]}\n' +
      '      - {kind: notes, file: NOTES.md, sections: [Notes, {title: Review, description: "Looked at."}]}\n';
    for (const config of [undefined, scoped, custom]) {
      const { svc } = await workspace(config === undefined ? {} : { 'phasegate.yaml': config });
      const layouts: LayoutSpec[] = [...svc.config.layouts, ...BUILTIN_LAYOUTS];
      for (const layout of layouts)
        for (const n of NUMBERS)
          for (let k = 0; k < 2; k++) {
            const ctx = baseContext(svc, { id: `p-${n}`, number: n, title: 'T', workstream: undefined, folder: `${ROOT}/p-${n}`, layout }, DATE);
            const list: MetricSpec[] = layout.metrics.length ? layout.metrics : svc.config.metrics;
            const metrics = metricsForPhase(n, metricsInForce(list, n)).map((m) =>
              m.scope ? { name: m.name, threshold: m.threshold, scope: m.scope.label } : { name: m.name, threshold: m.threshold },
            );
            assert.deepEqual(ctx.metrics, metrics, `${layout.name} ${n}`);
            for (const spec of layout.documents)
              assert.deepEqual(documentContext(spec, ctx).sections, referenceSections(spec, n, ctx.layout.gates), `${layout.name} ${spec.kind} ${n}`);
          }
    }
  });

  it('holdsOnlyTemplate: the same answer given the text (a document as new wrote it is found equal to its rendering) as by its lines alone', async () => {
    const { svc, fs } = await workspace({
      '.phasegate/templates/decisions.md.hbs': '# Decisions of {{phase.name}}\n\nOwner:\r[Name]\n\n- [Decision]\n',
    });
    const make = async (title: string) => {
      for (const f of planNew(svc, { what: 'phase', layout: 'audit', title, date: DATE }).creates) fs.write(f.file, f.text);
      await svc.load(ROOT);
    };
    await make('One');
    await make('Two');
    const variants = (text: string) => [
      text,
      text.replace(/\n/g, '\r\n'),
      text.replace(/\n/g, '\r'),
      `${text}\nA line someone wrote.\n`,
      text.replace(/\[[A-Z][a-z ]*\]/, '[Written]'),
      text.replace('2026-01-02', '2026-03-04'),
      `\n\n${text}`,
      text.slice(0, text.length >> 1),
      text.replace(/\r/g, ''),
      text.replace(/\r/g, '\n'),
    ];
    let equal = 0;
    let compared = 0;
    for (const phase of svc.model.phases)
      for (const d of phase.documents) {
        const text = fs.text(d.path);
        if (text === undefined) continue;
        for (const t of variants(text)) {
          const lines = t.split(/\r\n|\r|\n/);
          const want = holdsOnlyTemplate(svc, phase, d, lines);
          assert.equal(holdsOnlyTemplate(svc, phase, d, lines, new Map(), t), want, `${d.path} ${JSON.stringify(t.slice(0, 40))}`);
          compared++;
          if (want) equal++;
        }
      }
    assert.ok(compared > 100 && equal > 10 && equal < compared, `${equal} of ${compared}`);
  });

  it("phaseDeliverables: its brief's deliverables as read afresh, asked again, and those of its new text once it changes", async () => {
    const { svc, fs } = await workspace({});
    for (const f of planNew(svc, { what: 'phase', layout: 'audit', title: 'One', date: DATE }).creates) fs.write(f.file, f.text);
    await svc.load(ROOT);
    const phase = svc.model.phases[0];
    const brief = phase.documents.find((d) => d.spec.kind === 'brief')!;
    const fresh = () => {
      const doc = svc.getDocument(brief.path)!;
      return kindSections(doc, brief.spec, 'Deliverables')
        .flatMap((sec) => deliverablesOf(doc, sec))
        .map((d) => d.text.trim())
        .filter((t) => t !== '' && !/^\[[A-Z][^\]]*\]$/.test(t));
    };
    const text = fs.text(brief.path)!;
    for (const written of [[], ['Audit report'], ['Audit report', 'Risk register'], ['Risk register']]) {
      const body = written.length
        ? text.replace(/^## Deliverables\n\n[\s\S]*?(?=\n## )/m, `## Deliverables\n\n${written.map((w) => `- ${w}`).join('\n')}\n`)
        : text;
      svc.setOverlay(brief.path, body);
      for (let k = 0; k < 2; k++) {
        assert.deepEqual(phaseDeliverables(svc, phase), fresh());
        assert.deepEqual(phaseDeliverables(svc, phase), written);
      }
    }
  });
});
