import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { maskInlineCode } from '../../server/src/service/markdown';
import { assets, ROOT } from '../helpers/workspace';
import { assertLinear, overlaid, repeated } from '../helpers/linear';

const DOCS = ['00-PHASE_BRIEF.md', '01-INPUT_HANDOFF.md', '05-DECISIONS.md', '06-OUTPUT_HANDOFF.md', '07-VALIDATION.md'];
const MINE = new Set([
  'invalid-front-matter',
  'front-matter-schema',
  'missing-front-matter',
  'unfilled-placeholder',
  'broken-link',
  'missing-artifact',
  'decision-without-rationale',
  'risk-without-mitigation',
  'metric-threshold',
  'gate-item-unchecked',
  'gate-item-no-evidence',
]);

/** Lines that exercise every document rule, in any order and combination. */
const FRAGMENTS = [
  '---',
  'title: [x',
  'phase: 1',
  'status: "[Status]"',
  'a: b\n',
  '# Phase 1 Decisions',
  '## Artifacts Produced',
  '## Phase 2 Inputs',
  '## Inputs Received',
  '## Decisions Made',
  '## Risks',
  '### Decision 1: X',
  '### Risk 1: Y',
  '**Rationale**:',
  '**Mitigation**: m',
  '## Gate 1: Completeness',
  '## Success Metrics',
  '- [x] done',
  '- [ ] open',
  '- Risk: r',
  '- Decision: d',
  '- Input: [i](../nowhere.md) - `x/y.md`',
  '  - nested `a.b`',
  '| Metric | Target | Actual |',
  '|---|---|---|',
  '| Code coverage | > 80% | 7 |',
  '| Risk | Mitigation |',
  '|  |',
  '[Placeholder] {{ x }} TBD TODO:',
  '[ref]: <broken link.md>',
  '```',
  '<!--',
  '-->',
  '',
  '`',
  '[',
  ']( )',
  '\u00e9\u{1F600}',
];

describe('document rules on arbitrary input', () => {
  it('never fail, and report ranges inside the document', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })), { maxLength: 40 }),
        fc.boolean(),
        async (parts, crlf) => {
          const text = parts.join(crlf ? '\r\n' : '\n');
          const failures: string[] = [];
          const fs = new MemoryFileSystem();
          for (const d of DOCS) fs.write(`${ROOT}/phase-1/${d}`, text);
          const svc = new PhasegateService({ fs, assets, logger: { log: (m) => failures.push(m) } });
          await svc.load(ROOT);
          const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
          for (const d of DOCS) {
            for (const diag of svc.diagnose(`${ROOT}/phase-1/${d}`)) {
              if (!MINE.has(diag.code)) continue;
              const { start, end } = diag.range;
              assert.ok(start.line < lines.length && end.line < lines.length, `${diag.code} line out of range`);
              assert.ok(start.character <= lines[start.line].length && end.character <= lines[end.line].length, `${diag.code} character out of range`);
              assert.ok(start.line < end.line || start.character <= end.character, `${diag.code} inverted range`);
            }
          }
          assert.deepEqual(failures, []);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('checks long lines of link-like text in linear time (they were quadratic in the link scan)', async function () {
    this.timeout(20_000);
    // Each n times on one line; 200,000 times (0.8–1 MB) took minutes each before. The handoff set again in each run,
    // so that each reads it again.
    const OUT = `${ROOT}/phase-1/06-OUTPUT_HANDOFF.md`;
    const svc = new PhasegateService({ fs: new MemoryFileSystem({ [OUT]: '# Phase 1 → Phase 2 Handoff\n' }), assets });
    await svc.load(ROOT);
    for (const unit of ['[a](', '![a](', '[[a](', '[a](<', '[x](#', '[a](b(', '[a](b(c)']) {
      const text = (n: number) => {
        const line = unit.repeat(n);
        return `# Phase 1 → Phase 2 Handoff\n\n${line}\n\n## Artifacts Produced\n\n- ${line}\n`;
      };
      assertLinear(
        unit,
        overlaid(svc, OUT, text, () => svc.diagnose(OUT)),
        { n: 2000 },
      );
    }
  });

  it('checks a long run of backticks without a closing run, and a long metrics cell, in linear time (they were quadratic)', async function () {
    this.timeout(20_000);
    // n backticks before 160 × n other characters (600 and 100,000 took seconds); a cell with a run of n spaces.
    const ticks = (n: number) => `# Phase 1: Foundation\n\n## Objectives\n\n- [Objective] ${'`'.repeat(n)}${'x'.repeat(160 * n)} [a](b.md)\n`;
    const cell = (n: number) => `a${' '.repeat(n)}b, 2 high`;
    const metrics = (n: number) =>
      `# Phase 1 → Phase 2 Handoff\n\n## Phase 1 Summary\n\n| Metric | Target | Actual |\n|---|---|---|\n| Security vulnerabilities | 0 critical, <5 high | ${cell(n)} |\n`;
    const fs = new MemoryFileSystem({ [`${ROOT}/phase-1/00-PHASE_BRIEF.md`]: ticks(600), [`${ROOT}/phase-1/06-OUTPUT_HANDOFF.md`]: metrics(160_000) });
    const svc = new PhasegateService({ fs, assets });
    await svc.load(ROOT);
    // Each document set again in each run, so that each reads it again.
    for (const [file, text, n] of [
      ['00-PHASE_BRIEF.md', ticks, 40],
      ['06-OUTPUT_HANDOFF.md', metrics, 10_000],
    ] as const) {
      const p = `${ROOT}/phase-1/${file}`;
      svc.diagnose(p);
      assertLinear(
        file,
        (k) => {
          const t = text(k);
          return () => {
            svc.setOverlay(p, t);
            svc.diagnose(p);
          };
        },
        { n },
      );
    }
  });

  it('masks code spans as CommonMark reads them: a run of backticks closes on a run of the same length only', () => {
    const cases: [string, string][] = [
      ['a `b` c', 'a     c'],
      ['a ``b`c`` d', 'a         d'],
      ['```a`` b', '```a`` b'],
      ['`a ``b`` c', '`a       c'],
      ['x `span and `text`', `x ${' '.repeat('`span and `'.length)}text\``],
      ['no ticks', 'no ticks'],
    ];
    for (const [line, masked] of cases) assert.equal(maskInlineCode(line), masked, line);
  });

  it('masks a line of tens of thousands of code spans as fast a character as a line of a few thousand', function () {
    this.timeout(60000);
    // `` `]( `` repeated: a run of one backtick every three characters, 8,334 at n and 33,334 at 4n. Kept in arrays grown
    // by push, the runs past 16,000 made each larger copy in the heap's space for large objects, fresh memory each time:
    // 17× the time for 4× the line. Held to three times linear (12×), not the usual four times: at twice linear the
    // guard passed at 4 to 9 times, on its allowance of 2 ms alone when the garbage collector ran in the large measure.
    assertLinear('maskInlineCode', repeated('- Phase 1 ', '`](', '', maskInlineCode), { n: 8_334, factor: 4, slack: 3 });
  });

  it('checks a large input handoff against a large output handoff without comparing every pair of items', async () => {
    // n inputs and prerequisites, received in the reverse order: seconds at 8,000 when every pair was compared.
    const output = (n: number) => {
      const out = ['# Phase 1 → Phase 2 Handoff', '', '## Phase 2 Prerequisites', ''];
      for (let i = 0; i < n; i++) out.push(`- [ ] Prerequisite number ${i} done`);
      out.push('', '## Phase 2 Inputs', '');
      for (let i = 0; i < n; i++) out.push(`- Input item ${i}: \`04-ARTIFACTS/f${i}.md\` - thing ${i}`);
      return out.join('\n') + '\n';
    };
    const input = (n: number) => {
      const lines = ['# Phase 2 Input Handoff', '', '## Source', '', '- [s](../phase-1/06-OUTPUT_HANDOFF.md)', '', '## Inputs Received', ''];
      for (let i = n - 1; i >= 0; i--) lines.push(`- \`../phase-1/04-ARTIFACTS/f${i}.md\` - thing`);
      lines.push('', '## Prerequisites', '');
      for (let i = n - 1; i >= 0; i--) lines.push(`- [x] Prerequisite number ${i} done`);
      return lines.join('\n') + '\n';
    };
    const OUT = `${ROOT}/phase-1/06-OUTPUT_HANDOFF.md`;
    const IN = `${ROOT}/phase-2/01-INPUT_HANDOFF.md`;
    const fs = new MemoryFileSystem({ [OUT]: output(8000), [IN]: input(8000) });
    const svc = new PhasegateService({ fs, assets });
    await svc.load(ROOT);
    const unmatched = () => svc.diagnose(IN).filter((d) => d.code === 'prerequisite-unmet' || d.code === 'handoff-mismatch');
    svc.diagnose(OUT);
    assert.deepEqual(unmatched(), []);
    // Both handoffs of n items, set again in each run (the pairs compared would be quadratic in n).
    assertLinear(
      'an input handoff of n items against an output handoff of n',
      (n) => {
        const o = output(n);
        const i = input(n);
        return () => {
          svc.setOverlay(OUT, o);
          svc.setOverlay(IN, i);
          assert.deepEqual(unmatched(), []);
        };
      },
      { n: 500 },
    );
  });

  it('checks a large handoff quickly', async () => {
    // Below the 10,000 diagnostics reported for one file (too-many-problems counts the rest).
    // n artifacts (two missing files each) and 2n/3 risks without a mitigation.
    const handoff = (n: number) => {
      const items = Array.from({ length: n }, (_, i) => `- Artifact ${i}: [a${i}](04-ARTIFACTS/a${i}.md) - \`04-ARTIFACTS/b${i}.sh\` purpose`);
      const risks = Array.from({ length: Math.floor((2 * n) / 3) }, (_, i) => `- Risk ${i}: impact ${i}`);
      return ['# Phase 1 → Phase 2 Handoff', '', '## Artifacts Produced', '', ...items, '', '## Risks & Dependencies', '', ...risks, ''].join('\n');
    };
    const OUT = `${ROOT}/phase-1/06-OUTPUT_HANDOFF.md`;
    const fs = new MemoryFileSystem({ [OUT]: handoff(3000) });
    const svc = new PhasegateService({ fs, assets });
    await svc.load(ROOT);
    const counts = (n: number) => {
      const ds = svc.diagnose(OUT);
      assert.equal(ds.filter((d) => d.code === 'missing-artifact').length, 2 * n);
      assert.equal(ds.filter((d) => d.code === 'risk-without-mitigation').length, Math.floor((2 * n) / 3));
    };
    counts(3000);
    // The handoff set again in each run, so that each reads it again.
    assertLinear('a large handoff', overlaid(svc, OUT, handoff, counts), { n: 150 });
  });

  it('checks an artifact item of many links and code spans on one line in linear time', async () => {
    // 20,000 links and 300 code spans on one line: each link was blanked out of a copy of the whole line, and each
    // code span compared with every link (23 s).
    // n links and 3n/200 code spans (20,000 and 300 took 23 s).
    const spans = (n: number) => Math.floor((3 * n) / 200);
    const handoff = (n: number) => {
      const line = '- Outputs: ' + '[a](04-ARTIFACTS/a.md) '.repeat(n) + '`04-ARTIFACTS/c.sh` '.repeat(spans(n)) + 'and 04-ARTIFACTS/bare.md';
      return ['# Phase 1 → Phase 2 Handoff', '', '## Artifacts Produced', '', line, ''].join('\n');
    };
    const OUT = `${ROOT}/phase-1/06-OUTPUT_HANDOFF.md`;
    // The links' file exists (20,000 reports would pass the cap of problems per file).
    const fs = new MemoryFileSystem({ [OUT]: handoff(20_000), [`${ROOT}/phase-1/04-ARTIFACTS/a.md`]: '# A\n' });
    const svc = new PhasegateService({ fs, assets });
    await svc.load(ROOT);
    const check = (n: number) => {
      const ds = svc.diagnose(OUT).filter((d) => d.code === 'missing-artifact');
      // Each code span and the bare path (outside every link), none of the links.
      assert.equal(ds.length, spans(n) + 1);
      assert.equal(ds.filter((d) => d.message.includes('"04-ARTIFACTS/c.sh"')).length, spans(n));
      assert.equal(ds.filter((d) => d.message.includes('"04-ARTIFACTS/bare.md"')).length, 1);
    };
    check(20_000);
    // The handoff set again in each run, so that each reads it again.
    assertLinear('links and code spans on one line', overlaid(svc, OUT, handoff, check), { n: 1250 });
  });
});
