/**
 * Property-based fuzzing of the parser, the rules and the quick fixes over random and
 * mutated phase documents: no exception, every range inside its document, every edit
 * applies cleanly, and a quick fix applied once is not offered again with a change.
 * FUZZ_RUNS sets the number of cases (default 40; `npm run fuzz` runs many more).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, codeActions, parseDocument, PhasegateService, CodeAction } from '../../server/src/service';
import { workspace, ROOT } from '../helpers/workspace';
import { assertRangesInside } from '../helpers/ranges';
import { fuzzTimeout } from '../helpers/fuzz';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

const word = fc.constantFrom(
  'Audit',
  'report',
  'coverage',
  '80%',
  'Phase 2',
  '→',
  'Risk',
  'Decision',
  'TBD',
  '[Location]',
  '{{x}}',
  'é',
  '😀',
  '\t',
  '`code`',
  '**bold**',
  'x',
);
const words = fc.array(word, { minLength: 0, maxLength: 6 }).map((w) => w.join(' '));
const heading = fc
  .tuple(
    fc.integer({ min: 1, max: 4 }),
    fc.constantFrom(
      'Phase 1 → Phase 2 Handoff',
      'Phase 1 Summary',
      'Critical Findings',
      'Decisions Made',
      'Artifacts Produced',
      'Phase 2 Prerequisites',
      'Phase 2 Inputs',
      'Recommended Next Steps',
      'Open Questions',
      'Risks & Dependencies',
      'Source',
      'Inputs Received',
      'Prerequisites',
      'Gate 1: Completeness',
      'Gate 4: Testing',
      'Success Metrics',
      'Tests',
      'Execution Proof',
      'Deliverables',
      'Summary',
      'Decision Log',
      'Decision 1: Use X',
    ),
    words,
  )
  .map(([l, t, w]) => `${'#'.repeat(l)} ${t}${w ? ' ' + w : ''}`);
const item = fc
  .tuple(
    fc.constantFrom('- ', '* ', '1. ', '- [ ] ', '- [x] ', '  - '),
    fc.constantFrom('', 'Input: ', 'Artifact: ', 'Decision: ', 'Risk: ', 'Evidence: '),
    words,
    fc.constantFrom('', ' [r](04-ARTIFACTS/r.md)', ' [x](missing.md)', ' `04-ARTIFACTS/a.txt`', ' → because', ' - mitigate', ' ->'),
  )
  .map((p) => p.join(''));
const table = fc.constantFrom(
  '| Metric | Target | Actual |\n|---|---|---|\n| Code coverage | > 80% | 76% |',
  '| Metric | Actual |\n|--|--|\n| Uptime SLA | 99.95% |',
  '| a |\n|-|\n| b | c | d |',
  '| Risk | Mitigation |\n|---|---|\n| outage | |',
);
const fence = fc.constantFrom('```\n3 passed, 1 failed\n```', '```text\n12 passed, 0 failed\n```', '```\nunclosed', '    indented code\n');
const frontMatter = fc.constantFrom(
  '',
  '---\ntitle: x\n---\n',
  '---\nstatus: nope\nphase: [\n---\n',
  '---\nphase: 1\nstatus: draft\n',
  '---\n---\n',
  '---\na: &a [1]\nb: *a\n---\n',
);
const block = fc.oneof(heading, item, table, fence, words, fc.constant(''), fc.constant('<!-- comment -->'), fc.constant('<div>\n# html\n</div>'));
const documentArb = fc
  .tuple(frontMatter, fc.array(block, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([fm, blocks, eol, trailing]) => (fm + blocks.join('\n\n') + (trailing ? '\n' : '')).replace(/\n/g, eol));
/** A valid-looking document, then a few random character edits. */
const mutated = fc.tuple(documentArb, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 }), fc.string({ maxLength: 4 })), { maxLength: 4 })).map(([text, muts]) => {
  let t = text;
  for (const [at, del, ins] of muts) {
    const i = t.length ? at % t.length : 0;
    t = t.slice(0, i) + ins + t.slice(i + del);
  }
  return t;
});

const KINDS = [
  'phase-2/01-INPUT_HANDOFF.md',
  'phase-1/06-OUTPUT_HANDOFF.md',
  'phase-1/07-VALIDATION.md',
  'phase-1/05-DECISIONS.md',
  'phase-1/00-PHASE_BRIEF.md',
  'ws/workstreams/Build/Phase_1_CI/implementation_response_from_AI.md',
];

function editsFor(actions: CodeAction[], file: string) {
  return actions.filter((a) => a.change.creates.length === 0 && a.change.edits.length === 1 && a.change.edits[0].file === file);
}

describe('fuzz: parser, rules and quick fixes', function () {
  // A run diagnoses a document, then applies each fix it is offered and diagnoses the result and offers fixes again: an
  // output handoff missing its nine sections makes ten rounds of nine templates rendered (10 to 20 ms a run on a loaded
  // machine, more with the full suite alongside: 4,000 runs took over 120 s).
  this.timeout(fuzzTimeout(RUNS, 100));
  let svc: PhasegateService;
  before(async () => {
    ({ svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: A\n',
      'phase-1/04-ARTIFACTS/r.md': '# r\n',
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2: B\n',
      'ws/workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Phase 1\n\n## Deliverables\n\n- CI pipeline\n',
    }));
  });

  for (const rel of KINDS) {
    it(`holds its properties on ${rel}`, () => {
      const file = `${ROOT}/${rel}`;
      fc.assert(
        fc.property(fc.oneof(documentArb, mutated), (text) => {
          svc.setOverlay(file, text);
          const doc = parseDocument(text);
          const diags = svc.diagnose(file);
          assertRangesInside(doc, diags);
          for (const action of editsFor(codeActions(svc, diags), file)) {
            const edits = action.change.edits[0].edits;
            for (const e of edits) assertRangesInside(doc, [{ range: e.range, code: action.title }]);
            const once = applyEdits(text, edits);
            if (text.includes('\r\n') && !/\n/.test(text.replace(/\r\n/g, ''))) assert.ok(!/[^\r]\n/.test(once), 'a fix keeps CRLF line endings');
            svc.setOverlay(file, once);
            const again = editsFor(codeActions(svc, svc.diagnose(file)), file).filter((a) => a.title === action.title);
            for (const a of again) assert.equal(applyEdits(once, a.change.edits[0].edits), once, `"${action.title}" changes the text a second time`);
            svc.setOverlay(file, text);
          }
        }),
        { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
      );
    });
  }
});
