import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT, assets } from '../helpers/workspace';
import { assertLinear, overlaid } from '../helpers/linear';
import { applyEdits, codeActions, Diagnostic, fixAll, MemoryFileSystem, PhasegateService, Range, range, RULE_IDS } from '../../server/src/service';

/** Range of the `nth` occurrence of `needle` on line `line` of `text`. */
function at(text: string, line: number, needle: string, nth = 0): Range {
  const src = text.split(/\r?\n/)[line];
  let i = -1;
  for (let k = 0; k <= nth; k++) i = src.indexOf(needle, i + 1);
  assert.ok(i >= 0, `"${needle}" not on line ${line}: ${src}`);
  return range(line, i, line, i + needle.length);
}

/**
 * Applies the one quick fix of `diag` to `rel`, puts the result in the editor overlay and returns it,
 * after checking that `code` no longer fires there and that the stale diagnostic offers nothing more.
 */
function applyFix(svc: PhasegateService, rel: string, diag: Diagnostic, text: string): string {
  const actions = codeActions(svc, [diag]);
  assert.equal(actions.length, 1, `one fix for ${diag.code}`);
  const edits = actions[0].change.edits.find((e) => e.file === `${ROOT}/${rel}`)?.edits ?? [];
  const fixed = applyEdits(text, edits);
  svc.setOverlay(`${ROOT}/${rel}`, fixed);
  const again = codeActions(svc, [diag]);
  // Idempotent: the fix offers nothing now, or nothing that changes the text.
  for (const a of again)
    assert.equal(
      applyEdits(
        fixed,
        a.change.edits.flatMap((e) => e.edits),
      ),
      fixed,
    );
  return fixed;
}

const TITLE = '# Phase 1: Foundation Audit';
const H1 = `${TITLE}\n`;

describe('document rules', () => {
  describe('invalid-front-matter', () => {
    it('reports a duplicate key over the key', async () => {
      const text = `---\ntitle: A\ntitle: B\n---\n${H1}`;
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
      const [d, ...rest] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter');
      assert.deepEqual(rest, []);
      assert.deepEqual(d.range, range(2, 0, 2, 5));
      assert.equal(d.message, 'Front matter: duplicate key `title` (a key may appear once).');
      assert.equal(d.severity, 'error');
    });

    it('reports a duplicate key of a flow mapping over that key', async () => {
      for (const [fm, line, key, nth] of [
        ['title: A\nmeta: {a: 1, a: 2}', 2, 'a', 2],
        ['{phase: phase-1, title: X, title: Y}', 1, 'title', 1],
        ['list:\n  - {x: 1, "x": 2}', 2, '"x"', 0],
      ] as const) {
        const text = `---\n${fm}\n---\n${H1}`;
        const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
        const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter');
        assert.deepEqual(
          ds.map((d) => [d.range, d.message]),
          [[at(text, line, key, nth), `Front matter: duplicate key \`${key.replace(/"/g, '')}\` (a key may appear once).`]],
          fm,
        );
      }
    });

    it('reports front matter below blank lines, removes them as its fix and in Fix all, and adds no second front matter', async () => {
      const fm = '---\nphase: phase-1\ntitle: Foundation\nstatus: finished\n---\n';
      for (const blank of ['\n', '\n  \n']) {
        const n = blank.split('\n').length - 1;
        const text = `${blank}${fm}\n${H1}\n## Objectives\n\n- Audit.\n`;
        const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
        const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter');
        assert.deepEqual(
          ds.map((d) => [d.range, d.message, d.severity]),
          [
            [
              range(n, 0, n, 3),
              `Front matter must start on the first line: ${n === 1 ? 'a blank line stands' : `${n} blank lines stand`} above its \`---\`, so it is not read.`,
              'error',
            ],
          ],
        );
        assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-front-matter'), []);
        // The block is no Markdown either: no heading made of its lines.
        assert.deepEqual(
          svc.getDocument(`${ROOT}/phase-1/00-PHASE_BRIEF.md`)!.headings.map((h) => h.text),
          ['Phase 1: Foundation Audit', 'Objectives'],
        );
        const all = fixAll(svc, `${ROOT}/phase-1/00-PHASE_BRIEF.md`)!;
        const fixedAll = applyEdits(text, all.change.edits[0].edits);
        assert.ok(fixedAll.startsWith(fm), fixedAll);
        assert.equal(fixedAll.split('---\n').length, 3, `one front matter: ${fixedAll}`);
        const fixed = applyFix(svc, 'phase-1/00-PHASE_BRIEF.md', ds[0], text);
        assert.equal(fixed, text.slice(blank.length));
        // Read now, its values are checked.
        assert.deepEqual(
          diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'front-matter-schema').map((d) => d.range),
          [at(fixed, 3, 'finished')],
        );
      }
      // A thematic break below a blank line, then text and another break, is Markdown, not front matter.
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': `\n---\n\nSome text.\n\n---\n${H1}` });
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter'), []);
      assert.equal(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-front-matter').length, 1);
    });

    it('reports front matter below an HTML comment, and moves it to the first line with the comment below it', async () => {
      const fm = '---\nphase: phase-1\ntitle: Foundation\nstatus: finished\n---';
      const comment = '<!-- phasegate-disable-file unfilled-placeholder -- a draft -->';
      for (const [text, expected] of [
        [`${comment}\n\n${fm}\n${H1}\n## Objectives\n\n- [Objective]\n`, `${fm}\n${comment}\n${H1}\n## Objectives\n\n- [Objective]\n`],
        [`${comment}\r\n${fm.replace(/\n/g, '\r\n')}`, `${fm.replace(/\n/g, '\r\n')}\r\n${comment}`],
      ]) {
        const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
        const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter');
        assert.equal(ds.length, 1, JSON.stringify(ds));
        assert.match(ds[0].message, /an HTML comment stands above its `---`/);
        assert.equal(ds[0].range.start.line, text.split(/\r?\n/).indexOf('---'));
        assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-front-matter'), []);
        // Fix all moves it (and adds the sections the brief lacks, after it).
        const all = fixAll(svc, `${ROOT}/phase-1/00-PHASE_BRIEF.md`)!;
        const fixedAll = applyEdits(text, all.change.edits[0].edits);
        assert.ok(fixedAll.startsWith(expected), fixedAll);
        assert.equal(applyFix(svc, 'phase-1/00-PHASE_BRIEF.md', ds[0], text), expected);
        svc.setOverlay(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, expected);
        // Read now: its values are checked, and the directive still silences the file's placeholders.
        assert.equal(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'front-matter-schema').length, 1);
        assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder'), []);
        assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter'), []);
      }
    });

    it('reports a key that is a list or a mapping over the key, and prints no warning of its own', async () => {
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.message);
      process.on('warning', onWarning);
      try {
        for (const key of ['? [a, b]\n: 1', '? {a: 1}\n: 2', 'nested:\n  ? [x]\n  : 3']) {
          const text = `---\n${key}\ntitle: x\n---\n${H1}`;
          const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
          const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter');
          assert.deepEqual(
            ds.map((d) => d.message),
            ['Front matter: A key is a list or a mapping: front matter keys must be plain text.'],
            key,
          );
          const lines = text.split('\n');
          const { start, end } = ds[0].range;
          assert.match(lines[start.line].slice(start.character, end.character), /^(\[a, b\]|\{a: 1\}|\[x\])$/, key);
        }
        // Warnings are emitted on the next tick.
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(warnings, []);
      } finally {
        process.off('warning', onWarning);
      }
    });

    it('reports front matter that is not closed on its opening fence', async () => {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': `---\ntitle: A\n${H1}` });
      const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter');
      assert.deepEqual(d.range, range(0, 0, 0, 3));
      assert.equal(d.message, 'Front matter is not closed: add a line `---` after the YAML.');
    });

    it('reports YAML that is not a mapping over the YAML', async () => {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': `---\n- a\n- b\n---\n${H1}` });
      const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter');
      assert.deepEqual(d.range, range(1, 0, 2, 3));
      assert.equal(d.message, 'Front matter must be a mapping of `key: value` lines, not a list.');
    });

    it('reports a YAML syntax error on its line', async () => {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': `---\nphase: 1\ntitle: [x\n---\n${H1}` });
      const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter');
      assert.deepEqual(d.range, range(2, 0, 2, 9));
      assert.match(d.message, /^Front matter: Flow sequence/);
    });

    it('accepts valid and empty front matter', async () => {
      const { svc } = await workspace({
        'phase-1/00-PHASE_BRIEF.md': `---\nphase: phase-1\ntitle: Foundation\nstatus: draft\ndate: 2025-10-17\nreviewers: [Security Team]\ncustom: kept\n---\n${H1}`,
        'phase-1/04-ARTIFACTS/notes.md': `---\n---\n# Notes\n`,
      });
      for (const f of ['phase-1/00-PHASE_BRIEF.md', 'phase-1/04-ARTIFACTS/notes.md']) {
        assert.deepEqual(diagnosticsOf(svc, f, 'invalid-front-matter'), [], f);
        assert.deepEqual(diagnosticsOf(svc, f, 'front-matter-schema'), [], f);
      }
    });
  });

  describe('front-matter-schema', () => {
    const text = `---\nphase: phase-1\nstatus: done\ndate: 17-10-2025\n---\n${H1}`;

    it('reports a date with no such month or day, at its value', async () => {
      const text = '---\nphase: phase-1\ntitle: Decisions\nstatus: draft\ndate: 2026-13-45\n---\n# Phase 1 Decisions\n';
      const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': text });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'front-matter-schema').map((d) => [d.range, d.message]),
        [[range(4, 6, 4, 16), 'Front matter `date` is no date: 2026-13-45 has no such month or day (months 01–12, days 01–31).']],
      );
      const { svc: ok } = await workspace({ 'phase-1/05-DECISIONS.md': text.replace('2026-13-45', '2026-12-31') });
      assert.deepEqual(diagnosticsOf(ok, 'phase-1/05-DECISIONS.md', 'front-matter-schema'), []);
    });

    it('points a missing required key at the first line and a bad value at the value', async () => {
      const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': text });
      const ds = diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'front-matter-schema');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [range(0, 0, 0, 3), 'Front matter is missing the required key `title`.'],
          [at(text, 2, 'done'), 'Front matter `status` must be one of: draft, in-progress, review, complete, blocked: did you mean `complete`?'],
          [at(text, 3, '17-10-2025'), 'Front matter `date` must be a date written YYYY-MM-DD.'],
        ],
      );
    });

    it('suggests the allowed value a status stands for, and writes it over the value: unasked only when it differs in case or separators', async () => {
      const rel = 'phase-1/00-PHASE_BRIEF.md';
      const doc = (status: string) => `---\nphase: phase-1\ntitle: Foundation\nstatus: ${status}\n---\n${H1}`;
      const cases: [string, string | undefined, boolean][] = [
        ['Complete', 'complete', true],
        ['"In Progress"', 'in-progress', true],
        ["'IN_REVIEW'", 'review', false],
        ['Done', 'complete', false],
        ['on hold', 'blocked', false],
        ['"ready for review"', 'review', false],
        ['shipped', undefined, false],
      ];
      for (const [written, meant, exact] of cases) {
        const text = doc(written);
        const { svc } = await workspace({ [rel]: text });
        const [d, ...more] = diagnosticsOf(svc, rel, 'front-matter-schema');
        assert.equal(more.length, 0, written);
        assert.deepEqual(d.range, at(text, 3, written), written);
        const allowed = 'Front matter `status` must be one of: draft, in-progress, review, complete, blocked';
        assert.equal(d.message, meant ? `${allowed}: did you mean \`${meant}\`?` : `${allowed}.`, written);
        if (!meant) {
          assert.deepEqual(codeActions(svc, [d]), [], written);
          continue;
        }
        // Fix all (the editor's, and check --fix) takes the fix only when it cannot change what the author meant.
        const all = fixAll(svc, `${ROOT}/${rel}`)?.change.edits.flatMap((e) => e.edits) ?? [];
        assert.equal(
          all.some((e) => e.range.start.line === 3),
          exact,
          written,
        );
        const fixed = applyFix(svc, rel, d, text);
        assert.equal(fixed, doc(meant), written);
        assert.deepEqual(diagnosticsOf(svc, rel, 'front-matter-schema'), [], written);
      }
    });

    it('offers no value fix once the value was edited, and quotes a value YAML would not read back as written', async () => {
      const rel = 'phase-1/00-PHASE_BRIEF.md';
      const text = `---\nphase: phase-1\ntitle: Foundation\nstatus: Done\n---\n${H1}`;
      const { svc } = await workspace({ [rel]: text });
      const [d] = diagnosticsOf(svc, rel, 'front-matter-schema');
      svc.setOverlay(`${ROOT}/${rel}`, text.replace('Done', 'Dune'));
      assert.deepEqual(codeActions(svc, [d]), []);
      // A workspace schema whose allowed value needs quotes in YAML (`yes` alone reads as a string in YAML 1.2, `on: hold` not at all).
      const own = { type: 'object', properties: { status: { enum: ['on: hold', 'open'] } } };
      const t2 = `---\nstatus: On Hold\n---\n${H1}`;
      const { svc: s2 } = await workspace({
        'phasegate.yaml': 'schemas:\n  brief: schemas/brief.json\n',
        'schemas/brief.json': JSON.stringify(own),
        [rel]: t2,
      });
      const [d2] = diagnosticsOf(s2, rel, 'front-matter-schema');
      assert.match(d2.message, /did you mean `on: hold`\?$/);
      assert.equal(applyFix(s2, rel, d2, t2), t2.replace('On Hold', '"on: hold"'));
    });

    it('quotes an allowed value that YAML cannot read alone (%x) or that would end a flow mapping (a, b)', async () => {
      // Nor does YAML print warnings about such a value (`Unknown directive %x`) to the process's stderr.
      const warnings: unknown[] = [];
      const emit = process.emitWarning;
      process.emitWarning = ((w: unknown) => void warnings.push(w)) as typeof process.emitWarning;
      try {
        // Found by fuzz-tables-plans: the fix failed on `%x` (no fix offered), and wrote `{status: a, b}` into a flow mapping.
        const rel = 'phase-1/00-PHASE_BRIEF.md';
        for (const [allowed, written, expected] of [
          ['%x', 'status: "%X"', 'status: "%x"'],
          ['"a', "status: '\"A'", 'status: "\\"a"'],
          ['a, b', '{status: "A, B"}', '{status: "a, b"}'],
          ['[x]', '{status: "[X]"}', '{status: "[x]"}'],
        ]) {
          const text = `---\n${written}\n---\n${H1}`;
          const { svc } = await workspace({
            'phasegate.yaml': 'schemas:\n  brief: schemas/brief.json\n',
            'schemas/brief.json': JSON.stringify({ type: 'object', properties: { status: { enum: [allowed] } } }),
            [rel]: text,
          });
          const [d] = diagnosticsOf(svc, rel, 'front-matter-schema');
          assert.ok(d, written);
          assert.equal(applyFix(svc, rel, d, text), `---\n${expected}\n---\n${H1}`, written);
          assert.deepEqual(diagnosticsOf(svc, rel, 'front-matter-schema'), [], written);
        }
      } finally {
        process.emitWarning = emit;
      }
      assert.deepEqual(warnings.map(String), []);
    });

    it('reports a misspelt key at the key, and leaves other extra keys alone', async () => {
      const t = `---\nphase: phase-1\ntitel: Foundation\nstatus: draft\nownr: me\nsprint: 4\nto: phase-2\n---\n${H1}`;
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': t });
      const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'front-matter-schema');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [range(2, 0, 2, 5), 'Unknown front matter key `titel`: did you mean `title`?'],
          [range(4, 0, 4, 4), 'Unknown front matter key `ownr`: did you mean `owner`?'],
          [range(0, 0, 0, 3), 'Front matter is missing the required key `title`.'],
        ],
      );
      // Quick fix: rename the key (only when asked: Fix all leaves keys alone).
      const rel = 'phase-1/00-PHASE_BRIEF.md';
      assert.ok(!(fixAll(svc, `${ROOT}/${rel}`)?.change.edits.flatMap((e) => e.edits) ?? []).some((e) => e.range.start.line === 2));
      const fixed = applyFix(svc, rel, ds[0], t);
      assert.equal(fixed, t.replace('titel:', 'title:'));
      assert.deepEqual(
        diagnosticsOf(svc, rel, 'front-matter-schema').map((d) => d.message),
        ['Unknown front matter key `ownr`: did you mean `owner`?'],
      );
      // A quoted key keeps its quotes; a key edited since the report gets no fix.
      const quoted = t.replace('ownr:', '"ownr":');
      const { svc: s2 } = await workspace({ [rel]: quoted });
      const q = diagnosticsOf(s2, rel, 'front-matter-schema').find((d) => /ownr/.test(d.message))!;
      assert.equal(applyFix(s2, rel, q, quoted), quoted.replace('"ownr":', '"owner":'));
      s2.setOverlay(`${ROOT}/${rel}`, quoted.replace('"ownr":', '"ownrr":'));
      assert.deepEqual(codeActions(s2, [q]), []);
    });

    it("takes a workspace schema's own keys for no typo, and suggests no key that schema forbids", async () => {
      const own = {
        type: 'object',
        properties: {
          status: { type: 'string' },
          start: { type: 'string' },
          stage: { enum: ['alpha', 'beta'] },
          modal: { type: 'boolean' },
          sponsor: { type: 'string' },
        },
      };
      const strict = { type: 'object', properties: { status: { enum: ['draft', 'done'] } }, required: ['status'], additionalProperties: false };
      for (const [schema, fm, expected] of [
        [own, 'status: draft\nstage: beta\nmodal: true\nstrat: x', [[range(4, 0, 4, 5), 'Unknown front matter key `strat`: did you mean `start`?']]],
        // A key of the schema's own, not one of the built-in schemas'.
        [own, 'status: draft\nsponsr: Ann', [[range(2, 0, 2, 6), 'Unknown front matter key `sponsr`: did you mean `sponsor`?']]],
        [
          strict,
          'status: draft\ntitel: Foundation\nownr: me',
          [
            [range(2, 0, 2, 5), 'Front matter key `titel` is not allowed for this document kind.'],
            [range(3, 0, 3, 4), 'Front matter key `ownr` is not allowed for this document kind.'],
          ],
        ],
      ] as const) {
        const { svc } = await workspace(
          {
            'phasegate.yaml': 'schemas:\n  brief: s/brief.json\n',
            's/brief.json': JSON.stringify(schema),
            'phase-1/00-PHASE_BRIEF.md': `---\n${fm}\n---\n${H1}`,
          },
          { trusted: true },
        );
        const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'front-matter-schema');
        assert.deepEqual(
          ds.map((d) => [d.range, d.message]),
          expected,
        );
      }
    });

    it('reports a misspelt key of a nested mapping at the key, with the rename fix, and leaves mappings the schema says nothing of alone', async () => {
      const person = { type: 'object', properties: { name: { type: 'string' }, email: { type: 'string' } } };
      const schema = {
        type: 'object',
        definitions: { person },
        properties: {
          owner: { $ref: '#/definitions/person' },
          approvals: { type: 'array', items: { allOf: [{ $ref: '#/definitions/person' }, { properties: { approved: { type: 'boolean' } } }] } },
          strict: { type: 'object', properties: { level: { type: 'string' } }, additionalProperties: false },
          open: { type: 'object', properties: { level: { type: 'string' } }, patternProperties: { '^x-': {} } },
        },
      };
      const rel = 'phase-1/00-PHASE_BRIEF.md';
      const t = [
        '---',
        'owner: {nmae: Ann, emial: a@b.c}',
        'approvals:',
        '  - name: Bob',
        '    aproved: true',
        'strict:',
        '  levle: high',
        'open:',
        '  levle: high',
        'extra: {nmae: x}',
        '---',
        H1,
      ].join('\n');
      const { svc } = await workspace(
        { 'phasegate.yaml': 'schemas:\n  brief: s/brief.json\n', 's/brief.json': JSON.stringify(schema), [rel]: t },
        { trusted: true },
      );
      const ds = diagnosticsOf(svc, rel, 'front-matter-schema');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [at(t, 1, 'nmae'), 'Unknown front matter key `owner.nmae`: did you mean `name`?'],
          [at(t, 1, 'emial'), 'Unknown front matter key `owner.emial`: did you mean `email`?'],
          [at(t, 4, 'aproved'), 'Unknown front matter key `approvals.0.aproved`: did you mean `approved`?'],
          // Not allowed there either: one problem, the typo.
          [at(t, 6, 'levle'), 'Unknown front matter key `strict.levle`: did you mean `level`?'],
        ],
      );
      const fixed = applyFix(svc, rel, ds[0], t);
      assert.equal(fixed, t.replace('nmae:', 'name:'));
      const again = applyFix(
        svc,
        rel,
        diagnosticsOf(svc, rel, 'front-matter-schema').find((d) => d.message.includes('aproved'))!,
        fixed,
      );
      assert.equal(again, fixed.replace('aproved:', 'approved:'));
    });

    it('words a value its pattern does not match as the schema does (patternErrorMessage, else errorMessage)', async () => {
      const schema = {
        type: 'object',
        definitions: { id: { type: 'string', pattern: '^[A-Z]+-\\d+$', errorMessage: 'Write a ticket id, as ABC-123.' } },
        properties: {
          ticket: { type: 'string', pattern: '^[A-Z]+-\\d+$', patternErrorMessage: 'Write a ticket id, as ABC-123.', errorMessage: 'Not this one.' },
          'odd key': { $ref: '#/definitions/id' },
          plain: { type: 'string', pattern: '^[a-z]+$' },
        },
      };
      const rel = 'phase-1/00-PHASE_BRIEF.md';
      const t = `---\nticket: abc\n"odd key": x\nplain: X\n---\n${H1}`;
      const { svc } = await workspace(
        { 'phasegate.yaml': 'schemas:\n  brief: s/brief.json\n', 's/brief.json': JSON.stringify(schema), [rel]: t },
        { trusted: true },
      );
      assert.deepEqual(
        diagnosticsOf(svc, rel, 'front-matter-schema').map((d) => [d.range, d.message]),
        [
          [at(t, 1, 'abc'), 'Front matter `ticket`: Write a ticket id, as ABC-123.'],
          [at(t, 2, 'x'), 'Front matter `odd key`: Write a ticket id, as ABC-123.'],
          [at(t, 3, 'X'), 'Front matter `plain` must match pattern "^[a-z]+$".'],
        ],
      );
    });

    it('reports a key missing from a nested mapping on that mapping, naming it', async () => {
      const schema = {
        type: 'object',
        required: ['status'],
        properties: {
          status: { type: 'string' },
          approvals: {
            type: 'array',
            items: { type: 'object', required: ['name', 'date'], properties: { name: { type: 'string' }, date: { type: 'string' } } },
          },
        },
      };
      const t = `---\ndate: 2025-01-01\napprovals:\n  - name: Jane\n    date: 2025-01-02\n  - name: Bob\n---\n${H1}`;
      const { svc } = await workspace(
        { 'phasegate.yaml': 'schemas:\n  brief: s/brief.json\n', 's/brief.json': JSON.stringify(schema), 'phase-1/00-PHASE_BRIEF.md': t },
        { trusted: true },
      );
      const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'front-matter-schema');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [range(0, 0, 0, 3), 'Front matter is missing the required key `status`.'],
          [at(t, 5, 'name: Bob'), 'Front matter `approvals.1` is missing the required key `date`.'],
        ],
      );
    });

    it('points an additional property at its key (a custom layout with a strict schema)', async () => {
      const strict = {
        type: 'object',
        properties: { title: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
        additionalProperties: false,
      };
      const fs = new MemoryFileSystem({
        [`${ROOT}/phasegate.yaml`]:
          'layouts:\n  - name: rfc\n    phases: rfcs/*\n    documents:\n      - kind: rfc\n        file: RFC.md\n        schema: strict\n',
        [`${ROOT}/rfcs/rfc-1/RFC.md`]: '---\ntitle: A\ntitel: B\ntags: [a, 2]\n---\n# RFC 1\n',
      });
      const svc = new PhasegateService({ fs, assets: { ...assets, schemas: { ...assets.schemas, strict } } });
      await svc.load(ROOT);
      assert.deepEqual(svc.config.problems, []);
      const ds = svc.diagnose(`${ROOT}/rfcs/rfc-1/RFC.md`).filter((d) => d.code === 'front-matter-schema');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [range(2, 0, 2, 5), 'Front matter key `titel` is not allowed for this document kind.'],
          [range(3, 10, 3, 11), 'Front matter `tags.1` must be a string, not an integer.'],
        ],
      );
    });

    it("names a value's types in words (was: `must be string,integer`, as Ajv joins them)", async () => {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': '---\nphase: [1]\ntitle: A\nstatus: draft\n---\n# Phase 1: A\n' });
      const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'front-matter-schema');
      assert.deepEqual(
        ds.map((d) => d.message),
        ['Front matter `phase` must be a string or an integer, not a list.'],
      );
    });
  });

  describe('front-matter-schema: values as an editor shows them', () => {
    const rel = 'phase-1/00-PHASE_BRIEF.md';
    const doc = (...lines: string[]) => `---\n${lines.join('\n')}\n---\n${H1}`;

    it('suggests the allowed value a misspelt one stands for, never unasked, and not between two as near', async () => {
      const cases: [string, string | undefined][] = [
        ['complte', 'complete'],
        ['reveiw', 'review'],
        ['dratf', 'draft'],
        ['"In Progres"', 'in-progress'],
        ['blokced', 'blocked'],
        ['xyz', undefined],
        ['rev', undefined],
      ];
      for (const [written, meant] of cases) {
        const text = doc('phase: phase-1', 'title: Foundation', `status: ${written}`);
        const { svc } = await workspace({ [rel]: text });
        const [d, ...more] = diagnosticsOf(svc, rel, 'front-matter-schema');
        assert.equal(more.length, 0, written);
        assert.deepEqual(d.range, at(text, 3, written), written);
        const allowed = 'Front matter `status` must be one of: draft, in-progress, review, complete, blocked';
        assert.equal(d.message, meant ? `${allowed}: did you mean \`${meant}\`?` : `${allowed}.`, written);
        if (!meant) continue;
        assert.equal(applyFix(svc, rel, d, text), doc('phase: phase-1', 'title: Foundation', `status: ${meant}`), written);
        // Not applied by Fix all: the author may have meant another value.
        const all = fixAll(svc, `${ROOT}/${rel}`)?.change.edits.flatMap((e) => e.edits) ?? [];
        assert.equal(
          all.some((e) => e.range.start.line === 3),
          false,
          written,
        );
      }
      // Two allowed values as near: no guess.
      const own = { type: 'object', properties: { status: { enum: ['open', 'opus'] } } };
      const text = `---\nstatus: opes\n---\n${H1}`;
      const { svc } = await workspace({ 'phasegate.yaml': 'schemas:\n  brief: schemas/brief.json\n', 'schemas/brief.json': JSON.stringify(own), [rel]: text });
      assert.deepEqual(
        diagnosticsOf(svc, rel, 'front-matter-schema').map((d) => d.message),
        ['Front matter `status` must be one of: open, opus.'],
      );
    });

    it('reports a key or list item left without a value once, over the key or the dash, with what it needs', async () => {
      const text = doc('phase: phase-1', 'title: ', 'status:', 'owner: null', 'reviewers:', '  - ', 'tags:', '  -');
      const { svc } = await workspace({ [rel]: text });
      assert.deepEqual(
        diagnosticsOf(svc, rel, 'front-matter-schema').map((d) => [d.range, d.message]),
        [
          [range(2, 0, 2, 5), 'Front matter `title` has no value: it must be a string.'],
          [range(3, 0, 3, 6), 'Front matter `status` has no value: it must be one of: draft, in-progress, review, complete, blocked.'],
          [range(4, 7, 4, 11), 'Front matter `owner` must be a string, not null.'],
          [range(6, 2, 6, 4), 'Front matter `reviewers.0` has no value: it must be a string.'],
          [range(8, 2, 8, 3), 'Front matter `tags.0` has no value: it must be a string.'],
        ],
      );
      // CRLF line ends: the same ranges.
      const { svc: crlf } = await workspace({ [rel]: text.replace(/\n/g, '\r\n') });
      assert.deepEqual(
        diagnosticsOf(crlf, rel, 'front-matter-schema').map((d) => d.range),
        [range(2, 0, 2, 5), range(3, 0, 3, 6), range(4, 7, 4, 11), range(6, 2, 6, 4), range(8, 2, 8, 3)],
      );
    });

    it('reports a value emptied before the comment the template writes after it as left without a value', async () => {
      // `status: draft  # draft | in-progress | …` with `draft` deleted: YAML reads null, the comment stays.
      const text = doc('phase: phase-1', 'title: Foundation', 'status:   # draft | in-progress | review | complete | blocked', 'date: "2026-01-01"');
      const { svc } = await workspace({ [rel]: text });
      assert.deepEqual(
        diagnosticsOf(svc, rel, 'front-matter-schema').map((d) => [d.range, d.message]),
        [[range(3, 0, 3, 6), 'Front matter `status` has no value: it must be one of: draft, in-progress, review, complete, blocked.']],
      );
    });

    it('gives a value of the wrong type the type asked, as written, only when asked: quoted for a string, unquoted for a boolean or a number', async () => {
      const own = {
        type: 'object',
        properties: {
          title: { type: 'string' },
          version: { type: 'string' },
          urgent: { type: 'boolean' },
          count: { type: 'integer' },
          tags: { type: 'array', items: { type: 'string' } },
        },
      };
      const text = `---\ntitle: 2024\nversion: 1.10\nurgent: "True"\ncount: '3'\ntags: [a, true]\nother: x\n---\n${H1}`;
      const { svc } = await workspace({ 'phasegate.yaml': 'schemas:\n  brief: schemas/brief.json\n', 'schemas/brief.json': JSON.stringify(own), [rel]: text });
      const ds = diagnosticsOf(svc, rel, 'front-matter-schema');
      assert.deepEqual(
        ds.map((d) => [d.message, codeActions(svc, [d]).map((a) => a.title)]),
        [
          ['Front matter `title` must be a string, not an integer.', ['Quote `2024` (a string)']],
          ['Front matter `version` must be a string, not a number.', ['Quote `1.10` (a string)']],
          ['Front matter `urgent` must be a boolean, not a string.', ['Unquote "True" (a boolean)']],
          ['Front matter `count` must be an integer, not a string.', ["Unquote '3' (a number)"]],
          ['Front matter `tags.1` must be a string, not a boolean.', ['Quote `true` (a string)']],
        ],
      );
      // Not by Fix all: it changes what the value is.
      const all = fixAll(svc, `${ROOT}/${rel}`)?.change.edits.flatMap((e) => e.edits) ?? [];
      assert.ok(!all.some((e) => e.range.start.line < 7), JSON.stringify(all));
      let fixed = text;
      for (const d of ds) {
        fixed = applyEdits(
          fixed,
          codeActions(svc, [d])[0].change.edits.flatMap((e) => e.edits),
        );
      }
      assert.equal(fixed, `---\ntitle: "2024"\nversion: "1.10"\nurgent: true\ncount: 3\ntags: [a, "true"]\nother: x\n---\n${H1}`);
      svc.setOverlay(`${ROOT}/${rel}`, fixed);
      assert.deepEqual(diagnosticsOf(svc, rel, 'front-matter-schema'), []);
    });

    it('adds a required key the front matter lacks above its closing fence, with the others the document gives, only when asked', async () => {
      const text = `---\r\nphase: phase-1\r\n---\r\n${H1.replace(/\n/g, '\r\n')}`;
      const { svc } = await workspace({ [rel]: text });
      const ds = diagnosticsOf(svc, rel, 'front-matter-schema');
      assert.deepEqual(
        ds.map((d) => [d.message, codeActions(svc, [d]).map((a) => a.title)]),
        [
          ['Front matter is missing the required key `title`.', ['Add the required keys `title`, `status`']],
          ['Front matter is missing the required key `status`.', ['Add the required keys `title`, `status`']],
        ],
      );
      // Not by Fix all: the front matter is its author's.
      const all = fixAll(svc, `${ROOT}/${rel}`)?.change.edits.flatMap((e) => e.edits) ?? [];
      assert.ok(!all.some((e) => e.range.start.line === 2), JSON.stringify(all));
      const fixed = applyFix(svc, rel, ds[1], text);
      assert.match(fixed, /^---\r\nphase: phase-1\r\ntitle: "Phase 1: Foundation Audit"\r\nstatus: draft\r\n---\r\n# Phase 1/);
      svc.setOverlay(`${ROOT}/${rel}`, fixed);
      assert.deepEqual(diagnosticsOf(svc, rel, 'front-matter-schema'), []);
      // A key of a workspace schema the document does not give: its default, first allowed value or an empty one, offered only.
      const own = { type: 'object', required: ['sponsor', 'tier'], properties: { sponsor: { type: 'string' }, tier: { enum: ['gold', 'silver'] } } };
      const t2 = `---\ntier: gold\n---\n${H1}`;
      const { svc: s2 } = await workspace({
        'phasegate.yaml': 'schemas:\n  brief: schemas/brief.json\n',
        'schemas/brief.json': JSON.stringify(own),
        [rel]: t2,
      });
      const [d2] = diagnosticsOf(s2, rel, 'front-matter-schema');
      assert.equal(d2.message, 'Front matter is missing the required key `sponsor`.');
      assert.equal(applyFix(s2, rel, d2, t2), `---\ntier: gold\nsponsor: ""\n---\n${H1}`);
      s2.setOverlay(`${ROOT}/${rel}`, t2);
      const none = fixAll(s2, `${ROOT}/${rel}`)?.change.edits.flatMap((e) => e.edits) ?? [];
      assert.ok(!none.some((e) => e.range.start.line === 2), JSON.stringify(none));
    });

    it('tells a value holding `: ` to be quoted, over the value, and quotes it when asked; a word alone is no key: value line', async () => {
      const text = `---\nphase: phase-1\ntitle: Phase 1: Foundation # the H1's\nstatus: draft\n---\n${H1}`;
      const { svc } = await workspace({ [rel]: text });
      const [d, ...more] = diagnosticsOf(svc, rel, 'invalid-front-matter');
      assert.equal(more.length, 0);
      assert.deepEqual(
        [d.range, d.message],
        [range(2, 7, 2, 26), 'Front matter: the value of `title` holds `: `, which YAML reads as a key of its own: quote the value.'],
      );
      const all = fixAll(svc, `${ROOT}/${rel}`)?.change.edits.flatMap((e) => e.edits) ?? [];
      assert.ok(!all.some((e) => e.range.start.line === 2), JSON.stringify(all));
      assert.equal(applyFix(svc, rel, d, text), text.replace('Phase 1: Foundation #', '"Phase 1: Foundation" #'));
      assert.deepEqual(diagnosticsOf(svc, rel, 'invalid-front-matter'), []);
      assert.equal((svc.getDocument(`${ROOT}/${rel}`)!.frontMatter!.data as { title: string }).title, 'Phase 1: Foundation');
      // In a list's mapping too.
      const t2 = `---\nphase: phase-1\ntitle: A\nstatus: draft\nitems:\n  - name: a: b\n---\n${H1}`;
      const { svc: s2 } = await workspace({ [rel]: t2 });
      assert.deepEqual(
        diagnosticsOf(s2, rel, 'invalid-front-matter').map((x) => [x.range, x.message]),
        [[range(5, 10, 5, 14), 'Front matter: the value of `name` holds `: `, which YAML reads as a key of its own: quote the value.']],
      );
      // A key being typed.
      for (const [typed, line] of [
        ['phase: phase-1\nsta', 2],
        ['sta\nphase: phase-1', 1],
      ] as const) {
        const t3 = `---\n${typed}\n---\n${H1}`;
        const { svc: s3 } = await workspace({ [rel]: t3 });
        assert.deepEqual(
          diagnosticsOf(s3, rel, 'invalid-front-matter').map((x) => [x.range, x.message]),
          [[range(line, 0, line, 3), 'Front matter: `sta` is no `key: value` line: a key needs a colon after it.']],
          typed,
        );
      }
    });

    it('says a value shorter than its schema allows is empty, in words, not as ajv counts characters', async () => {
      for (const written of ['title: ""', "title: ''", 'title: >']) {
        const text = `---\nphase: phase-1\n${written}\nstatus: draft\n---\n${H1}`;
        const { svc } = await workspace({ [rel]: text });
        assert.deepEqual(
          diagnosticsOf(svc, rel, 'front-matter-schema').map((x) => x.message),
          ['Front matter `title` is empty: it must be at least 1 character long.'],
          written,
        );
      }
    });

    it('tells a key written without a space after its colon (`status:draft`) to take one, not that implicit keys need a line', async () => {
      for (const [written, key, end] of [
        ['title:Phase 1', 'title', 13],
        ['status:draft  # draft | in-progress | review | complete | blocked', 'status', 12],
        ['date:"2026-01-01"', 'date', 17],
      ] as const) {
        const text = `---\nphase: phase-1\n${written}\nowner: Dana\n---\n${H1}`;
        const { svc } = await workspace({ [rel]: text });
        const fixed = written.replace(':', ': ').replace(/  #.*/, '');
        assert.deepEqual(
          diagnosticsOf(svc, rel, 'invalid-front-matter').map((x) => [x.range, x.message]),
          [
            [
              range(2, 0, 2, end),
              `Front matter: \`${key}\` has no space after its colon, and YAML reads a key only where \`: \` follows it: write \`${fixed}\`.`,
            ],
          ],
          written,
        );
      }
    });

    it('indents front matter with spaces where a tab stands in an indent, only when asked', async () => {
      const text = `---\nphase: phase-1\ntitle: Foundation\nstatus: draft\ntags:\n\t- a\n\t- "b\tc"\n---\n${H1}`;
      const { svc } = await workspace({ [rel]: text });
      const ds = diagnosticsOf(svc, rel, 'invalid-front-matter');
      assert.deepEqual(
        ds.map((x) => [x.range.start.line, x.message]),
        [
          [5, 'Front matter: Tabs are not allowed as indentation'],
          [6, 'Front matter: Tabs are not allowed as indentation'],
        ],
      );
      const d = ds[0];
      assert.deepEqual(
        codeActions(svc, [d]).map((a) => a.title),
        ['Indent the front matter with spaces, not tabs'],
      );
      const all = fixAll(svc, `${ROOT}/${rel}`)?.change.edits.flatMap((e) => e.edits) ?? [];
      assert.ok(!all.some((e) => e.range.start.line === 5 || e.range.start.line === 6), JSON.stringify(all));
      const fixed = applyFix(svc, rel, d, text);
      assert.equal(fixed, text.replace('\t- a\n\t- ', '  - a\n  - '));
      assert.deepEqual(diagnosticsOf(svc, rel, 'invalid-front-matter'), []);
      assert.deepEqual(svc.getDocument(`${ROOT}/${rel}`)!.frontMatter!.data, { phase: 'phase-1', title: 'Foundation', status: 'draft', tags: ['a', 'b\tc'] });
    });

    it('names the item a list repeats, on the repeat, in words rather than as Ajv does', async () => {
      const text = doc('phase: phase-1', 'title: Foundation', 'status: draft', 'reviewers: [Ann, Bob, Ann]', 'tags:', '  - sec', '  - "sec"');
      const { svc } = await workspace({ [rel]: text });
      assert.deepEqual(
        diagnosticsOf(svc, rel, 'front-matter-schema').map((d) => [d.range, d.message]),
        [
          [range(4, 22, 4, 25), 'Front matter `reviewers` lists `Ann` twice (items 1 and 3): each item may appear once.'],
          [range(7, 4, 7, 9), 'Front matter `tags` lists `sec` twice (items 1 and 2): each item may appear once.'],
        ],
      );
    });
  });

  describe('missing-front-matter', () => {
    const text = `${H1}\n## Objectives\n\nAudit.\n`;

    it('is reported on a phase document without front matter and fixed with phase, title and status', async () => {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text, 'phase-1/04-ARTIFACTS/report.md': '# Report\n' });
      const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-front-matter');
      assert.deepEqual(d.range, range(0, 0, 0, H1.length - 1));
      assert.equal(d.message, 'Phase brief has no front matter (YAML between `---` lines).');
      assert.equal(d.severity, 'information');
      // Not a phase document: no spec, no schema, no diagnostic.
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/04-ARTIFACTS/report.md', 'missing-front-matter'), []);
      const fixed = applyFix(svc, 'phase-1/00-PHASE_BRIEF.md', d, text);
      assert.equal(fixed, `---\nphase: phase-1\ntitle: "Phase 1: Foundation Audit"\nstatus: draft\n---\n\n${text}`);
      for (const code of ['missing-front-matter', 'front-matter-schema', 'invalid-front-matter'])
        assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', code), [], code);
    });

    it('keeps CRLF line endings in the front matter it adds', async () => {
      const crlf = text.replace(/\n/g, '\r\n');
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': crlf });
      const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-front-matter');
      const fixed = applyFix(svc, 'phase-1/00-PHASE_BRIEF.md', d, crlf);
      assert.equal(fixed, `---\r\nphase: phase-1\r\ntitle: "Phase 1: Foundation Audit"\r\nstatus: draft\r\n---\r\n\r\n${crlf}`);
      assert.doesNotMatch(fixed, /[^\r]\n/);
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'front-matter-schema'), []);
    });

    it('derives the workstream phase id for an iAI document', async () => {
      const rel = 'p/workstreams/Build/Phase_1_CI/implementation_prompt.md';
      const t = '# Phase 1: CI setup\n\n## Objective\n\nCI.\n';
      const { svc } = await workspace({ [rel]: t });
      const [d] = diagnosticsOf(svc, rel, 'missing-front-matter');
      const fixed = applyFix(svc, rel, d, t);
      assert.match(fixed, /^---\nphase: Build\/Phase_1_CI\ntitle: "Phase 1: CI setup"\nstatus: draft\n---\n\n# Phase 1/);
    });

    it("titles the front matter with the heading's text as it reads: escapes read, emphasis gone, code spans kept", async () => {
      const t = '# Phase 1: Fix \\*args\\* in `__init__.py` and **core**\n\n## Objectives\n\nAudit.\n';
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': t });
      const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-front-matter');
      const fixed = applyFix(svc, 'phase-1/00-PHASE_BRIEF.md', d, t);
      assert.ok(fixed.startsWith('---\nphase: phase-1\ntitle: "Phase 1: Fix *args* in `__init__.py` and core"\n'), fixed);
      for (const code of ['front-matter-schema', 'invalid-front-matter']) assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', code), [], code);
    });

    it('titles the front matter for the phase the document is in, as the heading fix numbers the H1', async () => {
      const rel = 'phase-2/02-EXECUTION_PLAN.md';
      const t = '# Phase 3 Execution Plan\n\n## Approach\n\nTests.\n';
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text, 'phase-2/00-PHASE_BRIEF.md': text.replace('Phase 1', 'Phase 2'), [rel]: t });
      const [d] = diagnosticsOf(svc, rel, 'missing-front-matter');
      assert.match(applyFix(svc, rel, d, t), /^---\nphase: phase-2\ntitle: Phase 2 Execution Plan\n/);
      // The document already numbered right: its own title, untouched.
      const ok = t.replace('Phase 3', 'Phase 2');
      svc.setOverlay(`${ROOT}/${rel}`, ok);
      const [d2] = diagnosticsOf(svc, rel, 'missing-front-matter');
      assert.match(applyFix(svc, rel, d2, ok), /^---\nphase: phase-2\ntitle: Phase 2 Execution Plan\n/);
    });
  });

  describe('unfilled-placeholder', () => {
    const text = [
      '---',
      'owner: "[Owner]"',
      'title: "Phase 1: [Phase title]"',
      'tags: [Security, Audit]',
      '---',
      '# Phase 1: Foundation Audit',
      '',
      '## Objectives',
      '',
      '- [ ] Task box, [x] lower case, [X] and [Owner Name] here',
      'Use `[Not A Placeholder]` and [A link](x.md) and [Text][Ref] and \\[Escaped\\] here.',
      'Value: {{ phase.title }} and TBD and TODO: write it. A TODO without colon is prose.',
      'Text <!-- [In A Comment] --> [Real One]',
      '```',
      '[Inside Code] TBD',
      '```',
      '',
      '[Ref]: https://example.com',
      '',
    ].join('\n');

    it('reports bracket placeholders, template expressions and TBD / TODO: with exact ranges', async () => {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
      const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [at(text, 1, '[Owner]'), 'Placeholder [Owner] is not filled in.'],
          [at(text, 2, '[Phase title]'), 'Placeholder [Phase title] is not filled in.'],
          [at(text, 9, '[Owner Name]'), 'Placeholder [Owner Name] is not filled in.'],
          [at(text, 11, '{{ phase.title }}'), 'Template expression {{ phase.title }} was not rendered: replace it with text.'],
          [at(text, 11, 'TBD'), '"TBD" marks text still to be written.'],
          [at(text, 11, 'TODO:'), '"TODO:" marks text still to be written.'],
          [at(text, 12, '[Real One]'), 'Placeholder [Real One] is not filled in.'],
        ],
      );
      assert.equal(ds[0].severity, 'warning');
      assert.equal(codeActions(svc, ds).length, 0);
    });

    it('reports a marker inside a placeholder once, as the placeholder', async () => {
      const doc = ['---', 'owner: "[TBD]"', '---', '# Phase 1: Foundation Audit', '', '## Objectives', '', 'TODO: [TBD] or {{ TODO }}, then TBD.', ''].join(
        '\n',
      );
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': doc });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder').map((d) => [d.range, d.message]),
        [
          [at(doc, 1, '[TBD]'), 'Placeholder [TBD] is not filled in.'],
          [at(doc, 7, 'TODO:'), '"TODO:" marks text still to be written.'],
          [at(doc, 7, '[TBD]'), 'Placeholder [TBD] is not filled in.'],
          [at(doc, 7, '{{ TODO }}'), 'Template expression {{ TODO }} was not rendered: replace it with text.'],
          [at(doc, 7, 'TBD', 1), '"TBD" marks text still to be written.'],
        ],
      );
    });

    it('is quiet on filled-in text', async () => {
      const ok = `${H1}\n## Objectives\n\n- [x] Done, see [the report](03-FINDINGS/r.md) and \`[Code]\`.\n- [ ] Not yet\n`;
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': ok });
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder'), []);
    });

    it('leaves alone what an HTML comment over several lines holds, and reads on after it', async () => {
      const doc = [
        H1,
        '## Objectives',
        '',
        '- Audit the code <!-- reviewer: add the',
        '  [Owner] and the TBD date later, see [old](old.md)',
        '  --> by [Team Name] <!-- one line --> TBD <!-- and',
        '  [Not Yet] -->',
        '- An unclosed <!-- note',
        '- [Next Item] is read',
        '',
        'A paragraph <!-- not closed',
        '',
        '[After Blank] is read, a `<!--` in code',
        'opens [No Comment] -->',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': doc });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder').map((d) => d.range),
        [at(doc, 6, '[Team Name]'), at(doc, 6, 'TBD'), at(doc, 9, '[Next Item]'), at(doc, 13, '[After Blank]'), at(doc, 14, '[No Comment]')],
      );
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link'), []);
    });

    it('leaves alone what a code span over several lines of its paragraph holds, and reads on after it', async () => {
      const doc = [
        H1,
        '## Objectives',
        '',
        'Run `make [Target] and',
        '[the guide](gone.md) TBD` then [Owner] signs, see [log](missing.md).',
        '',
        '- Item ``a ` b',
        '  [In Code]`` and [Item Owner]',
        '- [Next Item] `opens',
        '',
        '[After Blank]` closes nothing',
        '',
        '> Quoted `[In Quote]',
        '> [x](gone2.md)` and [Quote Owner]',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': doc });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder').map((d) => d.range),
        [at(doc, 5, '[Owner]'), at(doc, 8, '[Item Owner]'), at(doc, 9, '[Next Item]'), at(doc, 11, '[After Blank]'), at(doc, 14, '[Quote Owner]')],
      );
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link').map((d) => d.range),
        [at(doc, 5, 'missing.md')],
      );
    });

    it('reads code spans, on a line and over lines, in time linear in the text', async () => {
      // Runs of backticks of 1, 2, … k: none closes another. On one line, then one a line in a paragraph. The text
      // grows with k², so the size is n = k²: k from 400 to 1,600 (the size checked before) here.
      const runs = (k: number) => Array.from({ length: k }, (_, i) => `${'`'.repeat(i + 1)}a`);
      const line = (n: number) => `${H1}\n## Objectives\n\n${runs(Math.round(Math.sqrt(n))).join('')} [Owner]\n`;
      const paragraph = (n: number) =>
        `${H1}\n## Objectives\n\n${runs(Math.round(Math.sqrt(n)))
          .map((r) => `x ${r} [L](y.md)`)
          .join('\n')} [Owner]\n`;
      for (const [label, doc] of [
        ['on a line', line],
        ['over lines', paragraph],
      ] as const) {
        const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': doc(1600 * 1600) });
        const placeholders = () => assert.equal(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder').length, 1);
        placeholders();
        // The brief set again in each run.
        assertLinear(`code spans ${label}, runs of 1 to √n backticks`, overlaid(svc, `${ROOT}/phase-1/00-PHASE_BRIEF.md`, doc, placeholders), {
          n: 400 * 400,
        });
      }
    });

    it('reads a line of thousands of links in time linear in the line', async () => {
      const doc = (n: number) => `${H1}\n## Objectives\n\n- [Owner] ${'[a](x.md) '.repeat(n)}[Later]\n`;
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': doc(15_000), 'phase-1/x.md': '# X\n' });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder').map((d) => d.range),
        [at(doc(15_000), 4, '[Owner]'), at(doc(15_000), 4, '[Later]')],
      );
      // From 1,000 links to 16,000, the brief set again in each run.
      assertLinear(
        'a line of n links',
        overlaid(svc, `${ROOT}/phase-1/00-PHASE_BRIEF.md`, doc, () =>
          assert.equal(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder').length, 2),
        ),
        { n: 1000 },
      );
    });

    it('reads HTML comments over lines in time linear in the text', async () => {
      // A long paragraph whose every line opens a comment, and a `-->` only after it: each line is read once.
      const doc = (n: number) => `${H1}\n## Objectives\n\n` + 'a <!-- TBD\n'.repeat(n) + '\nc -->\n';
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': doc(40_000) });
      assert.ok(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder').length > 9_000);
      // From 2,500 lines to 40,000, the brief set again in each run.
      assertLinear(
        'a paragraph of n lines opening comments',
        overlaid(svc, `${ROOT}/phase-1/00-PHASE_BRIEF.md`, doc, (n) =>
          assert.ok(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'unfilled-placeholder').length >= Math.min(n, 9_000)),
        ),
        { n: 2500 },
      );
    });
  });

  describe('broken-link', () => {
    const text = [
      TITLE,
      '- [ok](03-FINDINGS/report.md) and [q](03-FINDINGS/report.md?raw=1#top) and [root](/README.md)',
      '- [Missing Report](03-FINDINGS/missing%20file.md#top)',
      '- [web](https://example.com/x.md) [mail](mailto:a@b.c) [anchor](#objectives) [ci](.github/workflows/ci.yml)',
      '- ![diagram](img/missing.png) and [folder](03-FINDINGS/)',
      '- `[not](a-link.md)`',
      '',
      '[ref]: ../phase-1/nowhere.md',
      '',
    ].join('\n');
    const files = { 'phase-1/00-PHASE_BRIEF.md': text, 'phase-1/03-FINDINGS/report.md': '# R\n', 'README.md': '# Readme\n' };

    it('reports relative targets that do not exist, at the target', async () => {
      const { svc } = await workspace(files);
      const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [at(text, 2, '03-FINDINGS/missing%20file.md#top'), 'Link target "03-FINDINGS/missing file.md" does not exist.'],
          [at(text, 4, 'img/missing.png'), 'Link target "img/missing.png" does not exist.'],
          [at(text, 7, '../phase-1/nowhere.md'), 'Link target "../phase-1/nowhere.md" does not exist.'],
        ],
      );
      assert.equal(ds[0].severity, 'error');
      // Only Markdown targets can be created.
      assert.equal(codeActions(svc, [ds[1]]).length, 0);
    });

    it('creates a missing Markdown target, and never overwrites', async () => {
      const { svc, fs } = await workspace(files);
      const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link');
      const [a] = codeActions(svc, [d]);
      assert.deepEqual(a.change.edits, []);
      assert.equal(a.change.creates.length, 1);
      // In the findings folder: a finding from its template, titled by the link's text.
      assert.equal(a.change.creates[0].file, `${ROOT}/phase-1/03-FINDINGS/missing file.md`);
      assert.match(a.change.creates[0].text, /^---\nphase: "phase-1"\ntitle: "Finding 2: Missing Report"\n/);
      assert.match(a.change.creates[0].text, /^# Finding 2: Missing Report$/m);
      fs.write(a.change.creates[0].file, a.change.creates[0].text);
      await svc.filesChanged([{ path: a.change.creates[0].file, type: 'created' }]);
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link').map((x) => x.range.start.line),
        [4, 7],
      );
      assert.deepEqual(codeActions(svc, [d]), []);
    });

    it('is quiet when every link resolves', async () => {
      const { svc } = await workspace({
        'phase-1/00-PHASE_BRIEF.md': `${H1}\n[r](03-FINDINGS/report.md) [up](../README.md)\n`,
        'phase-1/03-FINDINGS/report.md': '# R\n',
        'README.md': '#\n',
      });
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link'), []);
    });

    it('reads Markdown as CommonMark does: footnotes, comments, escapes are no broken links', async () => {
      const text = [
        TITLE,
        '',
        'The scan follows the vendor guide.[^1]',
        '',
        '[^1]: See the vendor documentation for details.',
        '',
        'Old plan retired <!-- was [old plan](old-plan.md) -->, kept <!-- a --> [here](gone-1.md).',
        '',
        'Brief: [brief](03-FINDINGS/my\\_report.md). Literal text: \\[not a link](nothing.md), \\\\[a link](gone-2.md).',
        '',
        '\\[not [inner](gone-3.md)](nothing.md)',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text, 'phase-1/03-FINDINGS/my_report.md': '# R\n' });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link').map((d) => [d.range, d.message]),
        [
          [at(text, 6, 'gone-1.md'), 'Link target "gone-1.md" does not exist.'],
          [at(text, 8, 'gone-2.md'), 'Link target "gone-2.md" does not exist.'],
          [at(text, 10, 'gone-3.md'), 'Link target "gone-3.md" does not exist.'],
        ],
      );
    });

    it('reads character references in a target as CommonMark does (`R&amp;D.md` is `R&D.md`), reported where written', async () => {
      const text = [TITLE, '', '[notes](03-FINDINGS/R&amp;D.md), [again](03-FINDINGS/R&#38;D.md), [q](Q&amp;A.md), [x](a&b.md), [y](&bogus;.md)', ''].join(
        '\n',
      );
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text, 'phase-1/03-FINDINGS/R&D.md': '# R\n' });
      const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [at(text, 2, 'Q&amp;A.md'), 'Link target "Q&A.md" does not exist.'],
          [at(text, 2, 'a&b.md'), 'Link target "a&b.md" does not exist.'],
          [at(text, 2, '&bogus;.md'), 'Link target "&bogus;.md" does not exist.'],
        ],
      );
      // The file a quick fix creates is the one the link names.
      assert.deepEqual(
        codeActions(svc, [ds[0]]).flatMap((a) => a.change.creates.map((c) => c.file)),
        [`${ROOT}/phase-1/Q&A.md`],
      );
    });
  });

  describe('missing-artifact', () => {
    const handoff = [
      '# Phase 1 → Phase 2 Handoff',
      '',
      '## Artifacts Produced',
      '',
      '- Report: [audit report](03-FINDINGS/audit.md) - findings',
      '- Script: `04-ARTIFACTS/scan.sh` - the scanner',
      '- Config: `config/app.yaml` - relative to the workspace root',
      '- Gone: [gone](04-ARTIFACTS/gone.md) - never written',
      '- Code: `04-ARTIFACTS/none.py` - never written, `npm test` is not a path',
      '- Artifact 2: [Location] - [Purpose]',
      '',
      '## Phase 2 Inputs',
      '',
      '- Input: [handoff](06-OUTPUT_HANDOFF.md) - this file',
      '- Input: [next input](../phase-2/01-INPUT_HANDOFF.md) - not there yet',
      '',
    ].join('\n');
    const files = {
      'phase-1/06-OUTPUT_HANDOFF.md': handoff,
      'phase-1/03-FINDINGS/audit.md': '# Audit\n',
      'phase-1/04-ARTIFACTS/scan.sh': 'echo\n',
      'config/app.yaml': 'a: 1\n',
    };

    it('finds a path written from the folder that holds the phase folders, the workspace being the repository above it', async () => {
      const out = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Artifacts Produced',
        '',
        '- Script: `phase-1/04-ARTIFACTS/scan.sh` - as the design writes paths, from audit-deployment/',
        '- Bare: phase-1/04-ARTIFACTS/scan.sh - the same',
        '- Gone: `phase-1/04-ARTIFACTS/gone.sh` - never written',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'audit-deployment/phase-1/06-OUTPUT_HANDOFF.md': out, 'audit-deployment/phase-1/04-ARTIFACTS/scan.sh': 'echo\n' });
      assert.deepEqual(
        diagnosticsOf(svc, 'audit-deployment/phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact').map((d) => d.range.start.line),
        [6],
      );
    });

    it('reports listed artifacts and inputs that do not exist, at their path', async () => {
      const { svc } = await workspace(files);
      const ds = diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [
            at(handoff, 7, '04-ARTIFACTS/gone.md'),
            'Artifact "04-ARTIFACTS/gone.md" does not exist (looked in the phase folder, the folder of the phases and the workspace root).',
          ],
          [
            at(handoff, 8, '04-ARTIFACTS/none.py'),
            'Artifact "04-ARTIFACTS/none.py" does not exist (looked in the phase folder, the folder of the phases and the workspace root).',
          ],
          [
            at(handoff, 14, '../phase-2/01-INPUT_HANDOFF.md'),
            'Input "../phase-2/01-INPUT_HANDOFF.md" does not exist (looked in the phase folder, the folder of the phases and the workspace root).',
          ],
        ],
      );
      // The same paths are not reported twice as broken links.
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'broken-link'), []);
    });

    it("checks paths written bare, as the template's [Location] invites, and leaves other words alone", async () => {
      const bare = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Artifacts Produced',
        '',
        '- Audit report: 04-ARTIFACTS/report.md - findings (see 04-ARTIFACTS/scan.sh).',
        '- Missing: 04-ARTIFACTS/no-such.md - never written; root-relative phase-1/04-ARTIFACTS/report.md is fine',
        '- Words: the CI/CD pipeline, v1.0/2.0 notes, https://example.com/x.md, e.g. and/or',
        '- Linked: [x](04-ARTIFACTS/report.md) and `04-ARTIFACTS/scan.sh`',
        '',
      ].join('\n');
      const { svc } = await workspace({
        'phase-1/06-OUTPUT_HANDOFF.md': bare,
        'phase-1/04-ARTIFACTS/report.md': '# R\n',
        'phase-1/04-ARTIFACTS/scan.sh': 'echo\n',
      });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact').map((d) => [d.range, d.message]),
        [
          [
            at(bare, 5, '04-ARTIFACTS/no-such.md'),
            'Artifact "04-ARTIFACTS/no-such.md" does not exist (looked in the phase folder, the folder of the phases and the workspace root).',
          ],
        ],
      );
    });

    it('reads a path with a #fragment, in backticks or bare, as the path: a missing file is reported, one that exists is not', async () => {
      const text = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Artifacts Produced',
        '',
        '- Scan: `04-ARTIFACTS/scan.md#results` - there',
        '- Log: `04-ARTIFACTS/gone.md#tail` - never written',
        '- Plan: 04-ARTIFACTS/plan.md#steps - there',
        '- Notes: 04-ARTIFACTS/lost.md#top - never written',
        '- Lang: the `C#` client - no path',
        '',
      ].join('\n');
      const { svc } = await workspace({
        'phase-1/06-OUTPUT_HANDOFF.md': text,
        'phase-1/04-ARTIFACTS/scan.md': '# S\n',
        'phase-1/04-ARTIFACTS/plan.md': '# P\n',
      });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact').map((d) => [d.range, d.message]),
        [
          [
            at(text, 5, '04-ARTIFACTS/gone.md#tail'),
            'Artifact "04-ARTIFACTS/gone.md" does not exist (looked in the phase folder, the folder of the phases and the workspace root).',
          ],
          [
            at(text, 7, '04-ARTIFACTS/lost.md'),
            'Artifact "04-ARTIFACTS/lost.md" does not exist (looked in the phase folder, the folder of the phases and the workspace root).',
          ],
        ],
      );
    });

    it('reads technology names, versions and host names with a slash as words, not bare paths', async () => {
      const bare = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Artifacts Produced',
        '',
        '- Artifact: Backend API (Express/Node.js) - deployed to staging',
        '- Artifact: Runtime upgraded to Python 3.11/3.12.x - CI matrix',
        '- Artifact: Fork at github.com/acme/scanner.git - patched scanner',
        '- Artifact: 03-FINDINGS/summary.md - the findings folder is not created yet',
        '- Artifact: docs/runbook.md and phase-1/notes/plan.md - under folders that exist',
        '- Artifact: ./scan/out.json - relative to the phase folder',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': bare, 'docs/guide.md': '# G\n' });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact').map((d) => d.range),
        [at(bare, 7, '03-FINDINGS/summary.md'), at(bare, 8, 'docs/runbook.md'), at(bare, 8, 'phase-1/notes/plan.md'), at(bare, 9, './scan/out.json')],
      );
    });

    it('reads a repository on a host without its scheme, and a route of a service (`/health`), in backticks as no path of the workspace', async () => {
      const text = [
        '# Phase 1 Input Handoff',
        '',
        '## Source',
        '',
        'The current codebase.',
        '',
        '## Inputs Received',
        '',
        '- Input: `github.com/acme/bot-data-scientist@v0.9.3` - the repository to audit',
        '- Input: `gitlab.example.org/ops/runbooks/deploy.md` - the current runbook',
        '- Input: `docs/architecture.md` - the architecture notes, never written',
        '- Input: `example.com/notes.md` - a folder named as a host, which exists',
        '- Input: `04-ARTIFACTS/healthcheck.txt` - HEALTHCHECK and `/health`, `/api/v1/status` of the service',
        '- Input: `/docs/missing.md` - rooted at the workspace, never written',
        '',
      ].join('\n');
      const { svc } = await workspace({
        'phase-1/01-INPUT_HANDOFF.md': text,
        'phase-1/00-PHASE_BRIEF.md': '# Phase 1: A\n',
        'phase-1/04-ARTIFACTS/healthcheck.txt': 'HEALTHCHECK\n',
        'example.com/notes.md': '# N\n',
      });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/01-INPUT_HANDOFF.md', 'missing-artifact').map((d) => d.range),
        [at(text, 10, 'docs/architecture.md'), at(text, 13, '/docs/missing.md')],
      );
    });

    it('reads names in any script and with emoji as paths, in backticks and bare; prose words with a slash stay words', async () => {
      const text = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Artifacts Produced',
        '',
        '- CV: `04-ARTIFACTS/résumé.md` and `04-ARTIFACTS/報告.md` - never written',
        '- Data: 04-ARTIFACTS/bäre.json - never written; `04-ARTIFACTS/🚀.md` neither; 04-ARTIFACTS/👩‍💻-notes.md neither',
        '- Found: `04-ARTIFACTS/naïve.md`, 04-ARTIFACTS/données.csv and 04-ARTIFACTS/🇫🇷.md',
        '- Words: the café/bar menu, naïve/advanced.md modes, 東京/大阪.md, Ärzte/Ärztinnen, und/oder',
        '',
      ].join('\n');
      const { svc } = await workspace({
        'phase-1/06-OUTPUT_HANDOFF.md': text,
        'phase-1/04-ARTIFACTS/naïve.md': '# N\n',
        'phase-1/04-ARTIFACTS/données.csv': 'a\n',
        'phase-1/04-ARTIFACTS/🇫🇷.md': '# F\n',
      });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact').map((d) => d.range),
        [
          at(text, 4, '04-ARTIFACTS/résumé.md'),
          at(text, 4, '04-ARTIFACTS/報告.md'),
          // A line's code spans, then its bare paths.
          at(text, 5, '04-ARTIFACTS/🚀.md'),
          at(text, 5, '04-ARTIFACTS/bäre.json'),
          at(text, 5, '04-ARTIFACTS/👩‍💻-notes.md'),
        ],
      );
    });

    it('finds a file whose name is written in the other Unicode normalization form (composed é in the text, decomposed on disk, and back)', async () => {
      const composed = 'résumé'.normalize('NFC');
      const decomposed = 'résumé'.normalize('NFD');
      assert.notEqual(composed, decomposed);
      const text = (name: string) =>
        `# Phase 1 → Phase 2 Handoff\n\n## Artifacts Produced\n\n- CV: \`04-ARTIFACTS/${name}.md\` - the CV\n- Link: [cv](04-ARTIFACTS/${name}.md)\n- Gone: \`04-ARTIFACTS/${name}-old.md\`\n`;
      for (const [written, onDisk] of [
        [decomposed, composed],
        [composed, decomposed],
      ]) {
        const doc = text(written);
        const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': doc, [`phase-1/04-ARTIFACTS/${onDisk}.md`]: '# CV\n' });
        assert.deepEqual(
          diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact').map((d) => d.range),
          [at(doc, 6, `04-ARTIFACTS/${written}-old.md`)],
        );
      }
    });

    it('is quiet once the artifacts exist, and checks the inputs received by the next phase', async () => {
      const input =
        '# Phase 2 Input Handoff\n\n## Inputs Received\n\n- Input: [handoff](../phase-1/06-OUTPUT_HANDOFF.md) - from phase 1\n- Input: `04-ARTIFACTS/plan.md` - missing\n';
      const { svc } = await workspace({
        ...files,
        'phase-1/04-ARTIFACTS/gone.md': '#\n',
        'phase-1/04-ARTIFACTS/none.py': '\n',
        'phase-2/01-INPUT_HANDOFF.md': input,
      });
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact'), []);
      const ds = diagnosticsOf(svc, 'phase-2/01-INPUT_HANDOFF.md', 'missing-artifact');
      assert.deepEqual(
        ds.map((d) => d.range),
        [at(input, 5, '04-ARTIFACTS/plan.md')],
      );
    });
  });

  describe('unfilled-placeholder: numbered filler items of the handoff template', () => {
    it("reports the handoff template's guide items left as they are (`- Objectives achieved`, `- Issues discovered`), not written ones", async () => {
      const text = [
        '# Phase 3 → Phase 4 Handoff',
        '',
        '## Phase 3 Summary',
        '- Objectives achieved',
        '- Key deliverables: the images and the compose file',
        '- **Metrics and KPIs**:',
        '',
        '## Critical Findings',
        '- Issues discovered',
        '- Risks identified: registry quota',
        '- Blockers resolved.',
        '',
        '## Notes',
        '- Objectives achieved',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-3/06-OUTPUT_HANDOFF.md': text });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-3/06-OUTPUT_HANDOFF.md', 'unfilled-placeholder').map((d) => [d.range.start.line, d.message]),
        [
          [3, '"Objectives achieved" is the template\'s wording: write what it stands for (`Objectives achieved: …`).'],
          [5, '"Metrics and KPIs" is the template\'s wording: write what it stands for (`Metrics and KPIs: …`).'],
          [8, '"Issues discovered" is the template\'s wording: write what it stands for (`Issues discovered: …`).'],
          [10, '"Blockers resolved" is the template\'s wording: write what it stands for (`Blockers resolved: …`).'],
        ],
      );
    });

    it('reports an item that is only `Prerequisite 1`, `Step 1`, `Question 1` or `Artifact 1:`; not a written item, nor a label with text below', async () => {
      const text = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Phase 2 Prerequisites',
        '- [ ] Prerequisite 1',
        '- [ ] **Prerequisite 2**',
        '- [x] Prerequisite 3: staging cluster provisioned',
        '',
        '## Recommended Next Steps',
        '1. Step 1',
        '2. Step 2',
        '   Run the migration on staging first.',
        '3. Step 3 of the rollout: cut over DNS',
        '',
        '## Open Questions',
        '- Question 1',
        '- Which region hosts the replica? (Question 2 of the review)',
        '',
        '## Artifacts Produced',
        '- Artifact 1:',
        '- Report of 2024',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': text });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'unfilled-placeholder').map((d) => [d.range, d.message]),
        [
          [at(text, 3, 'Prerequisite 1'), '"Prerequisite 1" is the template\'s wording: replace it with the prerequisite itself.'],
          [at(text, 4, '**Prerequisite 2**'), '"Prerequisite 2" is the template\'s wording: replace it with the prerequisite itself.'],
          [at(text, 8, 'Step 1'), '"Step 1" is the template\'s wording: replace it with the step itself.'],
          [at(text, 14, 'Question 1'), '"Question 1" is the template\'s wording: replace it with the question itself.'],
          [at(text, 18, 'Artifact 1:'), '"Artifact 1" is the template\'s wording: replace it with the artifact itself.'],
        ],
      );
    });
  });

  describe("unfilled-placeholder: filler items only in the handoff template's sections", () => {
    it("leaves `- Decision 2` under **Related** in the decision log and an agenda's `1. Item 1` alone; reports them in a handoff's template sections", async () => {
      const decisions = [
        '# Phase 1 Decisions',
        '',
        '## Decision Log',
        '',
        '### Decision 3: Keep Vault',
        '',
        '**Rationale**: the team knows it.',
        '',
        '**Related**:',
        '- Decision 2',
        '',
        '## Review Agenda',
        '',
        '1. Item 1',
        '2. Item 2',
        '',
      ].join('\n');
      const output = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Phase 1 Summary',
        '',
        '- Step 1',
        '',
        '## Decisions Made',
        '',
        '- Decision 2',
        '',
        '## Risks & Dependencies',
        '',
        '- Risk 1',
        '',
      ].join('\n');
      const input = ['# Phase 2 Input Handoff', '', '## Prerequisites', '', '- [ ] Prerequisite 1', '', '## Notes', '', '- Item 1', ''].join('\n');
      const { svc } = await workspace({
        'phase-1/05-DECISIONS.md': decisions,
        'phase-1/06-OUTPUT_HANDOFF.md': output,
        'phase-2/01-INPUT_HANDOFF.md': input,
      });
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'unfilled-placeholder'), []);
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'unfilled-placeholder').map((d) => d.range),
        [at(output, 8, 'Decision 2'), at(output, 12, 'Risk 1')],
      );
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-2/01-INPUT_HANDOFF.md', 'unfilled-placeholder').map((d) => d.range),
        [at(input, 4, 'Prerequisite 1')],
      );
    });

    it("reports a handoff's `- Decision 1` once, as the template's wording, not also as a decision without rationale; a written decision without one still is", async () => {
      const output = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Decisions Made',
        '',
        '- Decision 1',
        '- **Decision 2**:',
        '- Decision 3: Use Postgres',
        '- Decision 4',
        '  Chosen over MySQL by the team.',
        '',
      ].join('\n');
      // The same items in a document that is no handoff are the author's own: no filler to report, each a decision.
      const other = ['# Notes', '', '## Decisions Made', '', '- Decision 1', ''].join('\n');
      const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': output, 'phase-1/notes.md': other });
      const file = 'phase-1/06-OUTPUT_HANDOFF.md';
      assert.deepEqual(
        diagnosticsOf(svc, file, 'unfilled-placeholder').map((d) => d.range),
        [at(output, 4, 'Decision 1'), at(output, 5, '**Decision 2**:')],
      );
      assert.deepEqual(
        diagnosticsOf(svc, file, 'decision-without-rationale').map((d) => d.range),
        [at(output, 6, 'Decision 3: Use Postgres'), at(output, 7, 'Decision 4')],
      );
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/notes.md', 'unfilled-placeholder'), []);
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/notes.md', 'decision-without-rationale').map((d) => d.range),
        [at(other, 4, 'Decision 1')],
      );
    });
  });

  describe('decision-without-rationale', () => {
    it('reports handoff decisions without "→ rationale" at the item text', async () => {
      const text = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Decisions Made',
        '',
        '- Decision: Use Postgres → mature and supported',
        '- Decision: Use Redis -> fast caching',
        '- Decision: Drop MySQL',
        '- Decision: Keep Vault',
        '  because: the team knows it',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': text });
      const ds = diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'decision-without-rationale');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [[at(text, 6, 'Decision: Drop MySQL'), 'Decision "Decision: Drop MySQL" gives no rationale: add "→ why" after it.']],
      );
    });

    it('reads decisions alike in a handoff and in the decision log: an item about them, a dashed rationale label, the template word', async () => {
      const handoff = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Decisions Made',
        '',
        '- Decision owner: Ana',
        '- **Decision criteria**: cost, then speed',
        '- Decision 1: Use Postgres → Rationale',
        '- Decision 2: Drop MySQL',
        '',
      ].join('\n');
      const log = [
        '# Phase 1 Decisions',
        '',
        '## Summary',
        '',
        '- Decision 3: Use Redis → Rationale',
        '- Decision owner: Ana',
        '',
        '## Decision Log',
        '',
        '### Decision 1: Use Postgres',
        '',
        '**Rationale** — cheap and fast',
        '',
        '### Decision 2: Use Kafka',
        '',
        'Rationale - the team runs it already',
        '',
        '### Decision 4: Use Vault',
        '',
        '**Rationale** —',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': handoff, 'phase-1/05-DECISIONS.md': log });
      const word = (d: string) => `Decision "${d}" gives no rationale: "→ Rationale" is the template's word, write why after the arrow.`;
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'decision-without-rationale').map((d) => [d.range, d.message]),
        [
          [at(handoff, 6, 'Decision 1: Use Postgres → Rationale'), word('Decision 1: Use Postgres → Rationale')],
          [at(handoff, 7, 'Decision 2: Drop MySQL'), 'Decision "Decision 2: Drop MySQL" gives no rationale: add "→ why" after it.'],
        ],
      );
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale').map((d) => [d.range.start.line, d.message]),
        [
          [4, word('Decision 3: Use Redis → Rationale')],
          [17, 'Decision "Decision 4: Use Vault" gives no rationale: add a "**Rationale**:" line.'],
        ],
      );
    });

    it('a handoff decision not taken yet (- Decision 8: pending (quotes due), TBD, deferred …) needs no rationale, as in the decision log', async () => {
      const text = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Decisions Made',
        '',
        '- Decision 7: TBD',
        '- Decision 8: pending (quotes due)',
        '- **Decision 9:** deferred to phase 3',
        '- Decision: to be decided',
        '- Decision 10: Drop MySQL',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': text });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'decision-without-rationale').map((d) => d.range),
        [at(text, 8, 'Decision 10: Drop MySQL')],
      );
    });

    it('reads "→ Rationale", the template\'s word left after the arrow, as no rationale; a real one starting with the word is one', async () => {
      const text = [
        '# Phase 1 → Phase 2 Handoff',
        '',
        '## Decisions Made',
        '',
        '- Decision 1: Adopt locust → Rationale',
        '- Decision 2: [Description] → **Rationale**',
        '- Decision 3: Adopt pytest → Rationale: the team knows it',
        '- Decision 4: Adopt k6 → rationale-free tooling was cheaper',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': text });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'decision-without-rationale').map((d) => [d.range, d.message]),
        [
          [
            at(text, 4, 'Decision 1: Adopt locust → Rationale'),
            'Decision "Decision 1: Adopt locust → Rationale" gives no rationale: "→ Rationale" is the template\'s word, write why after the arrow.',
          ],
          [
            at(text, 5, 'Decision 2: [Description] → **Rationale**'),
            'Decision "Decision 2: [Description] → **Rationale**" gives no rationale: "→ Rationale" is the template\'s word, write why after the arrow.',
          ],
        ],
      );
    });

    const decisions = [
      '# Phase 1 Decisions',
      '',
      '## Decision Log',
      '',
      '### Decision 1: Use Postgres',
      '',
      'Chosen for maturity.',
      '',
      '**Rationale**: Mature and supported.',
      '',
      '### Decision 2: Adopt Trivy',
      '',
      'We scan images with Trivy.',
      '',
      '### Decision 3: Pin versions',
      '',
      '**Rationale**:',
      '',
      '### Decision 4: Use Vault',
      '',
      '#### Rationale',
      '',
      'Already licensed.',
      '',
    ].join('\n');

    it('reports decision subsections without a rationale at their heading, and inserts one', async () => {
      const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': decisions });
      const ds = diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [at(decisions, 10, 'Decision 2: Adopt Trivy'), 'Decision "Decision 2: Adopt Trivy" gives no rationale: add a "**Rationale**:" line.'],
          [
            at(decisions, 14, 'Decision 3: Pin versions'),
            'Decision "Decision 3: Pin versions" gives no rationale: write it on its empty "**Rationale**:" line.',
          ],
        ],
      );
      let fixed = applyFix(svc, 'phase-1/05-DECISIONS.md', ds[0], decisions);
      assert.match(fixed, /We scan images with Trivy\.\n\n\*\*Rationale\*\*: \[Why this decision\]\n\n### Decision 3/);
      const [d3] = diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale');
      fixed = applyFix(svc, 'phase-1/05-DECISIONS.md', d3, fixed);
      assert.match(fixed, /### Decision 3: Pin versions\n\n\*\*Rationale\*\*: \[Why this decision\]\n\n### Decision 4/);
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale'), []);
      // The inserted text is a placeholder the user still has to fill.
      assert.equal(diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'unfilled-placeholder').length, 2);
    });

    it('a decision heading not taken yet (### Decision 7: TBD, Pending, to be decided, Deferred …) needs no rationale, as such an item needs none', async () => {
      const text = [
        '# Phase 1 Decisions',
        '',
        '## Decision Log',
        '',
        '### Decision 6: Use Helm',
        '',
        'Charts for every service.',
        '',
        '### Decision 7: TBD',
        '',
        'Waiting for the vendor quotes.',
        '',
        '### Decision 8: Pending',
        '',
        '### **Decision 9:** to be decided',
        '',
        '### Decision: Deferred to phase 3',
        '',
        '### Decision 10: Adopt Trivy',
        '',
        'We scan images.',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': text });
      // The decisions taken still give theirs.
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale').map((d) => d.range.start.line),
        [4, 18],
      );
    });

    it('reads a decision heading behind a mark or with accents (### 🚀 Decision 1, ### Décision 2)', async () => {
      const text =
        '# Phase 1 Decisions\n\n## Decision Log\n\n### 🚀 Decision 1: Use X\n\nDone.\n\n### Décision 2: Use Y\n\nDone.\n\n### ✅ Decision 3: Use Z\n\n**Rationale**: cheap.\n';
      const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': text });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale').map((d) => d.range.start.line),
        [4, 8],
      );
    });

    it('reports decisions written as list items or table rows in the decision log without a rationale', async () => {
      const text = [
        '# Phase 1 Decisions',
        '',
        '## Decision Log',
        '',
        '- Decision 1: Use pytest → the team knows it',
        '- Decision 2: Adopt Trivy for image scanning',
        '- **Decision 3**: Pin versions, because builds must be reproducible',
        '- Decision 4: Keep Alpine',
        '  - Rationale: small images',
        '- Decision 5: Drop Python 3.8 → Rationale',
        '- Decision 6 (see Decision 2)',
        '- Decision owner: DevOps Team',
        '- Decision criteria: cost, build time, security',
        '- Decision 8: pending (vendor quotes due)',
        '',
        '| Decision | Rationale |',
        '|---|---|',
        '| Use Vault | Already licensed |',
        '| Use ArgoCD |  |',
        '| | |',
        '| Use Harbor | |'.replace('Use Harbor', 'TBD'),
        '',
        '| Decision Date | Topic | Reason |',
        '|---|---|---|',
        '| 2025-01-20 | coverage tool | |',
        '',
        '### Decision 7: Use Helm',
        '',
        '- Decision: charts per service',
        '',
        '**Rationale**: one tool for all.',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': text });
      const ds = diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale');
      const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
      assert.deepEqual(
        ds.map((d) => [d.range.start.line, d.message]).sort((a, b) => Number(a[0]) - Number(b[0])),
        [
          [lineOf('Decision 2: Adopt'), 'Decision "Decision 2: Adopt Trivy for image scanning" gives no rationale: add "→ why" after it.'],
          [
            lineOf('Decision 5:'),
            `Decision "Decision 5: Drop Python 3.8 → Rationale" gives no rationale: "→ Rationale" is the template's word, write why after the arrow.`,
          ],
          [lineOf('Use ArgoCD'), 'Decision "Use ArgoCD" has no rationale in the table.'],
        ],
      );
      const cell = ds.find((d) => /ArgoCD/.test(d.message))!;
      assert.equal(text.split('\n')[cell.range.start.line].slice(cell.range.start.character, cell.range.end.character), '  ');
    });

    it('keeps a blank line before the next decision when its heading follows the text at once', async () => {
      const tight = '# Phase 1 Decisions\n\n## Decision Log\n\n### Decision 1: Trivy\nWe scan images.\n### Decision 2: Pin\n**Rationale**: reproducible.\n';
      const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': tight });
      const [d] = diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale');
      const fixed = applyFix(svc, 'phase-1/05-DECISIONS.md', d, tight);
      assert.match(fixed, /We scan images\.\n\n\*\*Rationale\*\*: \[Why this decision\]\n\n### Decision 2: Pin\n/);
    });

    it('inserts the rationale with CRLF line endings in a CRLF file', async () => {
      const crlf = decisions.replace(/\n/g, '\r\n');
      const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': crlf });
      const [d2] = diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale');
      assert.deepEqual(d2.range, at(decisions, 10, 'Decision 2: Adopt Trivy'));
      const fixed = applyFix(svc, 'phase-1/05-DECISIONS.md', d2, crlf);
      assert.ok(fixed.includes('We scan images with Trivy.\r\n\r\n**Rationale**: [Why this decision]\r\n\r\n### Decision 3'));
      assert.doesNotMatch(fixed, /[^\r]\n/);
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale').map((d) => d.range.start.line),
        [16],
      );
    });

    it('is quiet when every decision has its rationale', async () => {
      const ok =
        '# Phase 1 Decisions\n\n## Decision Log\n\n### Decision 1: Use Postgres\n\n**Rationale:** mature.\n\n### Decision 2: Trivy\n\n- **Rationale**: fast\n';
      const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': ok });
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale'), []);
    });

    it('reads a rationale in a block quote or in single emphasis, and takes only numbered or titled headings for decisions', async () => {
      const text = [
        '# Phase 1 Decisions',
        '',
        '## Decision Log',
        '',
        '### Decision 1: Use Trivy',
        '',
        '> **Rationale**: it is faster than the alternatives.',
        '',
        '### Decision 2: Use Postgres',
        '',
        '*Rationale*: mature and already operated by the team.',
        '',
        '### Decision 3: Pin versions',
        '',
        '> _Rationale:_',
        '>',
        '> reproducible builds.',
        '',
        '### Decision 4',
        '',
        '*Rationale:*',
        '',
        '### Decision: Drop MySQL',
        '',
        '> **Context**: licences.',
        '',
        '## Decision Criteria',
        '',
        '- Cost',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': text });
      const ds = diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale');
      assert.deepEqual(
        ds.map((d) => d.range),
        [at(text, 18, 'Decision 4'), at(text, 22, 'Decision: Drop MySQL')],
      );
      // Fix all fills the empty rationale and adds one to the other decision, and to no other section.
      const fixed = applyEdits(text, fixAll(svc, `${ROOT}/phase-1/05-DECISIONS.md`)!.change.edits[0].edits);
      assert.equal(fixed.match(/\[Why this decision\]/g)?.length, 2);
      assert.match(fixed, /\n\*Rationale:\* \[Why this decision\]\n/);
      assert.match(fixed, /> \*\*Context\*\*: licences\.\n\n\*\*Rationale\*\*: \[Why this decision\]\n\n## Decision Criteria/);
    });
  });

  describe('risk-without-mitigation', () => {
    const text = [
      TITLE,
      '## Risks',
      '',
      '- Risk: Late delivery - start early',
      '- Risk 2: Vendor lock-in',
      '- Risk: Data loss → nightly backups',
      '- **Risk**: Key person leaves',
      '  - Mitigation: pair on everything',
      '- Dependency: Vault cluster',
      '',
      '| Risk | Impact | Mitigation |',
      '|------|--------|------------|',
      '| Outage | High | Failover |',
      '| Breach | High |  |',
      '',
      '### Risk 3: Budget cut',
      '',
      '**Mitigation**:',
      '',
    ].join('\n');

    it('reports risk items, table rows and risk subsections without a mitigation', async () => {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
      const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'risk-without-mitigation');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [at(text, 4, 'Risk 2: Vendor lock-in'), 'Risk "Risk 2: Vendor lock-in" names no mitigation: write "Risk: impact - mitigation".'],
          [range(13, 17, 13, 19), 'Risk "Breach" has no mitigation in the table.'],
          [at(text, 15, 'Risk 3: Budget cut'), 'Risk "Risk 3: Budget cut" names no mitigation: write it on its empty "**Mitigation**:" line.'],
        ],
      );
      assert.equal(ds[0].severity, 'warning');
    });

    it('is quiet when every risk has a mitigation', async () => {
      const ok = `${H1}\n## Risks & Dependencies\n\n- Risk 1: Outage - failover\n- Dependency 1: DNS\n\n| Risk | Mitigation |\n|---|---|\n| Breach | MFA |\n`;
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': ok });
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'risk-without-mitigation'), []);
    });
  });

  describe('metric-threshold', () => {
    const text = [
      '# Phase 1 Validation',
      '',
      '## Success Metrics',
      '',
      '| Metric | Target | Actual |',
      '|--------|--------|--------|',
      '| Code coverage | > 80% | 76% |',
      '| Critical vulnerabilities | 0 | 0 |',
      '| Test execution time | < 5 minutes | 4m 30s |',
      '| Deployment time |  | 12 minutes |',
      '| Uptime SLA | >= 99.9% | pending |',
      '| Log retention | 30 days |  |',
      '| Rollback time | <2 min | 3 minutes |',
      '',
      '| Metric | Value |',
      '|---|---|',
      '| **Coverage** | 79.5% |',
      '| Critical vulnerabilities | 2 |',
      '| High vulnerabilities | 4 |',
      '| Something else | 12 |',
      '',
    ].join('\n');

    it('compares actuals with the row target or the configured threshold, at the actual cell', async () => {
      const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': text });
      const ds = diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [at(text, 6, '76%'), 'Code coverage is 76%; target > 80%. In phase 1, mark a baseline so that it is not judged: `76% (baseline)`'],
          [
            at(text, 9, '12 minutes'),
            'Deployment time is 12 minutes; target < 10 minutes. In phase 1, mark a baseline so that it is not judged: `12 minutes (baseline)`',
          ],
          [
            at(text, 12, '3 minutes'),
            'Rollback time is 3 minutes; target <2 min. In phase 1, mark a baseline so that it is not judged: `3 minutes (baseline)`',
          ],
          [at(text, 16, '79.5%'), 'Coverage is 79.5%; target > 80%. In phase 1, mark a baseline so that it is not judged: `79.5% (baseline)`'],
          [at(text, 17, '2'), 'Critical vulnerabilities is 2; target 0. In phase 1, mark a baseline so that it is not judged: `2 (baseline)`'],
        ],
      );
      assert.equal(ds[0].severity, 'error');
    });

    it('uses the thresholds of phasegate.yaml', async () => {
      const cfg = 'metrics:\n  - name: Code coverage\n    threshold: ">= 70%"\n';
      const { svc } = await workspace({
        'phasegate.yaml': cfg,
        'phase-1/07-VALIDATION.md': '# V\n\n| Metric | Actual |\n|---|---|\n| Code coverage | 76% |\n| Critical vulnerabilities | 1 |\n',
      });
      assert.deepEqual(svc.config.problems, []);
      const ds = diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold');
      assert.deepEqual(
        ds.map((d) => d.message),
        ['Critical vulnerabilities is 1; target 0. In phase 1, mark a baseline so that it is not judged: `1 (baseline)`'],
      );
    });

    it('reads the cells of a row as GFM does: a `|` in a code span separates cells, an escaped one does not', async () => {
      const rows = [
        // Rendered as four cells (Coverage `x, y`, > 80%, 50%): its Target column is not a threshold.
        '| Coverage `x|y` | > 80% | 50% |',
        '| Coverage `x\\|y` | > 80% | 50% |',
      ];
      const text = `# V\n\n| Metric | Target | Actual |\n|---|---|---|\n${rows.join('\n')}\n`;
      const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': text });
      const table = svc.getDocument(`${ROOT}/phase-1/07-VALIDATION.md`)!.tables[0];
      assert.deepEqual(
        table.rows.map((r) => r.cells.map((c) => c.text)),
        [
          ['Coverage `x', 'y`', '> 80%', '50%'],
          ['Coverage `x|y`', '> 80%', '50%'],
        ],
      );
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold').map((d) => [d.range.start.line, d.message]),
        [[5, 'Coverage x|y is 50%; target > 80%. In phase 1, mark a baseline so that it is not judged: `50% (baseline)`']],
      );
    });

    it('compares a compound value with a compound target part by part, by their words', async () => {
      const rows = [
        '| Security vulnerabilities | 0 critical, <5 high | 2 critical, 9 high |',
        '| Security vulnerabilities | 0 critical, <5 high | 0 critical, 3 high |',
        '| Security vulnerabilities | 0 critical; < 5 high | high: 7; critical: 0 |',
        '| Security vulnerabilities | 0 critical and < 5 high | 1 critical and 1,200 medium |',
        // Not comparable part by part: parts without words, or words that match nothing, are not judged.
        '| Security vulnerabilities | 0 critical, <5 high | 2, 9 |',
        '| Security vulnerabilities | 0 critical, <5 high | 3 low, 4 medium |',
        '| Security vulnerabilities | 0 critical, <5 high | 2 critical 9 high |',
      ];
      const text = `# V\n\n| Metric | Target | Actual |\n|---|---|---|\n${rows.join('\n')}\n`;
      const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': text });
      const ds = diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold');
      assert.deepEqual(
        ds.map((d) => [d.range.start.line, d.message]),
        [
          [
            4,
            'Security vulnerabilities is 2 critical, 9 high; target 0 critical, <5 high (missed: critical, high). In phase 1, mark a baseline so that it is not judged: `2 critical, 9 high (baseline)`',
          ],
          [
            6,
            'Security vulnerabilities is high: 7; critical: 0; target 0 critical; < 5 high (missed: high). In phase 1, mark a baseline so that it is not judged: `high: 7; critical: 0 (baseline)`',
          ],
          [
            7,
            'Security vulnerabilities is 1 critical and 1,200 medium; target 0 critical and < 5 high (missed: critical). In phase 1, mark a baseline so that it is not judged: `1 critical and 1,200 medium (baseline)`',
          ],
        ],
      );
      const at = text.split('\n')[4].indexOf('2 critical, 9 high');
      assert.deepEqual(ds[0].range, range(4, at, 4, at + '2 critical, 9 high'.length));
      // A compound threshold of phasegate.yaml, for a table without a Target column.
      const cfg = 'metrics:\n  - name: Security vulnerabilities\n    threshold: "0 critical, < 5 high"\n';
      const { svc: configured } = await workspace({
        'phasegate.yaml': cfg,
        'phase-1/07-VALIDATION.md': '# V\n\n| Metric | Actual |\n|---|---|\n| Security vulnerabilities | 0 critical, 5 high |\n',
      });
      assert.deepEqual(
        diagnosticsOf(configured, 'phase-1/07-VALIDATION.md', 'metric-threshold').map((d) => d.message),
        [
          'Security vulnerabilities is 0 critical, 5 high; target 0 critical, < 5 high (missed: high). In phase 1, mark a baseline so that it is not judged: `0 critical, 5 high (baseline)`',
        ],
      );
    });

    it('holds each part of a compound value to a single target where that is sound: a percentage, or an upper bound', async () => {
      const rows = [
        '| Code coverage | > 80% | 85% lines, 72% branches |',
        '| Code coverage | > 80% | 85% lines, 82% branches |',
        '| Code coverage | >= 80% | lines: 79.5%; branches: 90% |',
        '| Test execution time | < 5 min | unit: 3 min, e2e: 7 min |',
        '| Test execution time | < 5 min | unit: 3 min, e2e: 4 min |',
        '| Test execution time | < 5 min | 3 min unit, 7 min e2e |',
        '| Security vulnerabilities | 0 | 0 critical, 2 high |',
        '| Code coverage | > 80% | 84% lines / 71% branches |',
        '| Throughput | < 2000 req/s | 2500 req/s |',
        // A lower bound of counts may be met by the parts together: not judged; nor a target for one word only.
        '| Tests | > 100 | 60 unit, 50 e2e |',
        '| Security vulnerabilities | 0 critical | 1 critical, 2 high |',
      ];
      const text = `# V\n\n| Metric | Target | Actual |\n|---|---|---|\n${rows.join('\n')}\n`;
      // Listed, by the configured threshold of its name (the default Code coverage > 80%).
      const list = '# V\n\n## Success Metrics\n\n- Code coverage: 74% lines / 71% branches\n';
      const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': text, 'phase-2/07-VALIDATION.md': list });
      const ds = diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold');
      assert.deepEqual(
        ds.map((d) => [d.range.start.line, d.message]),
        [
          [
            4,
            'Code coverage is 85% lines, 72% branches; target > 80% (missed: branches). In phase 1, mark a baseline so that it is not judged: `85% lines, 72% branches (baseline)`',
          ],
          [
            6,
            'Code coverage is lines: 79.5%; branches: 90%; target >= 80% (missed: lines). In phase 1, mark a baseline so that it is not judged: `lines: 79.5%; branches: 90% (baseline)`',
          ],
          [
            7,
            'Test execution time is unit: 3 min, e2e: 7 min; target < 5 min (missed: e2e). In phase 1, mark a baseline so that it is not judged: `unit: 3 min, e2e: 7 min (baseline)`',
          ],
          [
            9,
            'Test execution time is 3 min unit, 7 min e2e; target < 5 min (missed: e2e). In phase 1, mark a baseline so that it is not judged: `3 min unit, 7 min e2e (baseline)`',
          ],
          [
            10,
            'Security vulnerabilities is 0 critical, 2 high; target 0 (missed: high). In phase 1, mark a baseline so that it is not judged: `0 critical, 2 high (baseline)`',
          ],
          [
            11,
            'Code coverage is 84% lines / 71% branches; target > 80% (missed: branches). In phase 1, mark a baseline so that it is not judged: `84% lines / 71% branches (baseline)`',
          ],
          // A slash within a unit separates nothing: one value.
          [12, 'Throughput is 2500 req/s; target < 2000 req/s. In phase 1, mark a baseline so that it is not judged: `2500 req/s (baseline)`'],
        ],
      );
      const at = text.split('\n')[4].indexOf('85% lines, 72% branches');
      assert.deepEqual(ds[0].range, range(4, at, 4, at + '85% lines, 72% branches'.length));
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-2/07-VALIDATION.md', 'metric-threshold').map((d) => [d.range.start.line, d.message]),
        [[4, 'Code coverage is 74% lines / 71% branches; target > 80% (missed: lines, branches)']],
      );
    });

    it('reads a part named after its value by a word with a digit (`7 min e2e`, `p95`) as it reads one named before it (`e2e: 7 min`)', async () => {
      const rows = [
        '| Test execution time | < 5 min | 3 min unit, 7 min e2e |',
        '| Code coverage | > 80% | 85% unit, 72% e2e |',
        '| Latency | < 200 ms | 120 ms p50, 250 ms p95 |',
        '| Test execution time | < 5 min | 3 min unit, 4 min e2e |',
        // Still not read: a number of its own after the value, and a lower bound of counts.
        '| Code coverage | > 80% | 72% of 5 modules, 90% lines |',
        '| Tests | > 100 | 60 unit, 30 e2e |',
      ];
      const text = `# V\n\n| Metric | Target | Actual |\n|---|---|---|\n${rows.join('\n')}\n`;
      const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': text });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold').map((d) => [d.range.start.line, d.message]),
        [
          [
            4,
            'Test execution time is 3 min unit, 7 min e2e; target < 5 min (missed: e2e). In phase 1, mark a baseline so that it is not judged: `3 min unit, 7 min e2e (baseline)`',
          ],
          [
            5,
            'Code coverage is 85% unit, 72% e2e; target > 80% (missed: e2e). In phase 1, mark a baseline so that it is not judged: `85% unit, 72% e2e (baseline)`',
          ],
          [
            6,
            'Latency is 120 ms p50, 250 ms p95; target < 200 ms (missed: p95). In phase 1, mark a baseline so that it is not judged: `120 ms p50, 250 ms p95 (baseline)`',
          ],
        ],
      );
    });

    it('judges a row by its own Target only: one that is not read is not replaced by the configured threshold', async () => {
      const text =
        '# V\n\n| Metric | Target | Actual |\n|---|---|---|\n| Code coverage | 70-75% | 72% |\n| Code coverage | | 72% |\n| Peak memory | < 1 GB | 512 MB |\n| Bundle size | < 200 KB | 1.2 MB |\n';
      const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': text });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold').map((d) => [d.range.start.line, d.message]),
        [
          [5, 'Code coverage is 72%; target > 80%. In phase 1, mark a baseline so that it is not judged: `72% (baseline)`'],
          [7, 'Bundle size is 1.2 MB; target < 200 KB. In phase 1, mark a baseline so that it is not judged: `1.2 MB (baseline)`'],
        ],
      );
    });

    it('judges `Name: value` items under a metrics section by the configured threshold or the target written after the value', async () => {
      const text = [
        '# Phase 2 Validation',
        '',
        '## Success Metrics',
        '',
        '### Phase 1-2 (Foundation & Testing)',
        '- Code coverage: 70%',
        '- Security vulnerabilities: 2 critical, 7 high',
        '- Test execution time: 9 minutes',
        '- **Uptime SLA**: 99.95%',
        '- Bundle size: 1.2 MB (target < 200 KB)',
        '- Deployment time: 8 minutes (target: < 5 minutes)',
        '- Flaky tests: 3',
        '- Code coverage: >80%',
        '- Notes: coverage went up by 12% this sprint',
        '',
        '## Summary',
        '',
        '- Code coverage: 10%',
        '',
      ].join('\n');
      const { svc } = await workspace({ 'phase-2/07-VALIDATION.md': text });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-2/07-VALIDATION.md', 'metric-threshold').map((d) => [d.range, d.message]),
        [
          [at(text, 5, '70%'), 'Code coverage is 70%; target > 80%'],
          [at(text, 6, '2 critical, 7 high'), 'Security vulnerabilities is 2 critical, 7 high; target 0 critical, < 5 high (missed: critical, high)'],
          [at(text, 7, '9 minutes'), 'Test execution time is 9 minutes; target < 5 minutes'],
          [at(text, 9, '1.2 MB'), 'Bundle size is 1.2 MB; target < 200 KB'],
          [at(text, 10, '8 minutes'), 'Deployment time is 8 minutes; target < 5 minutes'],
        ],
      );
      // The Success Metrics of a brief or an execution plan are its targets.
      const { svc: targets } = await workspace({
        'phase-2/00-PHASE_BRIEF.md': text.replace('Validation', 'Brief'),
        'phase-2/02-EXECUTION_PLAN.md': text.replace('Validation', 'Execution Plan'),
      });
      assert.deepEqual(diagnosticsOf(targets, 'phase-2/00-PHASE_BRIEF.md', 'metric-threshold'), []);
      assert.deepEqual(diagnosticsOf(targets, 'phase-2/02-EXECUTION_PLAN.md', 'metric-threshold'), []);
    });

    it('judges listed metrics only where a phase reports its results, and not under a baseline or target section', async () => {
      const list = '- Code coverage: 54%\n- Test execution time: 6 minutes\n';
      const table = '| Metric | Value |\n| --- | --- |\n| Code coverage | 54% |\n';
      const { svc } = await workspace({
        'phase-1/03-FINDINGS/coverage.md': `# Coverage\n\n## Metrics\n\n${list}`,
        'phase-1/06-OUTPUT_HANDOFF.md': `# Phase 1 → Phase 2 Handoff\n\n## Phase 1 Summary\n\n### Baseline Metrics and KPIs\n\n${list}\n### Metrics and KPIs\n\n${list}`,
        'phase-2/01-INPUT_HANDOFF.md': `# Phase 2 Input Handoff\n\n## Baseline Metrics\n\n${list}`,
        'phase-2/07-VALIDATION.md': `# Phase 2 Validation\n\n## Success Metrics\n\n### Baseline (Phase 1)\n\n${list}\n### Before\n\n${list}\n### Targets\n\n${list}\n### After\n\n- Code coverage: 70%\n`,
        'phase-3/07-VALIDATION.md': `# Phase 3 Validation\n\n## Baseline Metrics\n\n${list}\n## Metrics\n\n- Test execution time: 6 minutes\n`,
        // A table under a baseline section is not judged either; elsewhere it is, but in a finding (what the audit found).
        'phase-4/03-FINDINGS/coverage.md': `# Coverage\n\n## Baseline Metrics\n\n${table}\n## Current\n\n${table}`,
        'phase-4/06-OUTPUT_HANDOFF.md': `# Phase 4 → Phase 5 Handoff\n\n## Baseline Metrics\n\n${table}\n## Current\n\n${table}`,
      });
      const reported = svc
        .diagnoseAll()
        .filter((d) => d.code === 'metric-threshold')
        .map((d) => `${d.file.slice(ROOT.length + 1)}:${d.range.start.line}: ${d.message}`);
      assert.deepEqual(reported.sort(), [
        'phase-2/07-VALIDATION.md:21: Code coverage is 70%; target > 80%',
        'phase-3/07-VALIDATION.md:9: Test execution time is 6 minutes; target < 5 minutes',
        'phase-4/06-OUTPUT_HANDOFF.md:12: Code coverage is 54%; target > 80%',
      ]);
      // An iAI response reports its phase's results; so does a custom layout's document of kind validation, not one of another kind.
      const config =
        'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    documents:\n      - kind: validation\n        file: REVIEW.md\n      - kind: report\n        file: REPORT.md\n';
      const { svc: other } = await workspace({
        'proj/workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Phase 1: CI\n',
        'proj/workstreams/Build/Phase_1_CI/implementation_response_from_AI.md': `# Phase 1 Response: CI\n\n## Metrics\n\n${list}`,
        'phasegate.yaml': config,
        'sprints/sprint-1/REVIEW.md': `# Review\n\n## Metrics\n\n${list}`,
        'sprints/sprint-1/REPORT.md': `# Report\n\n## Metrics\n\n${list}`,
      });
      assert.deepEqual(other.config.problems, []);
      const lines = (rel: string) => diagnosticsOf(other, rel, 'metric-threshold').map((d) => d.range.start.line);
      assert.deepEqual(lines('proj/workstreams/Build/Phase_1_CI/implementation_response_from_AI.md'), [4, 5]);
      assert.deepEqual(lines('sprints/sprint-1/REVIEW.md'), [4, 5]);
      assert.deepEqual(lines('sprints/sprint-1/REPORT.md'), []);
      // A document's title naming a baseline, and a section setting results beside targets, leave its metrics judged.
      const titled = await workspace({
        'phase-1/07-VALIDATION.md': `# Phase 1 Validation: Foundation Audit & Baseline\n\n## Success Metrics vs. Targets\n\n${table}\n## Metrics: Before and After\n\n${list}`,
      });
      assert.deepEqual(
        diagnosticsOf(titled.svc, 'phase-1/07-VALIDATION.md', 'metric-threshold').map((d) => d.range.start.line),
        [6, 10, 11],
      );
    });

    it('leaves a listed value marked as a baseline alone: a Foundation Audit & Baseline phase measures them', async () => {
      const { svc } = await workspace({
        'phase-1/07-VALIDATION.md': [
          '# Phase 1 Validation',
          '',
          '## Success Metrics',
          '',
          '- Code coverage: 62% (baseline)',
          '- Code coverage (baseline): 62%',
          '- Test execution time: baseline 9 minutes',
          '- Code coverage: 54% (before the fix)',
          '- Code coverage: 70%',
          '- Mean time to recovery: 45 minutes (target < 30 minutes)',
          '',
        ].join('\n'),
      });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold').map((d) => [d.range.start.line, d.message]),
        [
          [8, 'Code coverage is 70%; target > 80%. In phase 1, mark a baseline so that it is not judged: `70% (baseline)`'],
          [9, 'Mean time to recovery is 45 minutes; target < 30 minutes. In phase 1, mark a baseline so that it is not judged: `45 minutes (baseline)`'],
        ],
      );
    });

    it('judges one count in words by the metric its words name, and leaves a number with a suffix it does not read', async () => {
      const { svc } = await workspace({
        'phase-1/07-VALIDATION.md': [
          '# Phase 1 Validation',
          '',
          '## Success Metrics',
          '',
          '- Security vulnerabilities: 2 critical',
          '- Security vulnerabilities: 0 critical',
          '- Security vulnerabilities: 3 high',
          '- Security vulnerabilities: 7 high',
          '- Throughput: 1.2k req/s (target > 500)',
          '',
          '| Metric | Target | Actual |',
          '| --- | --- | --- |',
          '| Throughput | > 500 | 1.2k req/s |',
          '| Users | > 1000 | 1.5k |',
          '| Security vulnerabilities | | 2 critical |',
          '',
        ].join('\n'),
      });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold').map((d) => [d.range.start.line, d.message]),
        [
          [
            14,
            'Security vulnerabilities is 2 critical; target 0 critical (missed: critical). In phase 1, mark a baseline so that it is not judged: `2 critical (baseline)`',
          ],
          [
            4,
            'Security vulnerabilities is 2 critical; target 0 critical (missed: critical). In phase 1, mark a baseline so that it is not judged: `2 critical (baseline)`',
          ],
          [7, 'Security vulnerabilities is 7 high; target < 5 high (missed: high). In phase 1, mark a baseline so that it is not judged: `7 high (baseline)`'],
        ],
      );
    });

    it('is quiet when every metric meets its target', async () => {
      const ok =
        '# V\n\n| Metric | Target | Actual |\n|---|---|---|\n| Code coverage | > 80% | 85% |\n| Uptime SLA | 99.9% | 99.95% |\n| Log retention | 30 days | 45 days |\n| MTTR | < 30 minutes | 1h |\n';
      const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': ok });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold').map((d) => d.message),
        ['MTTR is 1h; target < 30 minutes. In phase 1, mark a baseline so that it is not judged: `1h (baseline)`'],
      );
    });
  });

  describe('gate items', () => {
    const text = [
      '# Phase 1 Validation',
      '',
      '## Gate 1: Completeness',
      '',
      '- [x] All deliverables produced — Evidence: [report](03-FINDINGS/report.md)',
      '- [ ] Findings reviewed',
      '- [x] Artifacts listed',
      '',
      '## Gate 2: Quality',
      '',
      '- [X] Coverage checked `03-FINDINGS/coverage.txt`',
      '- [x] Lint clean — Evidence: CI run 42',
      '',
      '## Notes',
      '',
      '- [ ] Not a gate item',
      '',
    ].join('\n');

    it('reports unchecked items at their box and checked items without evidence at their text', async () => {
      const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': text, 'phase-1/03-FINDINGS/report.md': '#\n', 'phase-1/03-FINDINGS/coverage.txt': '\n' });
      const unchecked = diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'gate-item-unchecked');
      assert.deepEqual(
        unchecked.map((d) => [d.range, d.message]),
        [[range(5, 2, 5, 5), 'Completeness gate: "Findings reviewed" is not checked.']],
      );
      assert.equal(codeActions(svc, unchecked).length, 0);
      const noEvidence = diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'gate-item-no-evidence');
      assert.deepEqual(
        noEvidence.map((d) => [d.range, d.message]),
        [[at(text, 6, 'Artifacts listed'), 'Completeness gate: "Artifacts listed" is checked but cites no evidence (add a link, a `path` or "Evidence: …").']],
      );
    });

    it('takes no link to a file that is not there, nor an empty "Evidence:", for evidence', async () => {
      const items = [
        '- [x] Broken — Evidence: [t](04-ARTIFACTS/tests.md)',
        '- [x] Empty — Evidence:',
        '- [x] There — Evidence: [r](03-FINDINGS/r.md)',
        '- [x] From the root — Evidence: [r](phase-1/03-FINDINGS/r.md)',
        '- [x] Said — Evidence: PR #12',
        '- [x] Online — Evidence: [run](https://ci.example.com/runs/1)',
        '- [x] Broken, and said — [t](04-ARTIFACTS/tests.md), Evidence: sign-off mail of 2 May',
        '- [x] Wrapped — Evidence:',
        '  [r](03-FINDINGS/r.md)',
      ];
      const text = `# Phase 1 Validation\n\n## Gate 1: Completeness\n\n${items.join('\n')}\n`;
      const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': text, 'phase-1/03-FINDINGS/r.md': '# R\n' });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'gate-item-no-evidence').map((d) => [d.range.start.line, d.message]),
        [
          [
            4,
            'Completeness gate: "Broken — Evidence: [t](04-ARTIFACTS/tests.md)" is checked but the evidence it links to is not there (broken-link says where).',
          ],
          [5, 'Completeness gate: "Empty — Evidence:" is checked but cites no evidence (add a link, a `path` or "Evidence: …").'],
        ],
      );
      const gate = svc.gates(svc.findPhase('phase-1')!).find((g) => g.name === 'Completeness')!;
      assert.deepEqual(
        gate.items.map((i) => i.evidence),
        [false, false, true, true, true, true, true, true],
      );
      // The rest of the phase aside (its missing documents), the two items hold the gate.
      const { svc: alone } = await workspace({
        'phasegate.yaml': 'rules:\n  missing-document: off\n  missing-section: off\n  missing-folder: off\n  broken-link: off\n',
        'phase-1/07-VALIDATION.md': text,
        'phase-1/03-FINDINGS/r.md': '# R\n',
      });
      const held = alone.gates(alone.findPhase('phase-1')!).find((g) => g.name === 'Completeness')!;
      assert.deepEqual([held.status, held.reasons], ['pending', ['2 items without evidence']]);
    });

    it('takes a link for evidence once its file is created, and no longer once it is deleted', async () => {
      const text = '# Phase 1 Validation\n\n## Gate 1: Completeness\n\n- [x] Done — Evidence: [t](04-ARTIFACTS/tests.md)\n';
      const { svc, fs } = await workspace({ 'phase-1/07-VALIDATION.md': text });
      const evidence = () => svc.gates(svc.findPhase('phase-1')!).find((g) => g.name === 'Completeness')!.items[0].evidence;
      const noEvidence = () => diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'gate-item-no-evidence').length;
      assert.deepEqual([evidence(), noEvidence()], [false, 1]);
      const file = `${ROOT}/phase-1/04-ARTIFACTS/tests.md`;
      fs.write(file, '# Tests\n');
      await svc.filesChanged([{ path: file, type: 'created' }]);
      assert.deepEqual([evidence(), noEvidence()], [true, 0]);
      fs.delete(file);
      await svc.filesChanged([{ path: file, type: 'deleted' }]);
      assert.deepEqual([evidence(), noEvidence()], [false, 1]);
    });

    it('is quiet on a complete checklist and outside the validation document', async () => {
      const ok = '# Phase 1 Validation\n\n## Gate 1: Completeness\n\n- [x] Done — Evidence: [r](03-FINDINGS/r.md)\n';
      const { svc } = await workspace({
        'phase-1/07-VALIDATION.md': ok,
        'phase-1/03-FINDINGS/r.md': '# R\n',
        'phase-1/02-EXECUTION_PLAN.md': '# Plan\n\n## Gate 1: Completeness\n\n- [ ] open\n',
      });
      for (const f of ['phase-1/07-VALIDATION.md', 'phase-1/02-EXECUTION_PLAN.md']) {
        assert.deepEqual(diagnosticsOf(svc, f, 'gate-item-unchecked'), [], f);
        assert.deepEqual(diagnosticsOf(svc, f, 'gate-item-no-evidence'), [], f);
      }
    });
  });
});

describe('schemas', () => {
  const kinds = ['brief', 'input-handoff', 'execution-plan', 'decisions', 'output-handoff', 'validation', 'prompt', 'response', 'plan'];

  /** Every property of a schema (nested ones included), with its path. */
  function properties(schema: Record<string, unknown>, at = ''): [string, Record<string, unknown>][] {
    const out: [string, Record<string, unknown>][] = [];
    const visit = (s: unknown, p: string) => {
      if (!s || typeof s !== 'object') return;
      const o = s as Record<string, unknown>;
      for (const [k, v] of Object.entries((o.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        out.push([`${p}/${k}`, v]);
        visit(v, `${p}/${k}`);
      }
      if (o.items) visit(o.items, `${p}[]`);
      for (const alt of (o.anyOf ?? []) as unknown[]) visit(alt, p);
    };
    visit(schema, at);
    return out;
  }

  it('has a draft-07 schema for every document kind and the config, each property described', () => {
    for (const id of [...kinds, 'config']) {
      const s = assets.schemas[id] as Record<string, unknown>;
      assert.ok(s, id);
      assert.equal(s.$schema, 'http://json-schema.org/draft-07/schema#', id);
      for (const [p, prop] of properties(s)) assert.equal(typeof prop.description, 'string', `${id}${p} has no description`);
    }
    for (const id of kinds) {
      const props = (assets.schemas[id] as { properties: Record<string, { enum?: string[] }> }).properties;
      assert.deepEqual(props.status.enum, ['draft', 'in-progress', 'review', 'complete', 'blocked'], id);
      for (const k of ['phase', 'title', 'owner', 'date', 'reviewers', 'tags']) assert.ok(props[k], `${id}.${k}`);
    }
    for (const id of ['prompt', 'response']) assert.ok((assets.schemas[id] as { properties: Record<string, unknown> }).properties.workstream, id);
  });

  it('limits the config rule names and failOn ids to the rule catalog', () => {
    const cfg = assets.schemas.config as {
      properties: {
        rules: { propertyNames: { enum: string[] }; properties: Record<string, unknown> };
        layouts: { items: { properties: { gates: { items: { properties: { failOn: { items: { enum: string[] } } } } } } } };
      };
    };
    const ids = [...RULE_IDS].sort();
    assert.deepEqual([...cfg.properties.rules.propertyNames.enum].sort(), ids);
    // Each id is also a described property, for completion and hover in the editor.
    assert.deepEqual(Object.keys(cfg.properties.rules.properties).sort(), ids);
    // Every id a gate may answer for: not unvalidated-handoff (config.ts refuses it in failOn, with its reason).
    assert.deepEqual(
      [...cfg.properties.layouts.items.properties.gates.items.properties.failOn.items.enum].sort(),
      ids.filter((id) => id !== 'unvalidated-handoff'),
    );
  });

  it('loads a phasegate.yaml with a custom layout, rule severities and metrics', async () => {
    const cfg = [
      'layouts:',
      '  - name: rfc',
      '    description: Design documents',
      '    phases: [rfcs/*]',
      "    number: '^rfc-(\\d+)$'",
      '    documents:',
      '      - kind: rfc',
      '        file: RFC.md',
      '        name: Request for comments',
      "        heading: 'RFC {N}'",
      '        schema: brief',
      '        sections:',
      '          - Motivation',
      '          - title: Alternatives',
      '            required: false',
      '            description: Options considered.',
      '    folders:',
      '      - name: assets',
      '        purpose: Diagrams',
      '    gates:',
      '      - name: Review',
      '        description: Two approvals.',
      '        failOn: [broken-link, unfilled-placeholder]',
      '    metrics:',
      '      - name: Review time',
      '        aliases: [Turnaround]',
      "        threshold: '< 3 days'",
      'rules:',
      "  missing-front-matter: 'off'",
      '  unfilled-placeholder: error',
      'metrics:',
      '  - name: Code coverage',
      "    threshold: '>= 90%'",
      "ignore: ['archive/**']",
      'templates: .phasegate/templates',
      '',
    ].join('\n');
    const rfc = '# RFC 1\n\n## Motivation\n\n[Why]\n\n| Metric | Actual |\n|---|---|\n| Turnaround | 5 days |\n| Code coverage | 85% |\n';
    const { svc } = await workspace({
      'phasegate.yaml': cfg,
      'rfcs/rfc-1/RFC.md': rfc,
      'phase-1/07-VALIDATION.md': '# V\n\n| Metric | Actual |\n|---|---|\n| Code coverage | 85% |\n',
    });
    assert.deepEqual(svc.config.problems, []);
    assert.equal(svc.config.layouts[0].name, 'rfc');
    assert.equal(svc.config.rules['unfilled-placeholder'], 'error');
    assert.deepEqual(svc.config.ignore, ['archive/**']);
    const phase = svc.findPhase(`${ROOT}/rfcs/rfc-1`);
    assert.equal(phase?.layout.name, 'rfc');
    assert.equal(phase?.number, 1);
    const ds = diagnosticsOf(svc, 'rfcs/rfc-1/RFC.md');
    assert.deepEqual(
      ds.filter((d) => ['unfilled-placeholder', 'missing-front-matter', 'metric-threshold'].includes(d.code)).map((d) => [d.code, d.severity, d.message]),
      [
        ['unfilled-placeholder', 'error', 'Placeholder [Why] is not filled in.'],
        ['metric-threshold', 'error', 'Turnaround is 5 days; target < 3 days. In phase 1, mark a baseline so that it is not judged: `5 days (baseline)`'],
      ],
    );
    // The workspace threshold replaces the built-in one for the audit layout too.
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'metric-threshold').map((d) => d.message),
      ['Code coverage is 85%; target >= 90%. In phase 1, mark a baseline so that it is not judged: `85% (baseline)`'],
    );
  });

  it('reports schema errors in phasegate.yaml as invalid-config at the offending value or key', async () => {
    const cfg = [
      'rules:',
      '  missing-section: fatal',
      '  no-such-rule: error',
      'layouts:',
      '  - name: x',
      '    phases: a/*',
      '    documents:',
      '      - kind: k',
      '        file: A.md',
      '        fil: B.md',
      'colour: red',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phasegate.yaml': cfg });
    assert.deepEqual(
      svc.config.problems.map((d) => [d.code, d.severity, d.range, d.message]).sort((a, b) => (a[2] as Range).start.line - (b[2] as Range).start.line),
      [
        ['invalid-config', 'error', at(cfg, 10, 'colour'), 'phasegate.yaml: `colour` is not an allowed key'],
        ['invalid-config', 'error', at(cfg, 1, 'fatal'), 'rules.missing-section must be one of: error, warning, information, hint, off'],
        ['invalid-config', 'error', at(cfg, 2, 'no-such-rule'), 'rules: `no-such-rule` is not a known rule id'],
        ['invalid-config', 'error', at(cfg, 9, 'fil'), 'layouts[0].documents[0]: `fil` is not an allowed key'],
      ].sort((a, b) => (a[2] as Range).start.line - (b[2] as Range).start.line),
    );
    // A config that does not validate is not applied: the built-in layouts stay.
    assert.deepEqual(
      svc.config.layouts.map((l) => l.name),
      ['audit', 'iai'],
    );
    assert.deepEqual(
      svc.config.problems.map((d) => d.file),
      Array(4).fill(`${ROOT}/phasegate.yaml`),
    );
  });
});
