/**
 * Backslash escapes in the heading a phase's title is read from: read as Markdown reads them (`\*` is `*`, `\\` is
 * `\`), not in code spans; and a title that would not read back from a heading as it is, written escaped there.
 */
import * as assert from 'node:assert/strict';
import { workspace, ROOT } from '../helpers/workspace';
import { planNew } from '../../server/src/service/scaffold';
import { cleanPhaseTitle, headingTitle, phaseTitle, unescapeMarkdown, withoutEmphasis } from '../../server/src/service/templates';
import { parseDocument } from '../../server/src/service/markdown';
import type { PhasegateService } from '../../server/src/service';
import { phaseSummary } from '../../server/src/lsp/phases';

const titleOf = (svc: PhasegateService, id: string) => phaseTitle(svc, svc.findPhase(id)!);

describe('phase titles: backslash escapes', () => {
  it('reads the escapes of ASCII punctuation, not in code spans, and an escaped delimiter is no emphasis', () => {
    assert.equal(unescapeMarkdown('a \\*b\\* \\_c\\_ \\[d\\] \\\\ e \\# `f\\*g` \\é \\a'), 'a *b* _c_ [d] \\ e # `f\\*g` \\é \\a');
    assert.equal(withoutEmphasis('\\*not emphasis\\* and *emphasis*'), '\\*not emphasis\\* and emphasis');
    assert.equal(withoutEmphasis('\\\\*emphasis*'), '\\\\emphasis');
    assert.equal(cleanPhaseTitle('Phase 3: Fix \\*args\\* and \\_\\_init\\_\\_ in `a\\*b`'), 'Fix *args* and __init__ in `a\\*b`');
    // A front matter title is no Markdown: its backslashes are its own.
    assert.equal(cleanPhaseTitle('Phase 3: Fix \\*args\\*', undefined, false), 'Fix \\*args\\*');
    // Escaped brackets are no placeholder.
    assert.equal(cleanPhaseTitle('Phase 3: \\[Draft\\]'), '[Draft]');
    assert.equal(cleanPhaseTitle('Phase 3: [Phase title]'), undefined);
  });

  it('shows the title without its escapes in the tree, status and hovers (phaseTitle)', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Fix \\*args\\* and \\_private\\_ \\[v2\\] in C:\\\\tmp\n',
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Keep `\\*.yml` and a\\b\n',
      'phase-3/00-PHASE_BRIEF.md': '# Phase 3: C \\#\n',
    });
    assert.equal(titleOf(svc, 'phase-1'), 'Fix *args* and _private_ [v2] in C:\\tmp');
    assert.equal(titleOf(svc, 'phase-2'), 'Keep `\\*.yml` and a\\b');
    assert.equal(titleOf(svc, 'phase-3'), 'C #');
    // A hover is Markdown: the title is written in it so that it shows as it is.
    assert.match(phaseSummary(svc, svc.findPhase('phase-1')!), /^\*\*phase-1\*\* — Fix \\\*args\\\* and \\_private\\_ \[v2\] in C:\\tmp\n/);
    assert.match(phaseSummary(svc, svc.findPhase('phase-3')!), /^\*\*phase-3\*\* — C #\n/);
  });

  it('writes a title that would not read back from a heading escaped there, and reads it back the same', async () => {
    for (const title of ['Fix *args* and __init__', 'Use `*.yml` with *care*', 'Path C:\\*\\', '\\_ and \\\\']) {
      const escaped = headingTitle(title);
      assert.notEqual(escaped, title);
      assert.equal(cleanPhaseTitle(parseDocument(`# Phase 2: ${escaped}\n`).headings[0].text), title, escaped);
    }
    // A title that reads back as it is: written as it is.
    for (const title of ['Phase_3_Advanced_CI', '2 * 3', 'a\\b', 'Plain']) assert.equal(headingTitle(title), title);
    for (const title of ['Fix *args* and __init__', 'Keep `__init__.py` and *x*']) {
      const plan = planNew((await workspace({ 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: A\n' })).svc, {
        what: 'phase',
        folder: 'phase-2',
        title,
        date: '2026-01-02',
      });
      const files = Object.fromEntries(plan.creates.map((c) => [c.file.slice(ROOT.length + 1), c.text]));
      const brief = files['phase-2/00-PHASE_BRIEF.md'];
      // In the heading escaped; in the front matter (YAML, no Markdown) as it is.
      assert.match(brief, /^# Phase 2: .*\\[*_]/m, brief);
      assert.ok(brief.includes(`title: ${JSON.stringify(`Phase 2: ${title}`)}`), brief);
      const { svc } = await workspace(files);
      assert.equal(titleOf(svc, 'phase-2'), title);
    }
  });

  it("writes the title of a new iAI phase into the project plan's list as Markdown, escaped where emphasis would take it", async () => {
    const plan = '# Plan\n\n## Phase Status\n\n- [x] Build Phase 1: CI\n';
    const { svc } = await workspace({
      'project_implementation_plan.md': plan,
      'workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Build Phase 1: CI\n',
    });
    const planned = planNew(svc, { what: 'prompt', workstream: 'Build', title: 'Fix *args* handling', date: '2026-01-02' });
    const [edit] = planned.edits;
    assert.ok(edit && edit.edits.length === 1, JSON.stringify(planned.edits));
    assert.equal(edit.edits[0].newText.trim(), '- [ ] Build Phase 2: Fix \\*args\\* handling');
  });
});
