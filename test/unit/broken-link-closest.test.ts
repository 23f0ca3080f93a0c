/**
 * broken-link names the file a broken link most likely meant (renamed, misspelt, its extension left out, moved to
 * another folder), when one alone fits, and offers to point the link at it: a guess, left to the user by Fix all.
 */
import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { applyEdits, codeActions, fixAll } from '../../server/src/service';
import { MAX_NAMES_COMPARED } from '../../server/src/service/rules/doc-links';

const FILES = {
  'phase-1/00-PHASE_BRIEF.md': '# Phase 1 Brief\n',
  'phase-1/03-FINDINGS/code-quality-audit.md': '# Code quality\n\n## Summary\n',
  'phase-1/03-FINDINGS/finding-01.md': '# Finding 1\n',
  'phase-1/03-FINDINGS/scan-a.md': '# Scan A\n',
  'phase-1/03-FINDINGS/scan-b.md': '# Scan B\n',
  'phase-1/04-ARTIFACTS/codebase-snapshot.md': '# Snapshot\n',
  'phase-1/04-ARTIFACTS/baseline-metrics.json': '{}\n',
  'phase-1/04-ARTIFACTS/reports/remediation-roadmap.md': '# Roadmap\n',
  'phase-1/04-ARTIFACTS/plan.md': '# Plan\n',
};

const NOTES = 'phase-1/notes.md';

async function broken(lines: string[], extra: Record<string, string> = {}) {
  const { svc, fs } = await workspace({ ...FILES, ...extra, [NOTES]: ['# Notes', '', ...lines, ''].join('\n') });
  const found = diagnosticsOf(svc, NOTES, 'broken-link');
  return { svc, fs, found, messages: found.map((d) => [d.range.start.line, d.message]) };
}

describe('broken-link: the file a link most likely meant', () => {
  it('names one renamed in another case, misspelt, without its extension, or moved, and no guess among several or by numbers alone', async () => {
    const { messages } = await broken([
      '- [typo](03-FINDINGS/code-qualty-audit.md#summary)',
      '- [case](04-ARTIFACTS/Codebase-Snapshot.md)',
      '- [no extension](04-ARTIFACTS/codebase-snapshot)',
      '- [moved](04-ARTIFACTS/remediation-roadmap.md)',
      '- [json](<04-ARTIFACTS/baseline-metric.json>)',
      '- [rooted](/phase-1/04-ARTIFACTS/codebase-snapshots.md)',
      '- [another finding](03-FINDINGS/finding-02.md)',
      '- [two alike](03-FINDINGS/scan-c.md)',
      '- [short](04-ARTIFACTS/plon.md)',
      '- [nothing close](04-ARTIFACTS/deployment-guide.md)',
      '- [a folder](04-ARTIFACTS/report/)',
      '',
      '[ref]: ./03-FINDINGS/code-quality-audti.md',
    ]);
    assert.deepEqual(messages, [
      [2, 'Link target "03-FINDINGS/code-qualty-audit.md" does not exist: "03-FINDINGS/code-quality-audit.md" is the closest.'],
      [3, 'Link target "04-ARTIFACTS/Codebase-Snapshot.md" does not exist: "04-ARTIFACTS/codebase-snapshot.md" is the closest.'],
      [4, 'Link target "04-ARTIFACTS/codebase-snapshot" does not exist: "04-ARTIFACTS/codebase-snapshot.md" is the closest.'],
      [5, 'Link target "04-ARTIFACTS/remediation-roadmap.md" does not exist: "04-ARTIFACTS/reports/remediation-roadmap.md" is the closest.'],
      [6, 'Link target "04-ARTIFACTS/baseline-metric.json" does not exist: "04-ARTIFACTS/baseline-metrics.json" is the closest.'],
      [7, 'Link target "/phase-1/04-ARTIFACTS/codebase-snapshots.md" does not exist: "/phase-1/04-ARTIFACTS/codebase-snapshot.md" is the closest.'],
      [8, 'Link target "03-FINDINGS/finding-02.md" does not exist.'],
      [9, 'Link target "03-FINDINGS/scan-c.md" does not exist.'],
      [10, 'Link target "04-ARTIFACTS/plon.md" does not exist.'],
      [11, 'Link target "04-ARTIFACTS/deployment-guide.md" does not exist.'],
      [12, 'Link target "04-ARTIFACTS/report/" does not exist.'],
      [14, 'Link target "./03-FINDINGS/code-quality-audti.md" does not exist: "./03-FINDINGS/code-quality-audit.md" is the closest.'],
    ]);
  });

  it('takes the likeliest: a name in another case before one a letter away, one without its extension before one misspelt', async () => {
    const { messages } = await broken(['- [case](04-ARTIFACTS/Codebase-Snapshot.md)', '- [extension](04-ARTIFACTS/codebase-snapshot)'], {
      'phase-1/04-ARTIFACTS/codebase-snapshots.md': '# Snapshots\n',
      'phase-1/04-ARTIFACTS/codebase-snapshot.txt': 'plain\n',
    });
    assert.deepEqual(messages, [
      [2, 'Link target "04-ARTIFACTS/Codebase-Snapshot.md" does not exist: "04-ARTIFACTS/codebase-snapshot.md" is the closest.'],
      // Two files have its name but for their extension: neither is named.
      [3, 'Link target "04-ARTIFACTS/codebase-snapshot" does not exist.'],
    ]);
  });

  it('offers to point the link at it (its anchor and brackets kept) beside creating the file; Fix all applies neither', async () => {
    const { svc, found } = await broken(['See [typo](03-FINDINGS/code-qualty-audit.md#summary) and [json](<04-ARTIFACTS/baseline-metric.json>).']);
    const file = `${ROOT}/${NOTES}`;
    const actions = codeActions(svc, found);
    assert.deepEqual(
      actions.map((a) => [a.title, a.manual ?? false, a.isPreferred ?? false]),
      [
        ['Link to 03-FINDINGS/code-quality-audit.md#summary', true, true],
        ['Create code-qualty-audit.md', false, false],
        ['Link to 04-ARTIFACTS/baseline-metrics.json', true, true],
      ],
    );
    assert.equal(fixAll(svc, file)?.codes.includes('broken-link') ?? false, false);
    const fixed = applyEdits(svc.getText(file)!, [...actions[0].change.edits[0].edits, ...actions[2].change.edits[0].edits])!;
    assert.match(fixed, /\[typo\]\(03-FINDINGS\/code-quality-audit\.md#summary\) and \[json\]\(<04-ARTIFACTS\/baseline-metrics\.json>\)/);
    svc.setOverlay(file, fixed);
    assert.deepEqual(diagnosticsOf(svc, NOTES, 'broken-link'), []);
  });

  it('points every link of the document written so at once', async () => {
    const { svc, found } = await broken([
      '- [one](04-ARTIFACTS/codebase-snapshots.md)',
      '- [two](04-ARTIFACTS/codebase-snapshots.md#top)',
      '- [three](04-ARTIFACTS/codebase-snapshots.md)',
    ]);
    const file = `${ROOT}/${NOTES}`;
    const [first] = codeActions(svc, found.slice(0, 1));
    assert.equal(first.title, 'Link to 04-ARTIFACTS/codebase-snapshot.md (2 links)');
    const fixed = applyEdits(svc.getText(file)!, first.change.edits[0].edits)!;
    assert.equal((fixed.match(/\(04-ARTIFACTS\/codebase-snapshot\.md\)/g) ?? []).length, 2);
    svc.setOverlay(file, fixed);
    // The link with an anchor is its own: a fix of its own.
    assert.deepEqual(
      codeActions(svc, diagnosticsOf(svc, NOTES, 'broken-link')).map((a) => a.title),
      ['Link to 04-ARTIFACTS/codebase-snapshot.md#top', 'Create codebase-snapshots.md'],
    );
  });

  it('names the file but offers no edit where the link writes its path otherwise (escaped), and none for a name that needs brackets', async () => {
    const { svc, messages, found } = await broken(['- [escaped](03-FINDINGS/test\\_coverag.md)', '- [spaces](04-ARTIFACTS/my-noets.md)'], {
      'phase-1/03-FINDINGS/test_coverage.md': '# Coverage\n',
      'phase-1/04-ARTIFACTS/my notes.md': '# Mine\n',
    });
    assert.deepEqual(messages, [
      [2, 'Link target "03-FINDINGS/test_coverag.md" does not exist: "03-FINDINGS/test_coverage.md" is the closest.'],
      [3, 'Link target "04-ARTIFACTS/my-noets.md" does not exist: "04-ARTIFACTS/my notes.md" is the closest.'],
    ]);
    assert.deepEqual(
      codeActions(svc, found).map((a) => a.title),
      ['Create test_coverag.md', 'Create my-noets.md'],
    );
  });

  it("compares at most MAX_NAMES_COMPARED names of folders for one document's links: those past it name no file", async () => {
    // A name of letters for each number (digits would make names that differ by their numbers alone).
    const letters = (n: number) => [...n.toString(26).padStart(3, '0')].map((c) => String.fromCharCode(97 + parseInt(c, 26))).join('');
    const files: Record<string, string> = {};
    const count = 1000;
    for (let i = 0; i < count; i++) files[`phase-1/reports/report-${letters(i)}.md`] = '# r\n';
    const within = MAX_NAMES_COMPARED / count;
    const links = Array.from({ length: within + 1 }, (_, i) => `- [r${i}](reports/Report-${letters(i).toUpperCase()}.md)`);
    const { messages } = await broken(links, files);
    assert.equal(messages.length, within + 1);
    assert.match(String(messages[within - 1][1]), new RegExp(`"reports/report-${letters(within - 1)}\\.md" is the closest\\.$`));
    assert.equal(messages[within][1], `Link target "reports/Report-${letters(within).toUpperCase()}.md" does not exist.`);
  });

  it('takes in a file that came (and one that went) since the workspace was read', async () => {
    const { svc, fs, messages } = await broken(['- [guide](04-ARTIFACTS/deploy-guide.md)']);
    assert.deepEqual(messages, [[2, 'Link target "04-ARTIFACTS/deploy-guide.md" does not exist.']]);
    const added = `${ROOT}/phase-1/04-ARTIFACTS/deploy-guides.md`;
    fs.write(added, '# Guide\n');
    await svc.filesChanged([{ path: added, type: 'created' }]);
    assert.deepEqual(
      diagnosticsOf(svc, NOTES, 'broken-link').map((d) => d.message),
      ['Link target "04-ARTIFACTS/deploy-guide.md" does not exist: "04-ARTIFACTS/deploy-guides.md" is the closest.'],
    );
    fs.delete(added);
    await svc.filesChanged([{ path: added, type: 'deleted' }]);
    assert.deepEqual(
      diagnosticsOf(svc, NOTES, 'broken-link').map((d) => d.message),
      ['Link target "04-ARTIFACTS/deploy-guide.md" does not exist.'],
    );
  });
});
