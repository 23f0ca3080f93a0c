/**
 * Documents too large for the Markdown model (over MAX_PARSE_BYTES): the rules that read their structure
 * do not check them, one document-too-large warning says so, and nothing false is reported.
 */
import * as assert from 'node:assert/strict';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { MAX_PARSE_BYTES } from '../../server/src/service/markdown';
import { EXAMPLES, readTree } from '../cli/helpers';
import { ROOT, assets } from '../helpers/workspace';

/** `text` with an appendix that takes it over MAX_PARSE_BYTES. */
function tooLarge(text: string): string {
  const paragraph = 'Some ordinary paragraph text of a long appendix.\n\n';
  return `${text}\n## Appendix\n\n${paragraph.repeat(Math.ceil(MAX_PARSE_BYTES / paragraph.length) + 1)}`;
}

/** An engine over a bundled example, at /ws, with some of its files changed (paths relative to the example). */
async function example(name: string, edit: Record<string, (text: string) => string>): Promise<PhasegateService> {
  const fs = new MemoryFileSystem();
  for (const [rel, text] of Object.entries(readTree(`${EXAMPLES}/${name}`))) fs.write(`${ROOT}/${rel}`, edit[rel] ? edit[rel](text) : text);
  const svc = new PhasegateService({ fs, assets });
  await svc.load(ROOT);
  return svc;
}

const codes = (svc: PhasegateService, rel: string) => svc.diagnose(`${ROOT}/${rel}`).map((d) => `${d.severity} ${d.code}`);

describe('documents too large for the Markdown model', () => {
  it('are said to be once, with no section reported missing; their front matter is still checked', async () => {
    const brief = 'phase-1/00-PHASE_BRIEF.md';
    const svc = await example('audit-deployment', { [brief]: tooLarge });
    const text = svc.getText(`${ROOT}/${brief}`)!;
    assert.ok(text.length > MAX_PARSE_BYTES);
    const [d, ...rest] = svc.diagnose(`${ROOT}/${brief}`);
    assert.deepEqual(rest, []);
    assert.equal(d.code, 'document-too-large');
    assert.equal(d.severity, 'warning');
    // At the first line after the front matter.
    assert.deepEqual(d.range, { start: { line: 7, character: 0 }, end: { line: 7, character: text.split('\n')[7].length } });
    assert.match(d.message, /^This document is too large to check its structure \(\d+ characters; at most 2097152 are read as Markdown\): its sections, /);
    // What it holds is not known: the Completeness gate waits (the other gates are as they were).
    const gates = svc.gates(svc.findPhase('phase-1')!);
    assert.deepEqual(
      gates.map((g) => `${g.name} ${g.status} ${g.reasons.join(', ')}`),
      ['Completeness pending 1 × document-too-large', 'Quality passed ', 'Documentation passed ', 'Testing passed ', 'Review passed ', 'Approval passed '],
    );
    // A directive may silence what is not read: it is not said to silence nothing (nor removed by Fix all).
    svc.setOverlay(
      `${ROOT}/${brief}`,
      text.replace('## Appendix', '<!-- phasegate-disable-next-line broken-link -->\n- [Old runbook](wiki/runbook.md)\n\n## Appendix'),
    );
    assert.deepEqual(codes(svc, brief), ['warning document-too-large']);
    // The front matter is read by lines: its problems are reported.
    svc.setOverlay(`${ROOT}/${brief}`, text.replace('status: complete', 'status: finished'));
    assert.deepEqual(codes(svc, brief), ['warning document-too-large', 'error front-matter-schema']);
  });

  it('are not compared as if empty: an input handoff, an output handoff, a response', async () => {
    const audit = await example('audit-deployment', {
      'phase-2/01-INPUT_HANDOFF.md': tooLarge,
      'phase-2/06-OUTPUT_HANDOFF.md': tooLarge,
    });
    // Its inputs are not read, so none is missing from it; nor are the deliverables an output handoff reports.
    assert.deepEqual(codes(audit, 'phase-2/01-INPUT_HANDOFF.md'), ['warning document-too-large']);
    assert.deepEqual(codes(audit, 'phase-2/06-OUTPUT_HANDOFF.md'), ['warning document-too-large']);
    // The next phase's input handoff is not compared with an output handoff that is not read; it is told
    // that phase 2 has not passed (its Completeness gate waits for what its documents hold).
    assert.deepEqual(codes(audit, 'phase-3/01-INPUT_HANDOFF.md'), ['warning unvalidated-handoff']);

    const response = 'workstreams/Build/Phase_1_Source_Code_Management/implementation_response_from_AI.md';
    const iai = await example('all_use_iai_project', { [response]: tooLarge });
    assert.deepEqual(codes(iai, response), ['warning document-too-large']);
    const phase = iai.findPhase('Build/Phase_1_Source_Code_Management')!;
    assert.deepEqual(
      iai.gates(phase).map((g) => `${g.name} ${g.status}`),
      ['Completeness pending', 'Tests passed', 'Proof passed'],
    );
  });

  it('leave the gates of a validation checklist too large to read waiting, and say why', async () => {
    const svc = await example('audit-deployment', { 'phase-1/07-VALIDATION.md': tooLarge });
    assert.deepEqual(codes(svc, 'phase-1/07-VALIDATION.md'), ['warning document-too-large']);
    const gates = svc.gates(svc.findPhase('phase-1')!);
    assert.deepEqual(
      gates.map((g) => `${g.name} ${g.status} ${g.reasons.join(', ')}`),
      [
        'Completeness pending 1 × document-too-large, 07-VALIDATION.md is too large to read its checklists',
        ...['Quality', 'Documentation', 'Testing', 'Review', 'Approval'].map((g) => `${g} pending 07-VALIDATION.md is too large to read its checklists`),
      ],
    );
  });
});
