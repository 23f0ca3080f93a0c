/**
 * Quick fixes over a selection of thousands of problems of many rules in one document. "Disable … for this
 * file" is the same edit for every problem of a rule; whether it can be written was tried on the whole
 * document once per rule (a parse of the document with the comment line, and its shape: two parses of the
 * whole document per rule). It is now tried on the blocks at the body's start alone where they can be read on
 * their own, and otherwise once per document, the other rules taking that trial's result. The actions are
 * those the old path gives (every trial parsed whole, per rule): a differential fuzz test over documents
 * whose body starts in many ways, with problems of many rules; and the work over all the problems of a
 * document grows linearly with their number.
 *
 * FUZZ_RUNS sets the number of cases (default 100), FUZZ_SEED the seed (fast-check prints it on a failure).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkTogether, codeActions, suppressActions, type Diagnostic, type PhasegateService } from '../../server/src/service';
import { MAX_PARSE_BYTES } from '../../server/src/service/markdown';
import { compareWithFullParse, fullParse, parsesOf, problemsOn } from '../helpers/suppress';
import { loud } from '../helpers/fuzz';
import { assertLinearAsync } from '../helpers/linear';
import { ROOT } from '../helpers/workspace';

const BRIEF = 'phase-1/00-PHASE_BRIEF.md';
const FILE = `${ROOT}/${BRIEF}`;
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** Rule ids of several lengths (the comment line's length differs with each). */
const RULES = ['broken-link', 'empty-section', 'unfilled-placeholder', 'decision-without-rationale', 'missing-section', 'gate-item-unchecked'];

/** `compareWithFullParse` of the brief. */
const compare = (text: string, problems: Diagnostic[], label: string) => compareWithFullParse(BRIEF, text, problems, label);

/** What a document's body may start with: front matter in its forms, blank lines, and any block. */
const head = fc.constantFrom(
  '---\nphase: 1\nstatus: in-progress\n---\n',
  '---\nphase: 1\n---\n\n',
  '---\nphase: 1\n---\n\n\n',
  '---\nphase: 1\n---\n  \n',
  '---\r\nphase: 1\r\n---\r\n\r\n',
  '---\n---\n',
  '---\nphase: 1\n',
  '\n---\nphase: 1\n---\n\n',
  '\n\n',
  ' \n',
  '',
);
const block = fc.constantFrom(
  '# Phase 1: Work',
  'Setext title\n============',
  'text\n---',
  '---',
  '* * *',
  '- item one\n- item two',
  '- [ ] open task\n- [x] done task',
  '  - indented item',
  '1. first\n2. second',
  '> quoted\nlazy line',
  '| a | b |\n|---|---|\n| c | d |',
  '```\ncode\n```',
  '~~~\nunclosed fence',
  '    indented code',
  '<div>\nhtml block\n</div>',
  '<!-- a comment -->',
  '<!-- open comment\nstill in it',
  '<!-- phasegate-disable-file broken-link -->',
  '<!-- phasegate-disable-next-line empty-section -->\nsilenced',
  'text <!-- phasegate-disable-line broken-link -->',
  '[r]: /url',
  '[multi\nlabel]:\nmore',
  'A paragraph\nof two lines.',
  '\tafter a tab',
  '## Objectives',
);
const separator = fc.constantFrom('\n', '\n\n', '\n\n\n', '\n  \n');
const documentOf = fc.tuple(head, fc.array(fc.tuple(block, separator), { minLength: 0, maxLength: 5 }), fc.boolean()).map(([h, parts, end]) => {
  const text = h + parts.map(([b, s]) => b + s).join('');
  return end ? text : text.replace(/\n+$/, '');
});

describe('quick fixes over many problems of many rules', function () {
  this.timeout(120_000);

  it('random documents, problems of many rules: every "for this file" and "for this line" action is the one each trial parsed whole gives', async () => {
    await fc.assert(
      fc.asyncProperty(documentOf, fc.array(fc.constantFrom(...RULES), { minLength: 1, maxLength: 6 }), async (text, rules) => {
        const lines = text.split(/\r\n|\r|\n/).map((_, i) => i);
        const problems = rules.flatMap((code, k) =>
          problemsOn(
            FILE,
            lines.filter((l) => (l + k) % 2 === 0),
            code,
          ),
        );
        await compare(text, problems, `rules ${rules.join(', ')}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  /** A brief of `n` problems of each rule of RULES: `n` lines of a list after the body's `lead`. */
  function manyRules(lead: string, n: number): { text: string; problems: Diagnostic[] } {
    let text = `---\nphase: 1\nstatus: in-progress\n---\n${lead}`;
    const first = text.split('\n').length - 1;
    for (let i = 0; i < n; i++) text += `- See [notes](missing-${i}.md) first.\n`;
    const lines = Array.from({ length: n }, (_, i) => first + i);
    return { text, problems: RULES.flatMap((code) => problemsOn(FILE, lines, code)) };
  }

  /** The parses of the whole document (of `min` characters or more) while the file actions of `problems` are computed, and the actions. */
  async function fileParses(text: string, problems: Diagnostic[], min: number): Promise<{ whole: number; titles: string[] }> {
    const svc = await loud({ [BRIEF]: text });
    // The line actions' trials first (checked together, as the server does): only the file's trials are counted.
    await checkTogether(svc, problems);
    const titles = new Set<string>();
    const whole = await parsesOf(() => {
      for (const d of problems) for (const a of suppressActions(svc, d)) if (a.title.endsWith('for this file')) titles.add(a.title);
    }, min);
    return { whole, titles: [...titles] };
  }

  it('"Disable … for this file" of many rules, the body starting with a blank line and a heading: tried on that line and the heading alone, no parse of the whole document', async () => {
    const { text, problems } = manyRules('\n# Phase 1: Work\n\n', 300);
    const { whole, titles } = await fileParses(text, problems, 5_000);
    assert.deepEqual(
      titles,
      RULES.map((r) => `Disable ${r} for this file`),
    );
    assert.equal(whole, 0, 'no parse of the whole document for the file actions');
  });

  it('"Disable … for this file" of many rules where the body\'s start cannot be read alone (a list after the blank line): one parse of the whole document for them all', async () => {
    // A list item after the blank line below the front matter: the blank line may join it (`closedBelow`).
    const { text, problems } = manyRules('\n', 300);
    const { whole, titles } = await fileParses(text, problems, 5_000);
    assert.equal(titles.length, RULES.length);
    // Was one for each rule (and the shape of each result: another parse of the whole document's size by markdown-it).
    assert.equal(whole, 1, 'the whole document parsed once for the file actions of every rule');
  });

  it('a document that the comment line of a longer rule id makes too large to parse as Markdown: each rule tried on its own side of that size', async () => {
    // The body's start not readable alone (a list after the blank line), the document just below the size past which
    // it is read by lines only: the comment line of `broken-link` keeps it below, the one of `decision-without-rationale` not.
    const top = '---\nphase: 1\n---\n\n- item\n\n';
    const line = `See [notes](missing.md) first.\n`;
    const comment = (code: string) => `<!-- phasegate-disable-file ${code} -->`.length + 1;
    const room = MAX_PARSE_BYTES - comment('broken-link') - top.length;
    let text = top + line.repeat(Math.floor(room / line.length));
    text += 'x'.repeat(MAX_PARSE_BYTES - comment('broken-link') - text.length);
    assert.ok(text.length + comment('broken-link') <= MAX_PARSE_BYTES && text.length + comment('decision-without-rationale') > MAX_PARSE_BYTES);
    const last = text.split('\n').length - 1;
    const problems = [...problemsOn(FILE, [last], 'broken-link'), ...problemsOn(FILE, [last], 'decision-without-rationale')];
    const svc = await loud({ [BRIEF]: text });
    const alone = await loud({ [BRIEF]: text });
    const titles = problems.map((d) => suppressActions(svc, d).map((a) => a.title));
    // As each rule's trial parsed whole gives them.
    problems.forEach((d, i) =>
      assert.deepEqual(
        titles[i],
        fullParse(() => suppressActions(alone, d)).map((a) => a.title),
        d.code,
      ),
    );
    assert.ok(titles[0].includes('Disable broken-link for this file'));
    assert.ok(!titles[1].includes('Disable decision-without-rationale for this file'));
  });

  /** A validation document with `n` groups of problems: unchecked gate items with a placeholder, items without evidence, broken links. */
  function validation(n: number): string {
    const out = ['---', 'phase: 1', 'status: in-progress', '---', '', '# Phase 1: Validation', ''];
    const gates = ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review'];
    const per = Math.ceil(n / gates.length);
    let k = 0;
    for (const g of gates) {
      out.push(`## ${g}`, '');
      for (let i = 0; i < per && k < n; i++, k++) {
        out.push(`- [ ] Item ${k} checked — Evidence: [Evidence]`);
        out.push(`- [x] Item ${k} done, see [notes](missing-${k}.md)`);
        out.push(`- [x] Item ${k} reviewed TBD`);
      }
      out.push('', `See [the report ${g}](missing-${g}.md) for [details].`, '');
    }
    return out.join('\n');
  }

  /**
   * The actions of every problem of a document as the server asks for them over a selection of all of it: each
   * problem's fix, then the directives tried out together, then those of each rule and line.
   */
  async function allActions(svc: PhasegateService, file: string): Promise<number> {
    const diags = svc.diagnose(file);
    let n = 0;
    for (const d of diags) n += codeActions(svc, [d]).length;
    await checkTogether(svc, diags);
    const offered = new Set<string>();
    for (const d of diags) {
      const key = `${d.code} ${d.range.start.line}`;
      if (offered.has(key)) continue;
      offered.add(key);
      n += suppressActions(svc, d).length;
    }
    return n;
  }

  it('a validation document of thousands of problems of several rules: its quick fixes in time linear in their number', async () => {
    const VALIDATION = 'phase-1/07-VALIDATION.md';
    // Each run on the document parsed anew (the trials and shapes are kept per parsed document), its problems found again.
    const file = `${ROOT}/${VALIDATION}`;
    const problems = new Map<number, number>();
    await assertLinearAsync(
      'the quick fixes of the problems of n groups',
      async (n) => {
        const text = validation(n);
        const svc = await loud({ [VALIDATION]: text, [BRIEF]: '---\nphase: 1\n---\n\n# Phase 1: Work\n' });
        return async () => {
          svc.setOverlay(file, text);
          problems.set(n, svc.diagnose(file).length);
          await allActions(svc, file);
        };
      },
      { n: 50 },
    );
    assert.ok((problems.get(800) ?? 0) > 4_000, `${problems.get(800)} problems`);
  });
});
