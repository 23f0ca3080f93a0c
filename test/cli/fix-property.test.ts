/**
 * `phasegate check --fix` on a realistic workspace: the benchmark's generated workspace (small), with
 * defects that `--fix` repairs added to it. Whatever the fixes are, they keep every file readable and
 * every line of the user's text that no problem was reported on, a second run changes nothing, no
 * problem appears that was not there before, and the exit code is that of the check of what is left.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from '../../server/src/service/markdown';
import { REPO } from '../helpers/workspace';
import { RunResult, WritableMemoryFileSystem, run } from './helpers';

interface Generator {
  generateFiles(opts: { n: number; seed: number }): Iterable<[string, string]>;
}

interface JsonDiagnostic {
  file: string;
  code: string;
  severity: string;
  range: { start: { line: number }; end: { line: number } };
}

const A = 'audit-deployment';
const W = 'all_use_iai_project/workstreams';

/** Edits of generated files: defects with a fix `check --fix` applies (and a few it must leave alone). */
const MUTATIONS: [string, (text: string) => string][] = [
  // Blank lines above the front matter, in a file with a byte order mark.
  [`${A}/phase-2/00-PHASE_BRIEF.md`, (t) => '\ufeff\n\n' + t],
  // A status in another case.
  [`${A}/phase-3/00-PHASE_BRIEF.md`, (t) => t.replace('status: complete', 'status: Complete')],
  // An output handoff addressed to another phase, in its title and its inputs' heading.
  [
    `${A}/phase-5/06-OUTPUT_HANDOFF.md`,
    (t) => t.replace('# Phase 5 → Phase 6 Handoff', '# Phase 5 → Phase 8 Handoff').replace('## Phase 6 Inputs', '## Phase 9 Inputs'),
  ],
  // An input handoff short of an input and a prerequisite that the previous phase hands off.
  [`${A}/phase-6/01-INPUT_HANDOFF.md`, (t) => dropLines(t, /^- Input 2: /, /^- \[x\] Access to /)],
  // An unused directive, a misspelt directive and a misspelt rule id.
  [
    `${A}/phase-8/05-DECISIONS.md`,
    (t) =>
      t.replace(
        '## Decision Log',
        '<!-- phasegate-disable-next-line broken-link -->\n## Decision Log\n\n<!-- phasegate-disabel-next-line empty-section -->\nA note of ours.\n\n<!-- phasegate-disable-next-line unfiled-placeholder -->\nAnother note.',
      ),
  ],
  // A finding that names another phase, one with no front matter, and a title of another phase.
  [`${A}/phase-10/03-FINDINGS/report.md`, (t) => t.replace('phase: 10', 'phase: 11')],
  [`${A}/phase-11/03-FINDINGS/report.md`, (t) => t.replace(/^---\n[\s\S]*?\n---\n\n?/, '')],
  [`${A}/phase-12/00-PHASE_BRIEF.md`, (t) => t.replace('# Phase 12:', '# Phase 13:')],
  // Windows line ends in a file with a fix.
  [`${A}/phase-13/00-PHASE_BRIEF.md`, (t) => t.replace('status: complete', 'status: COMPLETE').replace(/\n/g, '\r\n')],
  // Across phases, the later one read first (phase-10 before phase-9 by name): phase 9 hands off an input
  // whose line holds a misspelt rule id, which phase 10 lacks.
  [`${A}/phase-9/06-OUTPUT_HANDOFF.md`, (t) => t.replace(/^(- Input 3: .*)$/m, '$1 <!-- phasegate-disable-line unfiled-placeholder -->')],
  [`${A}/phase-10/01-INPUT_HANDOFF.md`, (t) => dropLines(t, /^- Input 3: /)],
  // iAI: a status in another case, a response titled for another phase.
  [`${W}/Build/Phase_2_Artifact_Management/implementation_prompt.md`, (t) => t.replace('status: complete', 'status: In_Progress')],
  [`${W}/Build/Phase_2_Artifact_Management/implementation_response_from_AI.md`, (t) => t.replace(/^# (.*?)Phase 2\b/m, '# $1Phase 3')],
];

function dropLines(text: string, ...patterns: RegExp[]): string {
  return text
    .split('\n')
    .filter((l) => !patterns.some((p) => p.test(l)))
    .join('\n');
}

/** Lines of a text, its line ends aside. */
const linesOf = (t: string) => t.replace(/^\ufeff/, '').split(/\r?\n/);

/**
 * The lines of `before` that `after` lacks: those not in a longest common subsequence of the two
 * (as a diff's removed lines), 0-based.
 */
function removedLines(before: string[], after: string[]): number[] {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n) {
    if (j < m && before[i] === after[j]) {
      i++;
      j++;
    } else if (j < m && lcs[i][j + 1] >= lcs[i + 1][j]) j++;
    else out.push(i++);
  }
  return out;
}

describe('phasegate check --fix on a generated workspace', () => {
  let files: Map<string, string>;

  before(async () => {
    const gen = (await import(pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href)) as Generator;
    files = new Map(gen.generateFiles({ n: 30, seed: 1 }));
    for (const [rel, mutate] of MUTATIONS) {
      const text = files.get(rel);
      assert.ok(text !== undefined, rel);
      const next = mutate(text);
      assert.notEqual(next, text, `the mutation of ${rel} changes nothing`);
      files.set(rel, next);
    }
  });

  /** A file's text as its bytes hold it, a byte order mark included. */
  const raw = async (fsys: WritableMemoryFileSystem, rel: string) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await fsys.readFile(`/ws/${rel}`));
  const fresh = () => {
    const m = new WritableMemoryFileSystem();
    for (const [rel, text] of files) m.write(`/ws/${rel}`, text);
    return m;
  };
  const diagnostics = (r: RunResult) => (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
  const key = (d: JsonDiagnostic) => `${d.file}\u0000${d.code}`;
  const counts = (ds: JsonDiagnostic[]) => {
    const out = new Map<string, number>();
    for (const d of ds) out.set(key(d), (out.get(key(d)) ?? 0) + 1);
    return out;
  };

  it('keeps the text, fixes once and for all, only removes problems, and exits as the check of what is left', async () => {
    const fsys = fresh();
    const before = await run(['check', '--format', 'json'], fsys);
    assert.equal(before.code, 1, before.stderr);
    const had = diagnostics(before);

    const fixed = await run(['check', '--fix', '--format', 'json'], fsys);
    assert.equal(fixed.stderr.match(/^phasegate: .*$/gm), null, fixed.stderr);
    const reported = diagnostics(fixed);
    // The report is the check after the fixes, as a check of the fixed files reports it.
    const after = await run(['check', '--format', 'json'], fsys);
    assert.deepEqual(reported, diagnostics(after));
    assert.equal(fixed.code, after.code);
    assert.equal(fixed.code, diagnostics(after).some((d) => d.severity === 'error') ? 1 : 0);

    // (c) Problems only go down: none appears, by rule and file, that was not there, nor more of them.
    const hadCounts = counts(had);
    for (const [k, n] of counts(diagnostics(after))) assert.ok(n <= (hadCounts.get(k) ?? 0), `new problem after --fix: ${k.replace('\u0000', ': ')} (${n})`);

    // Every mutated file with a fix was changed (each says which problems went away).
    const changed: string[] = [];
    const texts = new Map<string, string>();
    for (const [rel, text] of files) {
      texts.set(rel, await raw(fsys, rel));
      if (texts.get(rel) !== text) changed.push(rel);
    }
    const named = [...fixed.stderr.matchAll(/^fixed (\S+):/gm)].map((m) => m[1]);
    assert.deepEqual(named.sort(), [...changed].sort());
    for (const rel of [
      `${A}/phase-2/00-PHASE_BRIEF.md`,
      `${A}/phase-3/00-PHASE_BRIEF.md`,
      `${A}/phase-5/06-OUTPUT_HANDOFF.md`,
      `${A}/phase-6/01-INPUT_HANDOFF.md`,
      `${A}/phase-8/05-DECISIONS.md`,
      `${A}/phase-9/06-OUTPUT_HANDOFF.md`,
      `${A}/phase-10/01-INPUT_HANDOFF.md`,
      `${A}/phase-10/03-FINDINGS/report.md`,
      `${A}/phase-11/03-FINDINGS/report.md`,
      `${A}/phase-12/00-PHASE_BRIEF.md`,
      `${A}/phase-13/00-PHASE_BRIEF.md`,
      `${W}/Build/Phase_2_Artifact_Management/implementation_prompt.md`,
      `${W}/Build/Phase_2_Artifact_Management/implementation_response_from_AI.md`,
    ])
      assert.ok(changed.includes(rel), `${rel} was not fixed`);

    // (a) No text lost: a line of the user's that the fixed file lacks is one a problem was reported on
    // (a heading renumbered, a value corrected); a line moved (a comment below the front matter) is kept.
    for (const rel of changed) {
      const was = linesOf(files.get(rel)!);
      const now = linesOf(texts.get(rel)!);
      const onProblems = had.filter((d) => d.file === rel);
      for (const i of removedLines(was, now)) {
        if (was[i].trim() === '' || now.includes(was[i])) continue;
        assert.ok(
          onProblems.some((d) => d.range.start.line <= i && i <= d.range.end.line),
          `${rel}:${i + 1}: line lost by --fix, with no problem on it: ${JSON.stringify(was[i])}`,
        );
      }
      // It parses: front matter that YAML reads as a mapping, its headings all kept (those a problem was
      // reported on, renumbered), at the same levels.
      const doc = parseDocument(texts.get(rel)!.replace(/^\ufeff/, ''));
      assert.ok(doc.frontMatter?.terminated && !doc.frontMatter.errors.length && typeof doc.frontMatter.data === 'object', `${rel}: front matter`);
      const wasDoc = parseDocument(files.get(rel)!.replace(/^\ufeff/, ''));
      const shape = (d: typeof doc) => d.headings.map((h) => `${h.level} ${h.text.replace(/\d+/g, 'N')}`);
      if (wasDoc.frontMatter) assert.deepEqual(shape(doc), shape(wasDoc), `${rel}: headings`);
      // Line ends and a byte order mark are kept.
      assert.equal(texts.get(rel)!.includes('\r\n'), files.get(rel)!.includes('\r\n'), rel);
      assert.equal(texts.get(rel)!.startsWith('\ufeff'), files.get(rel)!.startsWith('\ufeff'), rel);
    }

    // Across phases: phase 10 receives the input as phase 9 hands it once fixed (its directive, misspelt,
    // corrected in one pass and, silencing nothing, removed in the next), not as phase 9 was read.
    const input3 = (text: string) => linesOf(text).filter((l) => l.startsWith('- Input 3: '));
    const [handed] = input3(files.get(`${A}/phase-9/06-OUTPUT_HANDOFF.md`)!);
    const clean = handed.replace(/ <!--.*-->$/, '');
    assert.notEqual(clean, handed);
    assert.deepEqual(input3(texts.get(`${A}/phase-9/06-OUTPUT_HANDOFF.md`)!), [clean]);
    assert.deepEqual(input3(texts.get(`${A}/phase-10/01-INPUT_HANDOFF.md`)!), [clean.replace('](', '](../phase-9/')]);

    // (b) Idempotent: a second run fixes nothing, changes no file, and reports the same.
    const snapshot = fsys.paths().map((p) => [p, fsys.text(p)]);
    const again = await run(['check', '--fix', '--format', 'json'], fsys);
    assert.equal(again.stderr, '');
    assert.deepEqual(
      fsys.paths().map((p) => [p, fsys.text(p)]),
      snapshot,
    );
    assert.deepEqual(diagnostics(again), reported);
    assert.equal(again.code, fixed.code);
  });

  it('reports in each format the check after the fixes, and exits 0 once they leave no error', async () => {
    // Phase 3's only error is its status in another case; phase 13's too, in a file with Windows line ends.
    const paths = [`${A}/phase-3`, `${A}/phase-13`];
    for (const format of ['text', 'json', 'sarif', 'gitlab']) {
      const fsys = fresh();
      const before = await run(['check', ...paths, '--format', format], fsys);
      assert.equal(before.code, 1, `${format}: ${before.stdout}`);
      const fixed = await run(['check', ...paths, '--fix', '--format', format], fsys);
      const after = await run(['check', ...paths, '--format', format], fsys);
      assert.equal(after.code, 0, `${format}: ${after.stdout}`);
      assert.equal(fixed.code, 0, format);
      // Text: what was fixed, a blank line, then the report; the other formats: the report alone, what was fixed on stderr.
      const said = [`fixed ${A}/phase-13/00-PHASE_BRIEF.md: 1 × front-matter-schema`, `fixed ${A}/phase-3/00-PHASE_BRIEF.md: 1 × front-matter-schema`, ''].join(
        '\n',
      );
      if (format === 'text') assert.equal(fixed.stdout, `${said}\n${after.stdout}`);
      else {
        assert.equal(fixed.stdout, after.stdout, format);
        assert.equal(fixed.stderr, said, format);
      }
    }
  });

  it('adds every missing row of a plan in one run, however many passes that takes (each row goes where the previous one went)', async () => {
    // A line between the Phase Status table's header and its delimiter row: no table, and no phase has a row.
    const plan = 'all_use_iai_project/project_implementation_plan.md';
    const fsys = fresh();
    const header = '| Workstream | Phase | Status |\n';
    fsys.write(`/ws/${plan}`, files.get(plan)!.replace(header, `${header}A note.\n`));
    const before = diagnostics(await run(['check', '--format', 'json'], fsys)).filter((d) => d.file === plan && d.code === 'plan-status-mismatch');
    assert.ok(before.length > 20, String(before.length));
    const fixed = await run(['check', '--fix', '--format', 'json', 'all_use_iai_project'], fsys);
    assert.match(fixed.stderr, new RegExp(`^fixed ${plan}: ${before.length} × plan-status-mismatch$`, 'm'));
    const text = fsys.text(`/ws/${plan}`)!;
    const again = await run(['check', '--fix', '--format', 'json', 'all_use_iai_project'], fsys);
    assert.equal(again.stderr, '');
    assert.equal(fsys.text(`/ws/${plan}`), text);
  });
});
