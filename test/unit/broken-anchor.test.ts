/** broken-anchor: links to a place in a Markdown document that no heading (nor HTML id) there gives. */
import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { anchorKey, headingSlug } from '../../server/src/service/rules/doc-anchors';
import { applyEdits, codeActions, fixAll } from '../../server/src/service';

const HANDOFF = [
  '# Phase 1 → Phase 2 Handoff',
  '',
  '## Phase 1 Summary',
  '',
  'Done.',
  '',
  '## 📊 Metrics & KPIs (final)',
  '',
  '## Notes',
  '',
  '## Notes',
  '',
  '## Custom place {#the-place}',
  '',
  '<a id="rule-x"></a>',
  '',
  '```html',
  '<a id="in-code"></a>',
  '```',
  '',
].join('\n');

async function anchors(lines: string[], extra: Record<string, string> = {}) {
  const note = ['# Notes', '', ...lines, ''].join('\n');
  const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': HANDOFF, 'phase-2/notes.md': note, ...extra });
  return { svc, found: diagnosticsOf(svc, 'phase-2/notes.md', 'broken-anchor').map((d) => [d.range.start.line, d.message]) };
}

describe('broken-anchor', () => {
  it("keys anchors by their letters and digits, as GitHub's and other renderers' slugs agree on them", () => {
    assert.equal(anchorKey('Phase 2: Summary'), anchorKey('phase-2-summary'));
    assert.equal(anchorKey('Phase-2--Summary'), anchorKey('phase-2-summary'));
    assert.equal(anchorKey('Über den Plan'), 'überdenplan');
    assert.notEqual(anchorKey('Phase 2 Summary'), anchorKey('phase-3-summary'));
  });

  it("reports a link to another document's place that no heading there gives, and passes those that do", async () => {
    const { found } = await anchors([
      '- [ok](../phase-1/06-OUTPUT_HANDOFF.md#phase-1-summary)',
      '- [emoji and note](../phase-1/06-OUTPUT_HANDOFF.md#-metrics--kpis-final)',
      '- [second of two](../phase-1/06-OUTPUT_HANDOFF.md#notes-1)',
      '- [custom id](../phase-1/06-OUTPUT_HANDOFF.md#the-place)',
      '- [html id](../phase-1/06-OUTPUT_HANDOFF.md#rule-x)',
      '- [case and encoding](../phase-1/06-OUTPUT_HANDOFF.md#Phase%201%20Summary) [GitHub id](../phase-1/06-OUTPUT_HANDOFF.md#user-content-phase-1-summary)',
      '- [renamed](../phase-1/06-OUTPUT_HANDOFF.md#phase-2-summary)',
      '- [third of two](../phase-1/06-OUTPUT_HANDOFF.md#notes-2)',
      '- [in code only](../phase-1/06-OUTPUT_HANDOFF.md#in-code)',
      '- [top](../phase-1/06-OUTPUT_HANDOFF.md#top) [line](../phase-1/06-OUTPUT_HANDOFF.md#L3) [none](../phase-1/06-OUTPUT_HANDOFF.md#)',
      '- [not Markdown](../phase-1/run.sh#nowhere) [missing file](../phase-1/gone.md#nowhere) [web](https://example.com/a.md#x)',
      '',
      '[ref]: ../phase-1/06-OUTPUT_HANDOFF.md#no-such-place',
    ]);
    assert.deepEqual(found, [
      [8, 'No heading of "../phase-1/06-OUTPUT_HANDOFF.md" has the anchor "#phase-2-summary": "#phase-1-summary" is the closest.'],
      [9, 'No heading of "../phase-1/06-OUTPUT_HANDOFF.md" has the anchor "#notes-2": "#notes-1" is the closest.'],
      [10, 'No heading of "../phase-1/06-OUTPUT_HANDOFF.md" has the anchor "#in-code".'],
      [14, 'No heading of "../phase-1/06-OUTPUT_HANDOFF.md" has the anchor "#no-such-place".'],
    ]);
  });

  it("reports a link to a place in the document itself that it lacks, at the link's target", async () => {
    const { svc, found } = await anchors(['## Risks', '', 'See [risks](#risks), [plan](#plan) and [notes](#Notes).']);
    assert.deepEqual(found, [[4, 'No heading of this document has the anchor "#plan".']]);
    const [d] = diagnosticsOf(svc, 'phase-2/notes.md', 'broken-anchor');
    const line = svc.getText(`${ROOT}/phase-2/notes.md`)!.split('\n')[4];
    assert.equal(line.slice(d.range.start.character, d.range.end.character), '#plan');
  });

  it('writes the anchors GitHub writes for headings', () => {
    assert.equal(headingSlug('Phase 2: Summary'), 'phase-2-summary');
    assert.equal(headingSlug('📊 Metrics & KPIs (final)'), '-metrics--kpis-final');
    assert.equal(headingSlug('**Bold** and `code` [link](x.md)'), 'bold-and-code-link');
    assert.equal(headingSlug('Notes', 2), 'notes-2');
  });

  it('offers, only when asked, to point the link at the heading it most likely meant: renumbered, or two letters off', async () => {
    const { svc, found } = await anchors([
      '- [inputs](../phase-1/06-OUTPUT_HANDOFF.md#phase-7-summary)',
      '- [metrics](<../phase-1/06-OUTPUT_HANDOFF.md#metric-kpis-final>)',
      '- [none close](../phase-1/06-OUTPUT_HANDOFF.md#deployment)',
    ]);
    assert.deepEqual(found, [
      [2, 'No heading of "../phase-1/06-OUTPUT_HANDOFF.md" has the anchor "#phase-7-summary": "#phase-1-summary" is the closest.'],
      [3, 'No heading of "../phase-1/06-OUTPUT_HANDOFF.md" has the anchor "#metric-kpis-final": "#-metrics--kpis-final" is the closest.'],
      [4, 'No heading of "../phase-1/06-OUTPUT_HANDOFF.md" has the anchor "#deployment".'],
    ]);
    const file = `${ROOT}/phase-2/notes.md`;
    const diags = diagnosticsOf(svc, 'phase-2/notes.md', 'broken-anchor');
    const actions = codeActions(svc, diags);
    assert.deepEqual(
      actions.map((a) => [a.title, a.manual]),
      [
        ['Link to #phase-1-summary', true],
        ['Link to #-metrics--kpis-final', true],
      ],
    );
    // Fix all leaves a guess to the user.
    assert.equal(fixAll(svc, file)?.codes.includes('broken-anchor') ?? false, false);
    const fixed = applyEdits(svc.getText(file)!, [...actions[0].change.edits[0].edits, ...actions[1].change.edits[0].edits])!;
    assert.match(fixed, /\(\.\.\/phase-1\/06-OUTPUT_HANDOFF\.md#phase-1-summary\)/);
    assert.match(fixed, /\(<\.\.\/phase-1\/06-OUTPUT_HANDOFF\.md#-metrics--kpis-final>\)/);
    svc.setOverlay(file, fixed);
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-2/notes.md', 'broken-anchor').map((d) => d.range.start.line),
      [4],
    );
  });

  it("checks a document's links again when the document they name changes its headings", async () => {
    const { svc, found } = await anchors(['- [summary](../phase-1/06-OUTPUT_HANDOFF.md#phase-1-summary)']);
    assert.deepEqual(found, []);
    // A document of another phase, not one the phase structure makes a dependent.
    const target = `${ROOT}/phase-1/06-OUTPUT_HANDOFF.md`;
    svc.setOverlay(target, HANDOFF.replace('## Phase 1 Summary', '## Summary'));
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-2/notes.md', 'broken-anchor').map((d) => d.message),
      ['No heading of "../phase-1/06-OUTPUT_HANDOFF.md" has the anchor "#phase-1-summary".'],
    );
    svc.setOverlay(target, HANDOFF);
    assert.deepEqual(diagnosticsOf(svc, 'phase-2/notes.md', 'broken-anchor'), []);
  });

  it('follows a link from a later phase to an earlier one beyond the next, both ways of the change', async () => {
    const far = { 'phase-3/notes.md': '# Far\n\n[summary](../phase-1/06-OUTPUT_HANDOFF.md#phase-1-summary)\n' };
    const { svc } = await anchors([], far);
    assert.deepEqual(diagnosticsOf(svc, 'phase-3/notes.md', 'broken-anchor'), []);
    svc.setOverlay(`${ROOT}/phase-1/06-OUTPUT_HANDOFF.md`, HANDOFF.replace('## Phase 1 Summary', '## Wrap-up'));
    assert.equal(diagnosticsOf(svc, 'phase-3/notes.md', 'broken-anchor').length, 1);
  });
});
