/**
 * The title a phase not checked yet shows (`scannedLeadTitle`: a scan of its brief's or prompt's text, title-scan.ts)
 * against the title it shows once checked (`leadTitle`, from the parsed document): the same wherever the scan answers,
 * on generated documents, and an answer for the documents the templates write.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { workspace, ROOT } from '../helpers/workspace';
import type { PhasegateService } from '../../server/src/service';
import { UNKNOWN, checkingTitle, leadTitle, scannedLeadTitle, shownTitle } from '../../server/src/service/templates';

/** Lines a brief may start with: titles of every shape, and the blocks around them the scan reads or stops at. */
const LINES = [
  '# Phase 3: Security Hardening',
  '# Phase 3: ',
  '# Phase 3 — Review #',
  '#',
  '# #',
  '# C \\#',
  '#\tTabbed',
  '# **Phase 3: Bold** (Weeks 1-2)',
  '# Build Phase 3: Deploy — Implementation Prompt',
  '# Sprint 3: Kickoff',
  '# [Phase title]',
  '# Title <!-- note -->',
  '# <!-- only a note -->',
  '# a \\*b\\* _c_ `d_e`',
  '# Phase 3: Fix \\_init\\_ and \\\\ paths',
  '   # Indented three',
  '    # Indented four',
  '\t# Tab',
  '#hashtag',
  '####### Seven',
  '## Phase 4: Second',
  '## Objectives',
  '### **Phase 5: Containers**',
  '###### phase 6',
  '```',
  '```js',
  '``` `x`',
  '~~~',
  '````',
  '  ```',
  '\t```',
  '',
  '   ',
  '\t',
  '\u00a0',
  'Paragraph text',
  '===',
  '---',
  '***',
  '- item',
  '1. item',
  '> # Quoted',
  '| a | b |',
  '|---|---|',
  ':--',
  '# a | b',
  '<!-- comment',
  '-->',
  '<!-- one -->',
  '<!-->',
  '<div>',
  '[Title]',
  '[ref]: /x',
  'x\ry',
  '\0',
  'Title',
];

const FRONT_MATTER = [
  '',
  '---\ntitle: Front Title\n---\n',
  '---\nphase: 3\ntitle: "Phase 3: Quoted *x*"\n---\n',
  '---\ntitle: Phase 3\n---\n',
  '---\ntitle: [a, b]\n---\n',
  '---\ntitle: 5\n---\n',
  '---\ntitle: Unclosed\n',
  '--- \ntitle: Dotted\n...\n',
  '---\n---\n',
  '---\ntitle: a: b\n---\n',
  '\n---\ntitle: Misplaced\n---\n',
  '<!-- c -->\n---\ntitle: Misplaced\n---\n',
  '\ufeff---\ntitle: Bom\n---\n',
  '\ufeff',
];

/** Documents where the scan could read a line as markdown-it does not: each is asked of each layout before the generated ones. */
const EDGES = [
  '# Phase 3: A | B\n|---|---|\n',
  '# Phase 3: A|B\n-|-\n',
  '## Phase 3: A\n:-\n',
  '<!-- a -->\n# Phase 3: Table\n| a |\n',
  '```\n# Phase 3: In code\n````\n# Phase 3: After\n',
  '~~~\n# Phase 3: In code\n```\n~~~~ \n# Phase 3: After\n',
  '```\n\t```\n# Phase 3: In code\n',
  '<!--\n# Phase 3: In a comment\n-->\n# Phase 3: After\n',
  '<!-->\n# Phase 3: After\n',
  '   # Phase 3: Three spaces\n',
  '    # Phase 3: Code\n# Phase 3: After\n',
  '# Phase 3: Ends \\#\n',
  '# Phase 3: Ends ##   \n',
  '# Phase 3: Closed #\t#\n',
  '# Phase 3: Note <!-- x -->\n',
  'Title\n===\n# Phase 3: After\n',
  '## Phase 2: Not\n### **Phase 3: Bold**\n',
  '---\ntitle: Phase 3: Colon\n---\n## Objectives\n',
  '---\ntitle: "Front"\n---\n# [Phase title]\n',
  '# Phase 3: Cr\r## Next\n',
  '\ufeff# Phase 3: Bom\n',
];

const document = fc
  .tuple(fc.constantFrom(...FRONT_MATTER), fc.array(fc.constantFrom(...LINES), { maxLength: 8 }), fc.boolean(), fc.boolean())
  .map(([fm, lines, crlf, final]) => {
    const text = fm + lines.join('\n') + (final ? '\n' : '');
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

/** Each layout's lead document: an audit brief, an iAI prompt (with its workstream), a custom kind headed `Sprint {N}: `. */
const LEADS = ['audit/phase-3/00-PHASE_BRIEF.md', 'project/workstreams/Build/Phase_3_Deploy/implementation_prompt.md', 'sprints/sprint-3/goals.md'];

async function engine(): Promise<PhasegateService> {
  const { svc } = await workspace({
    [LEADS[0]]: '# Phase 3: Audit\n',
    [LEADS[1]]: '# Phase 3: Deploy\n',
    [LEADS[2]]: '# Sprint 3: Goals\n',
    'phasegate.yaml': [
      'layouts:',
      '  - name: sprint',
      '    phases: sprints/*',
      '    documents:',
      '      - kind: goals',
      '        file: goals.md',
      '        heading: "Sprint {N}: "',
    ].join('\n'),
  });
  return svc;
}

function phaseOf(svc: PhasegateService, lead: string) {
  const p = svc.model.phases.find((x) => x.documents.some((d) => d.path === `${ROOT}/${lead}`));
  assert.ok(p, lead);
  return p;
}

describe('the title of a phase not checked yet (title scan)', () => {
  it('is the title of the checked phase wherever the scan answers, on generated documents', async () => {
    const svc = await engine();
    const answered = [0, 0, 0];
    const asked = [0, 0, 0];
    for (const text of EDGES)
      for (const lead of LEADS) {
        svc.setOverlay(`${ROOT}/${lead}`, text);
        const p = phaseOf(svc, lead);
        const scanned = scannedLeadTitle(svc, p);
        if (scanned !== UNKNOWN) assert.equal(scanned, leadTitle(svc, p), `${lead}: ${JSON.stringify(text)}`);
      }
    fc.assert(
      fc.property(document, fc.integer({ min: 0, max: LEADS.length - 1 }), (text, k) => {
        svc.setOverlay(`${ROOT}/${LEADS[k]}`, text);
        const p = phaseOf(svc, LEADS[k]);
        // Scanned first: a title read from the parsed document before would be the answer.
        const scanned = scannedLeadTitle(svc, p);
        asked[k]++;
        if (scanned === UNKNOWN) return;
        answered[k]++;
        assert.equal(scanned, leadTitle(svc, p), JSON.stringify(text));
      }),
      { seed: 20261128, numRuns: 3000 },
    );
    // The scan answers often enough to matter, for each layout (the generated documents start with a title about as often as not).
    for (let k = 0; k < LEADS.length; k++) assert.ok(answered[k] > asked[k] / 5, `${LEADS[k]}: ${answered[k]} of ${asked[k]} answered`);
  });

  it('answers for the documents the templates write and the usual briefs and prompts', async () => {
    const svc = await engine();
    const cases: [number, string, string][] = [
      [
        0,
        '---\nphase: phase-3\ntitle: "Phase 3: Security Hardening"\nstatus: draft\n---\n\n# Phase 3: Security Hardening\n\n## Objectives\n',
        'Security Hardening',
      ],
      [0, '<!-- phasegate-disable heading-mismatch -->\n# Phase 3: Review \\#\r\n\r\n## Scope\r\n', 'Review #'],
      [0, '```text\n# not a title\n```\n\n## **Phase 3: Containers** (Weeks 5-6)\n', 'Containers (Weeks 5-6)'],
      [1, '---\nphase: 3\nworkstream: Build\n---\n\n# Build Phase 3: Deploy — Implementation Prompt\n\nText.\n', 'Deploy'],
      [2, '# Sprint 3: Kickoff *and* plan\n\nGoals.\n', 'Kickoff and plan'],
      [2, '---\ntitle: From the front matter\n---\n# Sprint 3: [Phase title]\n', 'From the front matter'],
    ];
    for (const [k, text, want] of cases) {
      svc.setOverlay(`${ROOT}/${LEADS[k]}`, text);
      const p = phaseOf(svc, LEADS[k]);
      assert.equal(scannedLeadTitle(svc, p), want, JSON.stringify(text));
      assert.equal(checkingTitle(svc, p), shownTitle(svc, p));
    }
  });

  it('falls back to the folder title where it cannot tell, and to the folder name without one', async () => {
    const svc = await engine();
    svc.setOverlay(`${ROOT}/${LEADS[1]}`, 'Some words first.\n\n# Build Phase 3: Later — Implementation Prompt\n');
    const prompt = phaseOf(svc, LEADS[1]);
    assert.equal(scannedLeadTitle(svc, prompt), UNKNOWN);
    assert.equal(checkingTitle(svc, prompt), 'Deploy');
    svc.setOverlay(`${ROOT}/${LEADS[0]}`, '- a list\n\n# Phase 3: Later\n');
    const brief = phaseOf(svc, LEADS[0]);
    assert.equal(checkingTitle(svc, brief), 'phase-3');
    // Once read from the parsed document, the title is the one read.
    assert.equal(shownTitle(svc, brief), 'Later');
    assert.equal(checkingTitle(svc, brief), 'Later');
  });
});
