/**
 * Test proof rules. An iAI response is not complete without its tests and the proof that they ran
 * successfully (bdt-framework-iai.md §5). A validation document (`07-VALIDATION.md` of an audit phase, a
 * custom layout's document of kind `validation`) need not hold a test run, but one it holds must have
 * passed: its Testing gate says "Validation tests pass".
 */
import { inlineParts, isLabelSection, labelSections } from '../labels';
import type { CodeBlock, ListItem, ParsedDocument, Section } from '../markdown';
import { itemsWithin, normalizeTitle } from '../markdown';
import type { DocumentKindSpec, SectionSpec } from '../layout';
import { keyBeforeNote, kindSections, numberlessKey } from './doc-util';
import { PLACEHOLDER } from '../handoff';
import { lowerBound } from '../sorted';
import { Range, range } from '../types';
import type { Rule, RuleContext } from './rule';

/** Where a document-level problem goes when its section is missing: the H1, else the top. */
export function titleRange(doc: ParsedDocument): Range {
  const h1 = doc.headings.find((h) => h.level === 1) ?? doc.headings[0];
  if (h1) return h1.range;
  const line = doc.frontMatter?.terminated ? doc.frontMatter.endLine : 0;
  return range(line, 0, line, (doc.lines[line] ?? '').length);
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

function inSection(sec: Section, line: number): boolean {
  return line > sec.heading.line && line < sec.end;
}

/** Content lines of a code block (fences excluded). */
export function blockLines(doc: ParsedDocument, cb: CodeBlock): number[] {
  const out: number[] = [];
  for (let l = cb.line; l <= cb.endLine && l < doc.lines.length; l++) {
    if ((l === cb.line || l === cb.endLine) && FENCE.test(doc.lines[l])) continue;
    out.push(l);
  }
  return out;
}

/** Output a test runner prints: summaries of pytest, jest, vitest, mocha, unittest, go, cargo, JUnit, TAP, rspec. */
export const RUN_OUTPUT = [
  /\b\d+\s+(?:tests?\s+)?(?:passed|passing|failed|failing|pending|skipped|errors?|failures?|succeeded|ok)\b/i,
  /\bTests?:\s+\d+/i,
  /\bTests run:\s*\d+/i,
  /\bRan \d+ tests?\b/,
  /^\s*(?:OK|FAILED)\b/,
  /^\s*(?:PASS|FAIL)\b/,
  /^\s*(?:---\s*)?(?:PASS|FAIL|ok)\s*[:\s]/,
  /\btest result:\s*(?:ok|FAILED)/i,
  /^\s*(?:not\s+)?ok\s+\d+\b/,
  /(?<!\d)\d+\s+examples?,\s*\d+\s+failures?/i,
  // `={3,}.*…` is the same test, but backtracks over every run of `=` (tens of µs on a pytest separator line). Runs of
  // digits and of `=` are tried from their first character only (the same test; each run gone over once).
  /(?<!=)={3}.*\b(?:passed|failed|error)\b.*={3}/i,
  /[✓✔✕✗✘✖❌]/,
  /\bexit(?:ed)?\s+(?:code|status|with code)\s*(?::\s*)?\d/i,
  /\bcoverage\b.*\d(?:\.\d+)?\s*%/i,
];

/** What every failure pattern of `failureInFull` holds (case aside). */
const FAILURE_HINT = /fail|error|exit|not ok|[✕✖✗✘×❌]/i;

/** A line of test output that reports failure; `0 failed` and friends are passes. */
export function failureIn(line: string): boolean {
  // Most lines hold none of the words a failure needs (performance only: one test instead of ten).
  return FAILURE_HINT.test(line) && failureInFull(line);
}

/**
 * A line a test runner prints for one test that passed, whatever its title says (`✓ returns exit code 2`,
 * `test_two_errors PASSED`, `--- PASS: TestExit`, `ok 3 - 2 failed jobs listed`, `test x ... ok`).
 */
const PASSED_TEST = /^\s*(?:[✓✔√]|(?:---\s*)?PASS(?:ED)?\b|ok\s)|\bPASSED\b|\.\.\.\s*ok\s*$/;

/** A line that starts with a failure mark (jest `✕`, vitest `×`, ava `✖`, bats `✗`, `✘`, `❌`); group 1 is what follows it. */
const FAILURE_MARK = /^\s*(?:[✕✖✗✘×]|❌\uFE0F?)\s*(\S.*)$/;

/**
 * What follows a mark on a summary line, not a test's title: a number (`✖ 1 problem (0 errors, 1 warning)`,
 * `✖ 0 failing`, `× 2 replicas`; not a title that starts with digits, `✕ 2FA code is rejected`), or a count with its label (`❌ Failed: 0`, `✗ Skipped: 0`, `✕ 2 failed`).
 */
const MARKED_COUNT =
  /^\d+(?:\s|$)|\b\d+\s+(?:tests?\s+|specs?\s+)?(?:passed|passing|failed|failing|failures?|errors?|errored|problems?|warnings?|skipped|pending|todo)\b|\b(?:passed|failed|failures?|errors?|problems?|warnings?|skipped|pending|todo|tests?|total)\s*[:=]\s*\d/i;

/** What follows a mark on a line that reports no failure: `✗ No failures`, `❌ No failed tests`. */
const MARKED_NONE = /^no\s+(?:failures?|failed|failing|errors?|problems?)\b/i;

/**
 * A line a test runner prints for one test that failed, whatever its title says: a failure mark followed by
 * the test's title (jest `✕ deploys`, vitest `× deploys`, ava `✖ deploys`, bats `✗`, `✘`, `❌`), not by a
 * count or summary (`✖ 1 problem (0 errors, 1 warning)`, `❌ Failed: 0`, `× 2 replicas`: their counts are
 * read as any summary's) nor by "no failures"; or unittest's verbose verdict at its end
 * (`test_deploy (mod.Case) ... FAIL`, `... ERROR`).
 */
export function failedTestLine(line: string): boolean {
  const m = FAILURE_MARK.exec(line);
  if (m) return !MARKED_COUNT.test(m[1]) && !MARKED_NONE.test(m[1]);
  return /\.\.\.\s*(?:FAIL|ERROR)\s*$/.test(line);
}

/** `failureIn` without the quick test. */
export function failureInFull(line: string): boolean {
  if (PASSED_TEST.test(line)) return false;
  if (failedTestLine(line)) return true;
  const counts = /\b(\d+)\s+(?:tests?\s+|specs?\s+)?(?:failed|failing|failures?|errors?|errored)\b/gi;
  for (let m = counts.exec(line); m; m = counts.exec(line)) if (Number(m[1]) > 0) return true;
  // "failed: 2", "Failures: 1", "failures=1"
  const labelled = /\b(?:failed|failures?|errors?)\s*[:=]\s*(\d+)/gi;
  for (let m = labelled.exec(line); m; m = labelled.exec(line)) if (Number(m[1]) > 0) return true;
  if (/\bexit(?:ed)?\s+(?:code|status|with code)\s*(?::\s*)?[1-9]\d*\b/i.test(line)) return true;
  // Runner keywords, upper case as the runners print them: pytest/unittest FAILED, jest/go FAIL, pytest ERRORS/ERROR.
  if (/(^|[\s(=:-])FAILED\b(?!\s*[:=]\s*0\b)/.test(line) && !/\b0\s+FAILED\b/.test(line)) return true;
  if (/^\s*(?:---\s*)?FAIL\b/.test(line)) return true;
  if (/\bERRORS\b(?!\s*[:=]\s*0\b)/.test(line) || /^\s*ERROR\b/.test(line)) return true;
  if (/^\s*not ok\s+\d+/.test(line)) return true;
  if (/test result:\s*FAILED/.test(line)) return true;
  return false;
}

/** The trimmed extent of a line. */
function trimmedRange(doc: ParsedDocument, line: number): Range {
  const src = doc.lines[line] ?? '';
  const a = src.length - src.trimStart().length;
  return range(line, a, line, src.trimEnd().length);
}

const MAX_FAILURE_REPORTS = 20;

/**
 * Whether a test item, row or block holds nothing but a template's placeholders, labels and
 * punctuation (`Test: [Test file] - [What it covers]`, `[Output of the test run]`): none written yet.
 */
export function onlyPlaceholders(text: string): boolean {
  if (!text.includes('[')) return false;
  return (
    text
      .replace(PLACEHOLDER, ' ')
      .replace(/(^|\s)[\p{L}\p{N}_ -]{1,20}:/gu, ' ')
      .replace(/[\p{P}\p{S}\s]/gu, '') === ''
  );
}

/**
 * The language of a fenced block's info string when it names source or configuration (`yaml`, `python`,
 * `{.json}`): such a block is code, not a run's output, whatever it holds (`status = FAILED`, `echo FAILED`).
 */
const CODE_INFO =
  /^\{?\.?(?:ya?ml|json[c5]?|toml|ini|xml|html?|css|s[ac]ss|javascript|js|mjs|cjs|jsx|typescript|ts|tsx|python|py|go|golang|rust|rs|java|kotlin|kts?|c|cpp|c\+\+|h|hpp|cs|csharp|ruby|rb|php|sql|hcl|terraform|tf|dockerfile|docker|makefile|make|groovy|gradle|swift|scala|lua|perl|pl|r|mermaid|diff|patch|markdown|md|gherkin|feature|nginx|properties|env|dotenv|graphql|proto|protobuf|jinja2?|j2|hbs|handlebars)\b/i;

/**
 * The language of a fenced block's info string when it names a shell (`bash`, `sh`, `powershell`, …; not
 * `console` or `shell-session`, where sessions are pasted): such a block is a script unless it holds a line
 * only a runner prints (`RUN_SUMMARY`), as when a run is pasted under ```` ```bash ````.
 */
const SHELL_INFO = /^\{?\.?(?:bash|sh|shell|zsh|fish|ksh|csh|tcsh|powershell|pwsh|ps1|posh|bat|batch|cmd)(?![\w-])/i;

/**
 * A line only a test runner prints: its summary, which counts its tests (`3 passed, 1 failed`, `Tests: 4
 * passed`, `Ran 2 tests`, `test result: ok`), or its line for a failed test or package (`--- FAIL: TestX`,
 * `FAIL pkg 0.01s`, `not ok 3`, `FAILED tests/x.py::test_y`).
 */
export const RUN_SUMMARY = [
  /\b\d+\s+(?:tests?\s+)?(?:passed|passing|failed|failing|pending|skipped|errors?|failures?|succeeded)\b/i,
  /\bTests?:\s+\d+/i,
  /\bTests run:\s*\d+/i,
  /\bRan \d+ tests?\b/,
  /\btest result:\s*(?:ok|FAILED)/i,
  /(?<!\d)\d+\s+examples?,\s*\d+\s+failures?/i,
  // What a runner prints for a failed test or package without a summary line: go test, TAP, pytest.
  /^\s*--- FAIL:\s+\S/,
  /^FAIL\s+\S+\s+\d+(?:\.\d+)?s\b/,
  /^\s*not ok \d+\b/,
  /^FAILED\s+\S+::/,
];

/**
 * Words that say a run is an earlier one, quoted for comparison; and words that say it is not. A bare
 * "before" says when the run was made, not that it is an old one (`Final run before sign-off`): only
 * "before" the change it compares with does (`Before the fix`, `before remediation`), or a heading of its own (`## Before`).
 */
export const EARLIER_RUN =
  /\b(?:baseline|previous|earlier)\b|\bbefore\s+(?:the\s+|this\s+|our\s+)?(?:fix(?:es)?|changes?|remediation|refactor(?:ing)?|upgrade|migration|phase|work)\b|^\W*before\W*$/i;
const LATER_RUN = /\b(?:after|now|current)\b/i;

function saysEarlier(text: string): boolean {
  return EARLIER_RUN.test(text) && !LATER_RUN.test(text);
}

/**
 * Whether a block quotes an earlier run (a baseline to compare with): the line just above it (blank lines
 * aside; a heading or a line of prose such as "Phase 1 baseline (for comparison):", not a list item), or the title of the
 * section it is in, says baseline, before, previous or earlier, and not after, now or current (in
 * `## Before and After` the line above each block decides).
 */
function quotesEarlierRun(doc: ParsedDocument, cb: CodeBlock): boolean {
  let l = cb.line - 1;
  while (l >= 0 && (doc.lines[l] ?? '').trim() === '') l--;
  // A list item above the block (`- [x] The suite passes on the baseline`) is no caption of it.
  const inItem = doc.items.some((it) => it.line <= l && l <= it.endLine);
  if (l >= 0 && !inItem && saysEarlier(doc.lines[l])) return true;
  const sec = cb.section === undefined ? undefined : doc.sections[cb.section];
  return !!sec && saysEarlier(sec.title);
}

/**
 * Failing test runs in a validation document: each fenced block that looks like a test run (a line of a
 * runner's summary or marks, `RUN_OUTPUT`, or a line for one failed test), is not tagged as source or
 * configuration, nor as a shell script without a runner's summary, and does not quote an earlier run, at
 * each line that reports a failure. A validation document need not hold a run (no missing-test-proof):
 * the audit seed asks its Testing gate for passing validation tests, not for their output.
 */
function failingValidationRuns(ctx: RuleContext): void {
  const { doc } = ctx;
  let n = 0;
  for (const cb of doc.codeBlocks) {
    const info = cb.info.trim();
    if (!FENCE.test(doc.lines[cb.line] ?? '') || CODE_INFO.test(info)) continue;
    const lines = blockLines(doc, cb);
    if (SHELL_INFO.test(info) && !lines.some((l) => RUN_SUMMARY.some((re) => re.test(doc.lines[l])))) continue;
    if (!lines.some((l) => RUN_OUTPUT.some((re) => re.test(doc.lines[l])) || failedTestLine(doc.lines[l]))) continue;
    if (quotesEarlierRun(doc, cb)) continue;
    for (const l of lines) {
      if (!failureIn(doc.lines[l])) continue;
      if (n++ >= MAX_FAILURE_REPORTS) return;
      reportFailingLine(ctx, l);
    }
  }
  failingItems(ctx, n);
}

/** Reports the failing run a validation's line shows, quoted. */
function reportFailingLine(ctx: RuleContext, line: number): void {
  ctx.report('failing-test-proof', trimmedRange(ctx.doc, line), `The validation shows failing tests: "${quotedLine(ctx.doc.lines[line])}".`);
}

/**
 * A run's summary written on a checklist item of the tests, as the template's `- [ ] Validation tests pass — Evidence: …`
 * invites (`Evidence: 249 passed, 2 failed in CI run #502`): a count of passed tests beside a count of failures, on an
 * item of a section about tests (`## Gate 4: Testing`, its subsections included) or, in a document without one, on an
 * item labelled so (`4. [x] **Testing**: …`); not an item that names an earlier run (`baseline 40 passed, 3 failed;
 * now all pass`), which compares runs on one line. `n`: the failures reported already. The sections are looked at
 * first (performance only: a handful of titles, where a look at each item cost more).
 */
function failingItems(ctx: RuleContext, n: number): void {
  const { doc } = ctx;
  // `passed` and `passing` hold `ass` (performance only: most validations hold no count of passed tests; a count in
  // capitals, `12 PASSED`, is pytest's line for one test, not a count).
  if (!doc.text.includes('ass')) return;
  const { sections, items } = doc;
  // The end of the last section about tests gone over: its subsections are not gone over again.
  let covered = -1;
  for (let s = 0; s < sections.length; s++) {
    const sec = sections[s];
    // The document's own `#` title (`# Phase 2 Validation: Testing & Quality Enhancement`) names no section of the
    // tests. (Its key, in lower case, holds `test` first: performance only.)
    if (sec.level === 1 || sec.bodyStart < covered || !sec.key.includes('test') || !TESTS_TITLE.test(sec.title)) continue;
    covered = sec.end;
    for (let i = lowerBound(items, (it) => it.line < sec.bodyStart); i < items.length && items[i].line < sec.end; i++) {
      if (!failingItem(doc, items[i])) continue;
      if (n++ >= MAX_FAILURE_REPORTS) return;
      reportFailingLine(ctx, items[i].line);
    }
  }
  if (covered >= 0) return;
  for (const item of items) {
    if (!TESTS_LABEL.test(item.text) || !failingItem(doc, item)) continue;
    if (n++ >= MAX_FAILURE_REPORTS) return;
    reportFailingLine(ctx, item.line);
  }
}

/** Whether a checklist item's line counts passed tests beside failures, and names no earlier run. */
function failingItem(doc: ParsedDocument, item: ListItem): boolean {
  if (item.checked === undefined) return false;
  const line = doc.lines[item.line] ?? '';
  return PASSED_COUNT.test(line) && failureIn(line) && !EARLIER_RUN.test(line);
}

/** A count of tests that passed (`249 passed`, `12 tests passing`). */
const PASSED_COUNT = /\b\d+\s+(?:tests?\s+)?(?:passed|passing)\b/i;
/** An item labelled as the tests' (`**Testing**: …`, `Gate 4: Testing — …`, `Tests: …`). */
const TESTS_LABEL = /^\W*(?:gate\b[^A-Za-z]*)?(?:testing|tests?)\b/i;

/** A section about tests (`## Gate 4: Testing`, `## Tests`, `### Test Results`). */
const TESTS_TITLE = /\btest(?:s|ing)?\b/i;

/**
 * `kindSections(doc, kind, title)` (no phase number), the keys that name the section spec remembered per spec
 * (performance only: the rule asks for the same spec in every phase), and a title without `(` never taken for an
 * alias with a note.
 */
export function sectionsNamed(doc: ParsedDocument, kind: DocumentKindSpec | undefined, title: string): Section[] {
  const spec = kind?.sections.find((s) => s.title === title);
  if (!spec) return kindSections(doc, kind, title);
  let named = namedBySpec.get(spec);
  if (!named) namedBySpec.set(spec, (named = namedBy(spec)));
  const out = doc.sections.filter(named);
  if (out.length) return out;
  const labels = labelSections(doc);
  return labels.length ? labels.filter(named) : labels;
}

const namedBySpec = new WeakMap<SectionSpec, (s: Pick<Section, 'key' | 'title'>) => boolean>();

/** Whether a section is named by a section spec (its title or an alias, also with a note), as doc-util reads it for no phase number. */
function namedBy(spec: SectionSpec): (s: Pick<Section, 'key' | 'title'>) => boolean {
  const titles = [spec.title, ...(spec.aliases ?? [])];
  const noted = new Set(titles.map((t) => normalizeTitle(t)));
  const keys = new Set(noted);
  for (const t of titles) keys.add(numberlessKey(t));
  return (s) => {
    if (keys.has(s.key)) return true;
    const key = keyBeforeNote(s.title);
    return key !== undefined && noted.has(key);
  };
}

export const responseRule: Rule = {
  ids: ['missing-tests', 'missing-test-proof', 'failing-test-proof'],
  check(ctx: RuleContext) {
    const { doc, spec } = ctx;
    if (spec?.kind === 'validation') return failingValidationRuns(ctx);
    if (spec?.kind !== 'response') return;

    // Every section that counts as the Tests (or the Execution Proof) is read, as one: a response may hold
    // `## Execution Proof` and `## Test Execution Proof`, and a failing run in either fails the gate.
    const testSections = sectionsNamed(doc, spec, 'Tests');
    const proofSections = sectionsNamed(doc, spec, 'Execution Proof');
    const inAny = (secs: Section[], line: number) => secs.some((sec) => inSection(sec, line));
    const tests = testSections[0];
    // A missing section is also a missing-section (whose fix inserts it); this id fails the phase's Tests/Proof gate.
    if (!tests) {
      ctx.report('missing-tests', titleRange(doc), 'The response has no "## Tests" section: list the unit and integration tests written for this phase.');
    } else {
      const items = [...new Set(testSections.flatMap((sec) => itemsWithin(doc, sec)))].filter((it) => it.text.trim() !== '');
      const tableRows = doc.tables.filter((t) => inAny(testSections, t.line)).flatMap((t) => t.rows);
      const rows = tableRows.map((r) => r.cells.map((c) => c.text).join(' '));
      // In one "Tests and Execution Proof" section the code blocks are the proof: the tests are its items and rows.
      const testsOnly = testSections.filter((sec) => !proofSections.includes(sec));
      const code = doc.codeBlocks.filter((cb) => inAny(testsOnly, cb.line) && cb.content.trim() !== '').map((cb) => cb.content);
      // A bold label's own line may name the tests (`- **Tests:** test_login, test_logout`).
      const inline = testSections.filter(isLabelSection).flatMap((sec) => inlineParts(sec.inline));
      const written = [...items.map((it) => it.text), ...rows, ...code, ...inline];
      if (written.length === 0) {
        ctx.report('missing-tests', tests.heading.textRange, `Section "${tests.title}" lists no tests: add one item per unit or integration test.`);
      } else if (written.every(onlyPlaceholders)) {
        // Items and rows that are the template's placeholders are unfilled-placeholder's to tell (one problem each
        // line): this one is told only where that rule does not tell each of them (code blocks it does not read).
        const lines = code.length || inline.length ? [] : [...items.map((it) => it.line), ...tableRows.map((r) => r.line)];
        ctx.reportUnlessTold(
          'missing-tests',
          tests.heading.textRange,
          `Section "${tests.title}" holds only the template's placeholders: list the tests written, one item each.`,
          'unfilled-placeholder',
          lines,
          true,
        );
      }
    }

    const proof = proofSections[0];
    if (!proof) {
      ctx.report('missing-test-proof', titleRange(doc), 'The response has no "## Execution Proof" section: paste the test run output in a code block.');
      return;
    }
    const blocks = doc.codeBlocks.filter((cb) => inAny(proofSections, cb.line) && FENCE.test(doc.lines[cb.line] ?? ''));
    if (blocks.length === 0) {
      ctx.report('missing-test-proof', proof.heading.textRange, `Section "${proof.title}" holds no fenced code block with the test run output.`);
      return;
    }
    const lines = blocks.flatMap((cb) => blockLines(doc, cb));
    // A runner's summary or marks, a failure, or a line it prints for one passing test (`test_x PASSED`, `ok 1 - …`).
    if (!lines.some((l) => failureIn(doc.lines[l]) || RUN_OUTPUT.some((re) => re.test(doc.lines[l])) || PASSED_TEST.test(doc.lines[l]))) {
      if (blocks.every((cb) => onlyPlaceholders(cb.content))) {
        ctx.reportPending(
          'missing-test-proof',
          proof.heading.textRange,
          `The execution proof holds only the template's placeholder: paste the output of the test run.`,
        );
      } else {
        ctx.report('missing-test-proof', proof.heading.textRange, 'The execution proof shows no test run output (e.g. "12 passed, 0 failed").');
      }
      return;
    }
    let n = 0;
    for (const l of lines) {
      if (!failureIn(doc.lines[l])) continue;
      if (n++ >= MAX_FAILURE_REPORTS) break;
      ctx.report('failing-test-proof', trimmedRange(doc, l), `The execution proof shows failing tests: "${quotedLine(doc.lines[l])}".`);
    }
  },
};

/** A failing line as a message quotes it: trimmed, and cut at 120 characters with an ellipsis that says so. */
function quotedLine(line: string): string {
  const t = line.trim();
  return t.length > 120 ? `${t.slice(0, 119)}…` : t;
}
