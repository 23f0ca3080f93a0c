/**
 * Navigation between a phase's deliverables and where they are addressed (server/src/service/deliverable-nav.ts): a
 * deliverable of the prompt leads to the lines of the response that address it and back, a deliverable of the brief
 * to the output handoff's summary and artifacts, matched as the unaddressed-deliverable rule matches them.
 */
import * as assert from 'node:assert/strict';
import { deliverableCounterparts, deliverableSummary } from '../../server/src/service/deliverable-nav';
import type { PhasegateService } from '../../server/src/service';
import { ROOT, diagnosticsOf, workspace } from '../helpers/workspace';

const IAI = 'proj/workstreams/Build/Phase_1_CI';
const PROMPT = `${IAI}/implementation_prompt.md`;
const RESP = `${IAI}/implementation_response_from_AI.md`;

const PROMPT_TEXT = [
  '# Phase 1: CI Setup', // 0
  '',
  '## Objective', // 2
  '',
  'Set up continuous integration.', // 4
  '',
  '## Deliverables', // 6
  '',
  '- **GitHub Actions** workflow for builds on every pull request', // 8
  '- Linter configuration for Python and JavaScript', // 9
  '  with the rules the team agreed', // 10
  '- Branching strategy document', // 11
  '- Release notes for the first version', // 12
  '',
  '## Tests Required', // 14
  '',
  '- Unit tests for the workflow definition', // 16
  '',
].join('\n');

const RESPONSE_TEXT = [
  '# Phase 1 Response: CI Setup', // 0
  '',
  '## Summary', // 2
  '',
  'Implemented the CI pipeline.', // 4
  '',
  '## Deliverables', // 6
  '',
  '- [x] GitHub Actions workflow: `.github/workflows/ci.yml`', // 8
  '- [x] Linter configuration (Python, JavaScript): `.pylintrc` and `.eslintrc.json`', // 9
  '- [x] Branching strategy: `docs/branching.md`', // 10
  '',
  'The workflow also runs the linters on GitHub Actions.', // 12
  '',
  '- [x] Caching of dependencies', // 14
  '',
  '## Tests', // 16
  '',
  '- `tests/test_ci.py::test_workflow_is_valid_yaml`', // 18
  '',
].join('\n');

const BRIEF = 'audit/phase-1/00-PHASE_BRIEF.md';
const OUT = 'audit/phase-1/06-OUTPUT_HANDOFF.md';

const BRIEF_TEXT = [
  '# Phase 1: Foundation Audit', // 0
  '',
  '## Objectives', // 2
  '',
  'Know where the codebase stands.', // 4
  '',
  '## Deliverables', // 6
  '',
  '| Deliverable | Owner |', // 8
  '| --- | --- |',
  '| Dependency vulnerability scan | Security |', // 10
  '| Test coverage analysis | QA |', // 11
  '',
  '## Success Metrics', // 13
  '',
  '- Critical vulnerabilities: 0', // 15
  '',
].join('\n');

const OUT_TEXT = [
  '# Phase 1 → Phase 2 Handoff', // 0
  '',
  '## Phase 1 Summary', // 2
  '',
  'The dependency vulnerability scan found two issues.', // 4
  '',
  '## Artifacts Produced', // 6
  '',
  '- [Coverage analysis](03-FINDINGS/coverage.md): test coverage per module', // 8
  '',
  '## Phase 2 Inputs', // 10
  '',
  '- Dependency vulnerability scan results', // 12
  '',
].join('\n');

async function engine(files: Record<string, string> = {}): Promise<PhasegateService> {
  const { svc } = await workspace({
    [PROMPT]: PROMPT_TEXT,
    [RESP]: RESPONSE_TEXT,
    [BRIEF]: BRIEF_TEXT,
    [OUT]: OUT_TEXT,
    'audit/phase-1/03-FINDINGS/coverage.md': '# Coverage\n',
    ...files,
  });
  return svc;
}

/** Where the position leads: `file:line` of each match, or undefined when nothing there leads anywhere. */
function leads(svc: PhasegateService, rel: string, line: number, ch = 2): string[] | undefined {
  const found = deliverableCounterparts(svc, `${ROOT}/${rel}`, line, ch);
  return found?.counterparts.map((c) => `${c.path.slice(ROOT.length + 1)}:${c.range.start.line}`);
}

describe('deliverable navigation', () => {
  it('a deliverable of the prompt leads to the lines of the response that address it, in their order', async () => {
    const svc = await engine();
    assert.deepEqual(leads(svc, PROMPT, 8), [`${RESP}:8`, `${RESP}:12`]);
    // Any line of a multi-line item is the item.
    assert.deepEqual(leads(svc, PROMPT, 10), [`${RESP}:9`]);
    assert.deepEqual(leads(svc, PROMPT, 11), [`${RESP}:10`]);
  });

  it('a deliverable addressed nowhere leads nowhere, as the rule reports it', async () => {
    const svc = await engine();
    assert.deepEqual(leads(svc, PROMPT, 12), []);
    const reported = (await diagnosticsOf(svc, RESP)).filter((d) => d.code === 'unaddressed-deliverable').map((d) => d.message);
    assert.deepEqual(reported, [`Deliverable "Release notes for the first version" of the prompt is not addressed in the response's "Deliverables" section.`]);
  });

  it('a line of the response leads to the deliverables it addresses; one that addresses none, and other sections, nowhere', async () => {
    const svc = await engine();
    assert.deepEqual(leads(svc, RESP, 9), [`${PROMPT}:9`]);
    // Its key term, **GitHub Actions**; the linters alone are too few of the other's words.
    assert.deepEqual(leads(svc, RESP, 12), [`${PROMPT}:8`]);
    assert.equal(leads(svc, RESP, 14), undefined);
    // The Tests section is not where deliverables are addressed; nor is a line of the prompt that is no deliverable.
    assert.equal(leads(svc, RESP, 18), undefined);
    assert.equal(leads(svc, PROMPT, 16), undefined);
    assert.equal(leads(svc, PROMPT, 4), undefined);
  });

  it('the item itself is told by the range of its text, on either side', async () => {
    const svc = await engine();
    const fromPrompt = deliverableCounterparts(svc, `${ROOT}/${PROMPT}`, 9, 0)!;
    assert.deepEqual(fromPrompt.at, { start: { line: 9, character: 2 }, end: { line: 9, character: PROMPT_TEXT.split('\n')[9].length } });
    const fromResponse = deliverableCounterparts(svc, `${ROOT}/${RESP}`, 9, 0)!;
    assert.deepEqual(fromResponse.at.start, { line: 9, character: 6 });
    // A line that is no item: the line without its indentation.
    const line = deliverableCounterparts(svc, `${ROOT}/${RESP}`, 12, 0)!;
    assert.deepEqual(line.at, { start: { line: 12, character: 0 }, end: { line: 12, character: RESPONSE_TEXT.split('\n')[12].length } });
  });

  it('a response without a Deliverables section addresses them anywhere, as the rule reads it', async () => {
    const svc = await engine({ [RESP]: '# Phase 1 Response: CI Setup\n\n## Summary\n\nA branching strategy document is in `docs/`.\n' });
    assert.deepEqual(leads(svc, PROMPT, 11), [`${RESP}:4`]);
    assert.deepEqual(leads(svc, RESP, 4), [`${PROMPT}:11`]);
  });

  it('the brief table rows lead to the output handoff summary and artifacts, not its inputs for the next phase', async () => {
    const svc = await engine();
    assert.deepEqual(leads(svc, BRIEF, 10), [`${OUT}:4`]);
    assert.deepEqual(leads(svc, BRIEF, 11), [`${OUT}:8`]);
    assert.deepEqual(leads(svc, OUT, 8), [`${BRIEF}:11`]);
    // The row's first cell is the deliverable's range.
    const row = deliverableCounterparts(svc, `${ROOT}/${BRIEF}`, 10, 0)!;
    assert.deepEqual([row.at.start.character, row.at.end.character], [2, 2 + 'Dependency vulnerability scan'.length]);
    // The next phase's inputs are no answer to the brief (handoff navigation reads them).
    assert.equal(leads(svc, OUT, 12), undefined);
  });

  it('a label listing deliverables on its line: the part at the position', async () => {
    const prompt = PROMPT_TEXT.replace(
      /## Deliverables[\s\S]*?## Tests Required/,
      '- **Key Activities (via iAI Prompt):** Branching strategy document, release notes for the first version\n\n## Tests Required',
    );
    const svc = await engine({ [PROMPT]: prompt });
    const line = prompt.split('\n').findIndex((l) => l.includes('Key Activities'));
    const src = prompt.split('\n')[line];
    assert.deepEqual(leads(svc, PROMPT, line, src.indexOf('Branching') + 3), [`${RESP}:10`]);
    assert.deepEqual(leads(svc, PROMPT, line, src.indexOf('release notes') + 3), []);
    const part = deliverableCounterparts(svc, `${ROOT}/${PROMPT}`, line, src.indexOf('release notes'))!;
    assert.deepEqual([part.at.start.character, part.at.end.character], [src.indexOf('release notes'), src.length]);
    // On the label itself: no part.
    assert.equal(leads(svc, PROMPT, line, 4), undefined);
  });

  it('no phase, a blank line, or a response not written: nothing, or nowhere', async () => {
    const svc = await engine();
    assert.equal(leads(svc, PROMPT, 7), undefined);
    const { svc: alone } = await workspace({ [PROMPT]: PROMPT_TEXT, 'README.md': '# Project\n\n- Branching strategy document\n' });
    assert.deepEqual(leads(alone, PROMPT, 11), []);
    assert.equal(leads(alone, 'README.md', 2), undefined);
  });

  it("a deliverable's hover quotes the lines that address it, or says that none does and why", async () => {
    const svc = await engine();
    const at = (rel: string, line: number) => deliverableSummary(svc, `${ROOT}/${rel}`, line, 2);
    assert.equal(
      at(PROMPT, 8)?.text,
      [
        '**Deliverable** — addressed in the response, `implementation_response_from_AI.md` (Go to Definition leads there):',
        '',
        '- line 9: GitHub Actions workflow: `.github/workflows/ci.yml`',
        '- line 13: The workflow also runs the linters on GitHub Actions.',
      ].join('\n'),
    );
    assert.equal(at(PROMPT, 12)?.text, '**Deliverable** — not addressed in the response (`unaddressed-deliverable` reports it there).');
    assert.match(at(BRIEF, 11)?.text ?? '', /^\*\*Deliverable\*\* — addressed in the output handoff's summary or artifacts, `06-OUTPUT_HANDOFF.md`/);
    // Not on a deliverable, nor on the answering side (Go to Definition serves there).
    assert.equal(at(PROMPT, 4), undefined);
    assert.equal(at(RESP, 9), undefined);
    const { svc: alone } = await workspace({ [PROMPT]: PROMPT_TEXT });
    assert.equal(
      deliverableSummary(alone, `${ROOT}/${PROMPT}`, 11, 2)?.text,
      '**Deliverable** — not addressed in the response (implementation_response_from_AI.md is not written yet).',
    );
  });
});
