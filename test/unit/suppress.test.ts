/** `phasegate-disable…` directives: what they silence, what they report about themselves, and their code actions. */
import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { stopwatch } from '../helpers/linear';
import { applyEdits, codeActions, fixAll, suppressActions, Diagnostic, PhasegateService, range } from '../../server/src/service';

const BRIEF = 'phase-1/00-PHASE_BRIEF.md';
const VALIDATION = 'phase-1/07-VALIDATION.md';
const FM = '---\nphase: 1\ntitle: Foundation Audit\nstatus: draft\n---\n';

/** A brief whose links on lines `fm + 4…` are broken (three of them, on three lines). */
function brief(extra = ''): string {
  return `${FM}# Phase 1: Foundation Audit\n\n## Objectives\n\n- [a](missing-a.md)\n- [b](missing-b.md)\n- [c](missing-c.md)\n${extra}`;
}

/** Lines (0-based) of the diagnostics of `code`. */
function linesOf(svc: PhasegateService, rel: string, code: string): number[] {
  return diagnosticsOf(svc, rel, code).map((d) => d.range.start.line);
}

async function briefWith(text: string) {
  const { svc } = await workspace({ [BRIEF]: text });
  return svc;
}

describe('suppression directives', () => {
  it('a brief without directives reports its three broken links (the baseline of these tests)', async () => {
    assert.deepEqual(linesOf(await briefWith(brief()), BRIEF, 'broken-link'), [9, 10, 11]);
  });

  it('disable-next-line silences the rule on the next line only, with a reason after --', async () => {
    const text = brief().replace('- [b]', '<!-- phasegate-disable-next-line broken-link -- the wiki moves often -->\n- [b]');
    const svc = await briefWith(text);
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [9, 12]);
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
  });

  it('disable-line, as a comment at the end of the line', async () => {
    const svc = await briefWith(brief().replace('- [c](missing-c.md)', '- [c](missing-c.md) <!-- phasegate-disable-line broken-link -->'));
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [9, 10]);
  });

  it('disable … enable silences the lines between; a directive naming other rules silences nothing of this one', async () => {
    const text = brief()
      .replace('- [a]', '<!-- phasegate-disable broken-link -->\n- [a]')
      .replace('- [c]', '<!-- phasegate-enable broken-link -->\n- [c]')
      .replace('## Objectives', '<!-- phasegate-disable-next-line empty-section -->\n## Objectives');
    const svc = await briefWith(text);
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [14]);
    // The empty-section directive silenced nothing: it is reported, at its rule id.
    const [unused] = diagnosticsOf(svc, BRIEF, 'unused-directive');
    assert.equal(unused.range.start.line, 7);
    assert.equal(text.split('\n')[7].slice(unused.range.start.character, unused.range.end.character), 'empty-section');
  });

  it('a disable naming no rule silences every rule; enable RULE lets that one through until the next disable', async () => {
    const text = brief()
      .replace('- [a]', '<!-- phasegate-disable -->\n- [a]')
      .replace('- [b]', '<!-- phasegate-enable broken-link -->\n- [b]')
      .replace('- [c]', '<!-- phasegate-disable -->\n- [c]');
    const svc = await briefWith(text);
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [12]);
    // The second blanket disable is nested in the first, which is still open: the first silences [c].
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), [13]);
  });

  it('disable-file silences the rule everywhere in the file, whatever its line', async () => {
    const svc = await briefWith(brief('\n<!-- phasegate-disable-file broken-link -->\n'));
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), []);
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
  });

  it('in front matter, directives are YAML comments, and leave the data as it was', async () => {
    const text = `---\nphase: 1\n# phasegate-disable-next-line front-matter-schema\nstatus: finished\ntitle: Foundation Audit # phasegate-disable-line heading-mismatch\n---\n# Phase 1: Foundation Audit\n`;
    const bare = `---\nphase: 1\nstatus: finished\ntitle: Foundation Audit\n---\n# Phase 1: Foundation Audit\n`;
    assert.equal((await briefWith(bare)).diagnose(`${ROOT}/${BRIEF}`).filter((d) => d.code === 'front-matter-schema').length, 1);
    const svc = await briefWith(text);
    assert.deepEqual(linesOf(svc, BRIEF, 'front-matter-schema'), []);
    assert.deepEqual(svc.getDocument(`${ROOT}/${BRIEF}`)!.frontMatter!.data, { phase: 1, status: 'finished', title: 'Foundation Audit' });
    // heading-mismatch does not fire on that line: its directive is reported unused.
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), [4]);
  });

  it('directives inside code blocks and code spans are text, not directives', async () => {
    const text = brief().replace('- [a]', '```\n<!-- phasegate-disable -->\n```\n`<!-- phasegate-disable-next-line broken-link -->` here\n- [a]');
    const svc = await briefWith(text);
    assert.equal(linesOf(svc, BRIEF, 'broken-link').length, 3);
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
    assert.deepEqual(linesOf(svc, BRIEF, 'invalid-directive'), []);
  });

  it('an unknown directive or rule is invalid-directive, with the nearest rule id offered as a fix', async () => {
    const text = brief()
      .replace('- [a]', '<!-- phasegate-disabel broken-link -->\n- [a]')
      .replace('- [b]', '<!-- phasegate-disable-next-line brokn-link -->\n- [b]');
    const svc = await briefWith(text);
    const invalid = diagnosticsOf(svc, BRIEF, 'invalid-directive');
    assert.deepEqual(
      invalid.map((d) => [d.range.start.line, d.message]),
      [
        [9, 'Unknown directive `phasegate-disabel`: did you mean `phasegate-disable`?'],
        [11, 'Unknown rule `brokn-link` in `phasegate-disable-next-line`: did you mean `broken-link`?'],
      ],
    );
    // Neither silences anything (a directive naming only unknown rules is not one naming every rule).
    assert.equal(linesOf(svc, BRIEF, 'broken-link').length, 3);
    const [fix] = codeActions(svc, [invalid[1]]);
    const fixed = applyEdits(text, fix.change.edits[0].edits);
    svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [10, 13]);
    // The misspelt directive's fix writes the directive it is nearest to, which then silences its rule.
    const [named] = codeActions(svc, [invalid[0]]);
    assert.equal(named.title, 'Change to phasegate-disable');
    svc.setOverlay(`${ROOT}/${BRIEF}`, applyEdits(fixed, named.change.edits[0].edits));
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), []);
    // A word near no directive lists them all.
    const far = await briefWith(brief().replace('- [a]', '<!-- phasegate-ignore broken-link -->\n- [a]'));
    assert.deepEqual(
      diagnosticsOf(far, BRIEF, 'invalid-directive').map((d) => [d.message, d.data]),
      [
        [
          'Unknown directive `phasegate-ignore`: use phasegate-disable, phasegate-enable, phasegate-disable-line, phasegate-disable-next-line, phasegate-disable-file.',
          undefined,
        ],
      ],
    );
  });

  it('a directive written in another case is invalid-directive, with the directive in lower case as its fix; other words so written are prose', async () => {
    const text = brief()
      .replace('- [a]', '<!-- PhaseGate-Disable-Next-Line broken-link -->\n- [a]')
      .replace('- [b]', '<!-- PHASEGATE-DISABEL broken-link -->\n<!-- Phasegate-managed file: do not edit -->\n- [b]')
      .replace('title: Foundation Audit', 'title: Foundation Audit # Phasegate-disable-line heading-mismatch');
    const svc = await briefWith(text);
    assert.deepEqual(
      diagnosticsOf(svc, BRIEF, 'invalid-directive').map((d) => [d.range.start.line, d.message]),
      [
        [2, 'Directive `Phasegate-disable-line` is written in another case, and is not read: write `phasegate-disable-line`.'],
        [9, 'Directive `PhaseGate-Disable-Next-Line` is written in another case, and is not read: write `phasegate-disable-next-line`.'],
        [11, 'Directive `PHASEGATE-DISABEL` is written in another case, and is not read: write `phasegate-disable`.'],
      ],
    );
    // None silences anything until it is written in lower case, as the fix writes it.
    assert.equal(linesOf(svc, BRIEF, 'broken-link').length, 3);
    const [fix] = codeActions(svc, [diagnosticsOf(svc, BRIEF, 'invalid-directive')[1]]);
    assert.equal(fix.title, 'Change to phasegate-disable-next-line');
    svc.setOverlay(`${ROOT}/${BRIEF}`, applyEdits(text, fix.change.edits[0].edits));
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [13, 14]);
  });

  it('directive rules cannot silence themselves, and a rule turned off is never reported unused', async () => {
    const text = brief('<!-- phasegate-disable-file unused-directive -->\n<!-- phasegate-disable-file missing-front-matter -->\n');
    const svc = await briefWith(text);
    assert.deepEqual(linesOf(svc, BRIEF, 'invalid-directive'), [12]);
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), [13]);
    svc.setRuleOverrides({ 'missing-front-matter': 'off' });
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
  });

  it('a directive becomes unused when a change elsewhere ends its problem, its own text unchanged', async () => {
    const text = brief().replace('- [a]', '<!-- phasegate-disable-next-line broken-link -->\n- [a]');
    const { svc, fs } = await workspace({ [BRIEF]: text });
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
    fs.write(`${ROOT}/phase-1/missing-a.md`, '# A\n');
    await svc.filesChanged([{ path: `${ROOT}/phase-1/missing-a.md`, type: 'created' }]);
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), [9]);
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [11, 12]);
  });

  it('a silenced problem holds no gate, as a rule turned off does not', async () => {
    const text = brief();
    const gate = async (t: string) => {
      const { svc } = await workspace({ [BRIEF]: t });
      const phase = svc.model.phases[0];
      return svc.gates(phase).find((g) => g.name === 'Documentation')!;
    };
    assert.equal((await gate(text)).status, 'failed');
    const silenced = await gate(text.replace('## Objectives', '<!-- phasegate-disable broken-link -- links to the old wiki -->\n## Objectives'));
    assert.notEqual(silenced.status, 'failed');
    assert.ok(!silenced.reasons.some((r) => r.includes('broken-link')), silenced.reasons.join('; '));
  });

  describe('code actions', () => {
    /** Applies the `Disable … for this line|file` action of `d` and returns the new text (undefined: not offered). */
    function disable(svc: PhasegateService, d: Diagnostic, text: string, scope: 'line' | 'file'): string | undefined {
      const a = suppressActions(svc, d).find((x) => x.title === `Disable ${d.code} for this ${scope}`);
      return a && applyEdits(text, a.change.edits[0].edits);
    }

    it('for the line: a comment above it, which silences that problem and nothing else', async () => {
      const text = brief();
      const svc = await briefWith(text);
      const d = diagnosticsOf(svc, BRIEF, 'broken-link')[0];
      const fixed = disable(svc, d, text, 'line')!;
      assert.equal(fixed.split('\n')[9], '<!-- phasegate-disable-next-line broken-link -->');
      const before = svc.diagnose(`${ROOT}/${BRIEF}`).length;
      svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
      assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [11, 12]);
      assert.equal(svc.diagnose(`${ROOT}/${BRIEF}`).length, before - 1);
    });

    it('for a problem of the file or its folder, anchored on the first line: only a directive that silences it, checked on the result', async () => {
      for (const text of [
        '# Phase 1: Audit\n\n## Objectives\n\nA.\n',
        '# Phase 1: Audit\r\n\r\n## Objectives\r\n\r\nA.\r\n',
        'See [a](missing-a.md).\n\n# Phase 1: Audit\n\n## Objectives\n\nA.\n',
      ]) {
        const svc = await briefWith(text);
        const all = svc.diagnose(`${ROOT}/${BRIEF}`);
        const first = all.filter((d) => d.range.start.line === 0);
        for (const code of ['missing-front-matter', 'missing-document', 'missing-folder'])
          assert.ok(
            first.some((d) => d.code === code),
            code,
          );
        const offered: string[] = [];
        for (const d of first) {
          const fixed = disable(svc, d, text, 'line');
          if (fixed === undefined) continue;
          offered.push(d.code);
          svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
          const after = svc.diagnose(`${ROOT}/${BRIEF}`);
          svc.setOverlay(`${ROOT}/${BRIEF}`, text);
          const same = (x: Diagnostic) => x.code === d.code && x.message === d.message;
          assert.equal(after.filter(same).length, all.filter(same).length - 1, `${d.code}: ${JSON.stringify(fixed.slice(0, 90))}`);
          assert.deepEqual(
            after.filter((x) => x.code === 'unused-directive').map((x) => x.message),
            [],
            `${d.code}: ${JSON.stringify(fixed.slice(0, 90))}`,
          );
        }
        assert.ok(offered.includes('missing-front-matter'), `offered: ${offered.join(', ')}`);
        if (text.startsWith('See')) assert.ok(offered.includes('broken-link'), `offered: ${offered.join(', ')}`);
      }
    });

    it('for the file, with front matter below blank lines: after that front matter, not above it', async () => {
      for (const eol of ['\n', '\r\n']) {
        const text = `\n${brief()}`.replace(/\n/g, eol);
        const svc = await briefWith(text);
        const misplaced = diagnosticsOf(svc, BRIEF, 'invalid-front-matter').map((d) => d.message);
        assert.equal(misplaced.length, 1);
        const fixed = disable(svc, diagnosticsOf(svc, BRIEF, 'broken-link')[0], text, 'file')!;
        const lines = fixed.split(eol);
        assert.deepEqual(lines.slice(0, 7), ['', ...FM.split('\n').slice(0, 5), '<!-- phasegate-disable-file broken-link -->'], JSON.stringify(fixed));
        svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
        assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), []);
        // The front matter is told misplaced as before (below a blank line, not below a comment).
        assert.deepEqual(
          diagnosticsOf(svc, BRIEF, 'invalid-front-matter').map((d) => d.message),
          misplaced,
        );
      }
    });

    it("writes the document's line ending: a CR alone where the file's lines end so, LF where a stray CR comes after an LF", async () => {
      for (const [text, eol] of [
        [brief().replace(/\n/g, '\r'), '\r'],
        [brief().replace('- [a](missing-a.md)\n', '- [a](missing-a.md)\r'), '\n'],
      ]) {
        const svc = await briefWith(text);
        const d = diagnosticsOf(svc, BRIEF, 'broken-link').at(-1)!;
        const a = suppressActions(svc, d).find((x) => x.title === 'Disable broken-link for this line')!;
        assert.deepEqual(
          a.change.edits[0].edits.map((e) => e.newText),
          [`  <!-- phasegate-disable-next-line broken-link -->${eol}`],
        );
      }
    });

    it('for the line of a list item that follows another: indented into the previous item, so the list stays one', async () => {
      const text = `${FM}# Phase 1 Validation\n\n## Gate 1: Completeness\n\n- [x] Scope set — Evidence: [brief](00-PHASE_BRIEF.md)\n- [ ] Sources listed\n`;
      const { svc } = await workspace({ [VALIDATION]: text, [BRIEF]: brief() });
      const d = diagnosticsOf(svc, VALIDATION, 'gate-item-unchecked')[0];
      const fixed = disable(svc, d, text, 'line')!;
      assert.equal(fixed.split('\n')[10], '  <!-- phasegate-disable-next-line gate-item-unchecked -->');
      svc.setOverlay(`${ROOT}/${VALIDATION}`, fixed);
      assert.deepEqual(linesOf(svc, VALIDATION, 'gate-item-unchecked'), []);
    });

    it("for the first item of a list: at the item's own indentation, not inside an item of an earlier list", async () => {
      const text = `${FM}# Phase 1 Validation

## Gate 1: Completeness

- [x] Scope set — Evidence: [brief](00-PHASE_BRIEF.md)

## Gate 2: Quality

- [ ] Sources listed
`;
      const { svc } = await workspace({ [VALIDATION]: text, [BRIEF]: brief() });
      const d = diagnosticsOf(svc, VALIDATION, 'gate-item-unchecked')[0];
      const fixed = disable(svc, d, text, 'line')!;
      assert.equal(fixed.split('\n')[13], '<!-- phasegate-disable-next-line gate-item-unchecked -->');
    });

    it('for a table row: none for the line (a comment would end the table), one for the file', async () => {
      const text = `${FM}# Phase 1 Validation\n\n## Success Metrics\n\n| Metric | Target | Actual |\n| --- | --- | --- |\n| Code coverage | > 80% | 50% |\n| Critical vulnerabilities | 0 | 0 |\n`;
      const { svc } = await workspace({ [VALIDATION]: text, [BRIEF]: brief() });
      const d = diagnosticsOf(svc, VALIDATION, 'metric-threshold')[0];
      assert.equal(d.range.start.line, 11);
      assert.equal(disable(svc, d, text, 'line'), undefined);
      const fixed = disable(svc, d, text, 'file')!;
      assert.equal(fixed.split('\n')[5], '<!-- phasegate-disable-file metric-threshold -->');
      svc.setOverlay(`${ROOT}/${VALIDATION}`, fixed);
      assert.deepEqual(linesOf(svc, VALIDATION, 'metric-threshold'), []);
      assert.equal(svc.getDocument(`${ROOT}/${VALIDATION}`)!.tables[0].rows.length, 2);
    });

    it('in front matter: a YAML comment for the line, none inside a multi-line value', async () => {
      const text = `---\nphase: 1\ntitle: Foundation Audit\nstatus: finished\nsummary: |\n  first\n  second\n---\n# Phase 1: Foundation Audit\n`;
      const svc = await briefWith(text);
      const d = diagnosticsOf(svc, BRIEF, 'front-matter-schema').find((x) => x.range.start.line === 3)!;
      const fixed = disable(svc, d, text, 'line')!;
      assert.equal(fixed.split('\n')[3], '# phasegate-disable-next-line front-matter-schema');
      svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
      assert.deepEqual(
        linesOf(svc, BRIEF, 'front-matter-schema').filter((l) => l === 4),
        [],
      );
      // A problem reported inside the block scalar: a comment there would be part of the value.
      const inside: Diagnostic = { ...d, range: range(6, 2, 6, 8) };
      svc.setOverlay(`${ROOT}/${BRIEF}`, text);
      assert.equal(disable(svc, inside, text, 'line'), undefined);
      assert.ok(disable(svc, inside, text, 'file'));
    });

    it('for the file of front matter alone, without a final line break: on a line of its own after the closing fence', async () => {
      for (const eol of ['\r\n', '\n']) {
        const text = ['---', 'phase: 1', 'title: x \u{1F680}', 'status: bogus', '---'].join(eol);
        const svc = await briefWith(text);
        const d = diagnosticsOf(svc, BRIEF, 'front-matter-schema').find((x) => x.range.start.line === 3)!;
        const a = suppressActions(svc, d).find((x) => x.title === `Disable ${d.code} for this file`)!;
        const [edit] = a.change.edits[0].edits;
        // On a line the document has (0-4): an edit past the last line is clamped by clients, onto the fence.
        assert.deepEqual(edit.range, range(4, 3, 4, 3));
        const fixed = applyEdits(text, [edit]);
        assert.equal(fixed, `${text}${eol}<!-- phasegate-disable-file front-matter-schema -->`);
        svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
        assert.deepEqual(linesOf(svc, BRIEF, 'front-matter-schema'), []);
        assert.deepEqual(svc.getDocument(`${ROOT}/${BRIEF}`)!.frontMatter?.data, { phase: 1, title: 'x \u{1F680}', status: 'bogus' });
      }
    });

    it('a line a directive above already silences for another rule: the rule is added to that directive', async () => {
      const text = brief(
        '\n## Notes\n\n<!-- phasegate-disable-next-line broken-link -- wiki moves -->\nSee [runbook](../wiki/runbook.md) and [Owner to confirm]\n',
      );
      const svc = await briefWith(text);
      const d = diagnosticsOf(svc, BRIEF, 'unfilled-placeholder').find((x) => x.range.start.line === 16)!;
      const fixed = disable(svc, d, text, 'line')!;
      assert.equal(fixed.split('\n')[15], '<!-- phasegate-disable-next-line broken-link unfilled-placeholder -- wiki moves -->');
      svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
      assert.deepEqual(linesOf(svc, BRIEF, 'unfilled-placeholder'), []);
      assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [9, 10, 11]);
      assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
    });

    it('a paragraph, a lazy continuation and a block quote keep their shape: the comment goes at the line end, or inside the quote', async () => {
      const text = brief('\n## Notes\n\nFirst line of a paragraph\nsecond line [TBD]\n\n- item\nlazy [TODO]\n\n> quoted\n> more [TBD]\n');
      const svc = await briefWith(text);
      const at = (n: number) => diagnosticsOf(svc, BRIEF, 'unfilled-placeholder').find((x) => x.range.start.line === n)!;
      const para = disable(svc, at(16), text, 'line')!;
      assert.equal(para.split('\n')[16], 'second line [TBD] <!-- phasegate-disable-line unfilled-placeholder -->');
      const lazy = disable(svc, at(19), text, 'line')!;
      assert.equal(lazy.split('\n')[19], 'lazy [TODO] <!-- phasegate-disable-line unfilled-placeholder -->');
      const quote = disable(svc, at(22), text, 'line')!;
      assert.match(
        quote.split('\n').slice(21, 24).join('\n'),
        /^> quoted\n> more \[TBD\] <!-- phasegate-disable-line unfilled-placeholder -->|^> quoted\n> <!-- phasegate-disable-next-line unfilled-placeholder -->\n> more/,
      );
      for (const [fixed, line] of [
        [para, 16],
        [lazy, 19],
        [quote, quote.includes('> <!--') ? 23 : 22],
      ] as const) {
        svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
        assert.ok(!linesOf(svc, BRIEF, 'unfilled-placeholder').includes(line), fixed);
        assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
      }
    });

    it('every line action offered on a document full of problems silences its problem and leaves the others', async () => {
      const text = `${FM}# Phase 2: Wrong\n\n## Objectives\n\n[TODO]\n\n## Scope\n\n## Deliverables\n\n- [x](nowhere.md)\n\n| Metric | Target | Actual |\n| --- | --- | --- |\n| Code coverage | > 80% | 10% |\n`;
      const svc = await briefWith(text);
      const all = svc.diagnose(`${ROOT}/${BRIEF}`);
      assert.ok(all.length >= 4, JSON.stringify(all.map((d) => d.code)));
      let offered = 0;
      for (const d of all) {
        svc.setOverlay(`${ROOT}/${BRIEF}`, text);
        for (const scope of ['line', 'file'] as const) {
          const fixed = disable(svc, d, text, scope);
          if (fixed === undefined) continue;
          offered++;
          svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
          const after = svc.diagnose(`${ROOT}/${BRIEF}`);
          const shift = (x: Diagnostic) =>
            (scope === 'line' && x.range.start.line >= d.range.start.line) || (scope === 'file' && x.range.start.line >= 5) ? 1 : 0;
          const expected = all
            .filter((x) => (scope === 'line' ? !(x.code === d.code && x.range.start.line === d.range.start.line) : x.code !== d.code))
            .map((x) => `${x.code}@${x.range.start.line + shift(x)}`)
            .sort();
          assert.deepEqual(after.map((x) => `${x.code}@${x.range.start.line}`).sort(), expected, `${scope} ${d.code}@${d.range.start.line}`);
          svc.setOverlay(`${ROOT}/${BRIEF}`, text);
        }
      }
      assert.ok(offered >= all.length, `${offered} actions for ${all.length} problems`);
    });

    it('an unused directive is removed whole (its line too), or only the rule of it that silences nothing; fix-all does both', async () => {
      const text = brief()
        .replace('- [a]', '<!-- phasegate-disable-next-line empty-section -->\n- [a]')
        .replace('- [b]', '<!-- phasegate-disable-next-line missing-section, broken-link -->\n- [b]');
      const svc = await briefWith(text);
      const unused = diagnosticsOf(svc, BRIEF, 'unused-directive');
      assert.equal(unused.length, 2);
      const whole = applyEdits(text, codeActions(svc, [unused[0]])[0].change.edits[0].edits);
      assert.ok(!whole.includes('empty-section'));
      assert.equal(whole.split('\n').length, text.split('\n').length - 1);
      const one = applyEdits(text, codeActions(svc, [unused[1]])[0].change.edits[0].edits);
      assert.ok(one.includes('<!-- phasegate-disable-next-line broken-link -->'), one);
      const all = fixAll(svc, `${ROOT}/${BRIEF}`)!;
      const fixed = applyEdits(text, all.change.edits[0].edits);
      svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
      assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
      assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [9, 12]);
    });

    it('no disable action for the directive rules themselves, nor for a file that is not Markdown', async () => {
      const svc = await briefWith(brief('<!-- phasegate-disable-file empty-section -->\n'));
      const [unused] = diagnosticsOf(svc, BRIEF, 'unused-directive');
      assert.deepEqual(suppressActions(svc, unused), []);
      const yaml: Diagnostic = { ...unused, file: `${ROOT}/phasegate.yaml`, code: 'invalid-config' };
      assert.deepEqual(suppressActions(svc, yaml), []);
    });
  });

  it("a repair that inserts a section before a directive's line goes above the directive, which keeps silencing it", async () => {
    const text = `${FM}# Phase 1: Foundation Audit\n\n## Objectives\n\nA.\n\n<!-- phasegate-disable-next-line empty-section -- in the roadmap -->\n## Deliverables\n\n## Risks\n\n- Risk: x - y\n`;
    const svc = await briefWith(text);
    assert.deepEqual(linesOf(svc, BRIEF, 'empty-section'), []);
    const missing = diagnosticsOf(svc, BRIEF, 'missing-section').find((d) => /Scope/.test(d.message))!;
    const [fix] = codeActions(svc, [missing]);
    const fixed = applyEdits(text, fix.change.edits[0].edits);
    const lines = fixed.split('\n');
    assert.ok(lines.indexOf('## Scope') < lines.findIndex((l) => l.startsWith('<!-- phasegate-disable-next-line empty-section')), fixed);
    assert.equal(lines[lines.findIndex((l) => l.startsWith('<!-- phasegate-disable-next-line')) + 1], '## Deliverables');
    svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
    assert.deepEqual(linesOf(svc, BRIEF, 'empty-section'), []);
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
  });

  it('a section inserted above a directive keeps one blank line before and after it, whatever the line endings', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text =
        `${FM}# Phase 1: Foundation Audit\n\n## Objectives\n\nA.\n\n<!-- phasegate-disable-next-line empty-section -->\n## Deliverables\n\n## Risks\n\n- Risk: x - y\n`.replace(
          /\n/g,
          eol,
        );
      const svc = await briefWith(text);
      const missing = diagnosticsOf(svc, BRIEF, 'missing-section').find((d) => /Scope/.test(d.message))!;
      const [fix] = codeActions(svc, [missing]);
      const fixed = applyEdits(text, fix.change.edits[0].edits);
      const lines = fixed.split(eol);
      const scope = lines.indexOf('## Scope');
      const directive = lines.findIndex((l) => l.startsWith('<!-- phasegate-disable-next-line'));
      const name = JSON.stringify(eol);
      assert.deepEqual(lines.slice(scope - 2, scope + 1), ['A.', '', '## Scope'], `${name}: one blank line before the section: ${JSON.stringify(fixed)}`);
      assert.ok(scope < directive, `${name}: ${JSON.stringify(fixed)}`);
      assert.deepEqual(lines.slice(directive - 1, directive + 2), ['', lines[directive], '## Deliverables'], `${name}: ${JSON.stringify(fixed)}`);
      assert.equal(lines[directive - 2].trim() === '', false, `${name}: one blank line after the section: ${JSON.stringify(fixed)}`);
      svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
      assert.deepEqual(linesOf(svc, BRIEF, 'empty-section'), [], name);
      assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), [], name);
    }
  });

  it('removing an unused disable removes the enable that ended it too; one that may end others stays', async () => {
    for (const eol of ['\n', '\r\n']) {
      const base = brief().replace(/\n/g, eol);
      const cases: [string, string, string][] = [
        // [document, what is left after the fix, the fix's title]
        [
          base.replace(`## Objectives${eol}`, `<!-- phasegate-disable broken-link -->${eol}## Objectives${eol}<!-- phasegate-enable broken-link -->${eol}`),
          base,
          'Remove the unused phasegate-disable directive and its phasegate-enable',
        ],
        [
          base.replace(
            `## Objectives${eol}`,
            `<!-- phasegate-disable broken-link -->${eol}## Objectives${eol}<!-- phasegate-enable broken-link, empty-section -->${eol}`,
          ),
          base.replace(`## Objectives${eol}`, `## Objectives${eol}<!-- phasegate-enable empty-section -->${eol}`),
          'Remove the unused phasegate-disable directive and its phasegate-enable',
        ],
        [
          base.replace(`## Objectives${eol}`, `<!-- phasegate-disable -->${eol}## Objectives${eol}<!-- phasegate-enable -->${eol}`),
          base,
          'Remove the unused phasegate-disable directive and its phasegate-enable',
        ],
        [
          base.replace(`## Objectives${eol}`, `<!-- phasegate-disable broken-link -->${eol}## Objectives${eol}<!-- phasegate-enable -->${eol}`),
          base.replace(`## Objectives${eol}`, `## Objectives${eol}<!-- phasegate-enable -->${eol}`),
          'Remove the unused phasegate-disable directive',
        ],
      ];
      for (const [text, expected, title] of cases) {
        const svc = await briefWith(text);
        const [unused] = diagnosticsOf(svc, BRIEF, 'unused-directive');
        assert.ok(unused, text);
        const [fix] = codeActions(svc, [unused]);
        assert.equal(fix.title, title);
        const fixed = applyEdits(text, fix.change.edits[0].edits);
        assert.equal(fixed, expected);
        svc.setOverlay(`${ROOT}/${BRIEF}`, fixed);
        assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
        assert.equal(linesOf(svc, BRIEF, 'broken-link').length, 3);
      }
    }
  });

  it('the unused one of two directives on one line is the one removed', async () => {
    const text = brief().replace(
      '- [a](missing-a.md)',
      '- [a](missing-a.md) <!-- phasegate-disable-line broken-link -- old wiki --> <!-- phasegate-disable-next-line broken-link -->',
    );
    const svc = await briefWith(text.replace('- [b](missing-b.md)', '- b'));
    const [unused] = diagnosticsOf(svc, BRIEF, 'unused-directive');
    assert.ok(unused, 'the next-line one silences nothing');
    const fixed = applyEdits(text.replace('- [b](missing-b.md)', '- b'), codeActions(svc, [unused])[0].change.edits[0].edits);
    assert.match(fixed, /- \[a\]\(missing-a\.md\) <!-- phasegate-disable-line broken-link -- old wiki -->\n/);
  });

  it('front matter text that is no YAML comment is no directive (a block scalar, a quoted string)', async () => {
    const text = `---\nphase: 1\ntitle: "Audit # phasegate-disable-line front-matter-schema"\nnotes: |\n  # phasegate-disable-next-line front-matter-schema\nstatus: finished\n---\n# Phase 1: Foundation Audit\n`;
    const svc = await briefWith(text);
    assert.deepEqual(linesOf(svc, BRIEF, 'front-matter-schema'), [5]);
    assert.deepEqual(linesOf(svc, BRIEF, 'invalid-directive'), []);
  });

  it('code spans are matched as CommonMark matches them (double backticks, escaped backticks)', async () => {
    const svc = await briefWith(
      brief()
        .replace('- [a](missing-a.md)', '- [a](missing-a.md) ``a ` <!-- phasegate-disable-line broken-link --> ``')
        .replace('- [b](missing-b.md)', '- [b](missing-b.md) \\` <!-- phasegate-disable-line broken-link -->')
        .replace('- [c](missing-c.md)', '- [c](missing-c.md) ` <!-- phasegate-disable-line broken-link -->'),
    );
    // Inside the double-backtick span: text. After an escaped or an unmatched backtick: a directive.
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [9]);
  });

  it('a directive split over lines is reported; a reason may follow an em dash', async () => {
    const svc = await briefWith(
      brief()
        .replace('- [a]', '<!-- phasegate-disable-next-line broken-link\n-->\n- [a]')
        .replace('- [c]', '<!-- phasegate-disable-next-line broken-link — the wiki moves -->\n- [c]'),
    );
    assert.deepEqual(
      diagnosticsOf(svc, BRIEF, 'invalid-directive').map((d) => [d.range.start.line, d.message]),
      [[9, 'A phasegate directive is written on one line, `-->` included: this one is not read.']],
    );
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [11, 12]);
  });

  it('a line of many comments is read in time linear in its length', async () => {
    const line = '<!-- c --> '.repeat(20000) + '<!-- phasegate-disable-line broken-link --> [x](missing.md)';
    const svc = await briefWith(brief(line + '\n'));
    const elapsed = stopwatch();
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [9, 10, 11]);
    // A bound against the quadratic reading (seconds), not a speed figure: timed as stopwatch times, which a loaded
    // machine does not stretch.
    assert.ok(elapsed() < 2000);
  });

  it('thousands of disable … enable pairs each silence their own line', async () => {
    const lines = [FM.trimEnd(), '# Phase 1: Foundation Audit', '', '## Objectives', ''];
    for (let i = 0; i < 3000; i++) lines.push('<!-- phasegate-disable broken-link -->', `- [x](missing-${i}.md)`, '<!-- phasegate-enable broken-link -->');
    lines.push('- [y](missing-last.md)');
    const text = lines.join('\n');
    const svc = await briefWith(text);
    assert.deepEqual(linesOf(svc, BRIEF, 'broken-link'), [text.split('\n').length - 1]);
    assert.deepEqual(linesOf(svc, BRIEF, 'unused-directive'), []);
  });
});
