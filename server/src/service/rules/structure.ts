/**
 * Structure rules: required documents and folders of a phase, required sections of a
 * document (missing, empty, out of order), a title that names the right phase, and a document
 * too large to read its structure.
 */
import { basename, joinPath, relativePath } from '../host';
import { MAX_PARSE_BYTES, ParsedDocument, Section, bodyStart, headingText, normalizeTitle } from '../markdown';
import { gateChecklistSection, gateListItems, gateTableRow, tailOnly } from '../gates';
import type { DocumentKindSpec, LayoutSpec, SectionSpec } from '../layout';
import { earlierTitle, inSentence, kindHeading, renumberTitle, sectionSpecGate, titleNumbers, titleNumbersWrong, writtenTitle } from '../layout';
import { expandedTitleKey, numberlessKey, specSection, titleNames, titledAsWritten } from './doc-util';
import { decisionSections } from './doc-rationale';
import { isLabelSection } from '../labels';
import { range } from '../types';
import { pathRange } from '../yamlpath';
import type { Rule, RuleContext } from './rule';
import { misaddressedTitle } from './phase-handoff';
import { INPUT_HANDOFF, OUTPUT_HANDOFF, OUT_INPUTS, OUT_PREREQUISITES } from '../handoff';
import { type Phase, phaseName } from '../workspace';
import { PLAN_SECTION, planPhases, planTables, workstreamsOf } from './phase-plan';

/** `a is named in another case`, `a and b are named in another case`, `a, b and c are …` (`suffix` after each name: `/` for a folder). */
function inOtherCase(names: string[], suffix: string): string {
  const n = names.map((x) => x + suffix);
  if (n.length === 1) return `${n[0]} is named in another case`;
  return `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]} are named in another case`;
}

const documents: Rule = {
  ids: ['missing-document', 'missing-folder'],
  withoutModel: true,
  check(ctx: RuleContext) {
    const { phase } = ctx;
    // A folder that cannot be listed has its unreadable-file warning: what it holds is unknown, not missing.
    if (!phase || !ctx.phaseAnchor || phase.unreadable) return;
    const at = range(0, 0, 0, 0);
    // Named when a problem is told (performance only: most phases have none).
    let named: string | undefined;
    const name = () => (named ??= phaseName(phase, true));
    // A document after the last one written, in the layout's order, is one the phase has not come to yet
    // (a prompt awaiting its response, a phase at its execution plan): pending, at most a warning, unless the
    // rule is set to error (phasegate.yaml, the editor's setting). One missing before a document written is a gap.
    // The last required document written: an optional one (a custom layout's notes) says nothing of how far the phase is.
    let last = -1;
    phase.documents.forEach((d, i) => {
      if (d.exists && d.spec.required) last = i;
    });
    const strict = ctx.ruleSetting('missing-document') === 'error';
    phase.documents.forEach((d, i) => {
      if (d.exists || !d.spec.required) return;
      // A folder of the document's name: nothing can be created there until it is moved (no fix).
      const folder = ctx.isFolder(d.path);
      // A file of the name in another case (`00-phase_brief.md`): names match case-sensitively on every system, as
      // in CI on Linux; creating the document would make a second file there, and clash with it where case is ignored (no fix).
      // Two or more such files (`01-input_handoff.md`, `01-Input_Handoff.md`) are all named: one renamed, the other
      // would be beside it (layout-case.ts), to be merged with it.
      const lower = d.path.toLowerCase();
      const cased = folder ? [] : phase.files.filter((f) => f.length === lower.length && f.toLowerCase() === lower);
      const why = folder
        ? `: ${d.spec.file} is a folder, not a file`
        : cased.length
          ? `: ${inOtherCase(
              cased.map((f) => relativePath(phase.folder, f)),
              '',
            )} (file names match case-sensitively on every system, as CI on Linux does); ${cased.length > 1 ? 'merge them into' : 'rename it'} ${d.spec.file}`
          : '';
      const data = folder || cased.length ? undefined : { fix: 'create-document', file: d.path, kind: d.spec.kind, phase: phase.id };
      if (i > last && !strict)
        ctx.reportPending('missing-document', at, `${name()} has no ${inSentence(d.spec.name)} (${d.spec.file})${cased.length ? '' : ' yet'}${why}.`, data);
      else ctx.report('missing-document', at, `${name()} has no ${inSentence(d.spec.name)} (${d.spec.file})${why}.`, data);
    });
    for (const f of phase.layout.folders) {
      const folder = joinPath(phase.folder, f.name);
      if (!f.required || ctx.isFolder(folder)) continue;
      // `Generated artifacts (configs, scripts)` reads on as `for generated artifacts (…)` (an acronym keeps its case).
      const purpose = inSentence(f.purpose);
      // A file where the folder should be: no folder can be created there until it is moved.
      if (ctx.exists(folder)) {
        ctx.report('missing-folder', at, `${name()} has no ${f.name}/ folder, for ${purpose}: ${f.name} is a file, not a folder.`);
        continue;
      }
      // A folder of the name in another case (`03-findings/`): names match case-sensitively on every system, as in
      // CI on Linux; creating the folder would make a second one there, or clash with it where case is ignored (no fix).
      const cased = ctx.foldersInOtherCase(folder);
      if (cased.length) {
        const names = inOtherCase(
          cased.map((c) => relativePath(phase.folder, c)),
          '/',
        );
        ctx.report(
          'missing-folder',
          at,
          `${name()} has no ${f.name}/ folder, for ${purpose}: ${names} (folder names match case-sensitively on every system, as CI on Linux does); ${cased.length > 1 ? 'merge them into' : 'rename it'} ${f.name}.`,
        );
        continue;
      }
      ctx.report('missing-folder', at, `${name()} has no ${f.name}/ folder, for ${purpose}.`, {
        fix: 'create-folder',
        folder,
      });
    }
  },
};

const sections: Rule = {
  ids: ['missing-section', 'empty-section', 'section-order', 'heading-mismatch'],
  // Without the Markdown model only the front matter's phase is checked.
  withoutModel: true,
  check(ctx: RuleContext) {
    const { spec, doc, phase } = ctx;
    if (!spec) return;
    // The heading the layout declares, else the built-in kind's, which its template writes.
    const heading = kindHeading(spec);
    if (!doc.modelled) {
      if (phase) checkFrontMatterPhase(ctx);
      checkFrontMatterTitle(ctx, heading);
      return;
    }
    const n = phase?.number;
    // The sections found, in the spec's order (their ranges made only for a section out of order).
    const found: { title: string; s: Section }[] = [];
    const anchorLine = doc.headings[0]?.line ?? (doc.frontMatter?.terminated ? doc.frontMatter.endLine : 0);
    let prevLine: number | undefined;
    const titled = gateTitledSections(phase?.layout, spec);
    for (let i = 0; i < spec.sections.length; i++) {
      const sec = spec.sections[i];
      const s = kindSection(doc, phase?.layout, spec, sec, n, titled[i] === true);
      if (!s) {
        if (sec.required === false) continue;
        // A gate's checklist written as items labelled with its name (`- [x] **Review**: …`) is the gate's section.
        if (listedGate(doc, phase?.layout, sec)) continue;
        // A plan without a Phase Status section that keeps its phases under top-level status sections (`## Completed`,
        // `## Not Started`) has them there: the plan rule reads those as it reads a Phase Status section.
        if (
          spec.kind === 'plan' &&
          normalizeTitle(sec.title) === normalizeTitle(PLAN_SECTION) &&
          planTables(doc, workstreamsOf(planPhases(ctx.model, ctx.path)))?.byStatus
        )
          continue;
        // Insert after the last present section that precedes this one in the spec.
        // As `new` writes it (a `{N-1}` that names no phase, in phase 0, dropped: see writtenTitle).
        const title = writtenTitle(sec.title, n);
        ctx.report('missing-section', range(anchorLine, 0, anchorLine, (doc.lines[anchorLine] ?? '').length), `Missing section "## ${headingText(title)}".`, {
          fix: 'insert-section',
          title,
          after: prevLine ?? null,
          level: 2,
          kind: spec.kind,
        });
        continue;
      }
      // After a label, below the paragraph or list it is in, which a heading would split (`**Input**:` above `**Output**:`).
      prevLine = isLabelSection(s) ? blockEnd(doc, s.end - 1) : s.end - 1;
      found.push({ title: sec.title, s });
      if (n !== undefined && spec.kind) checkSectionNumbers(ctx, sec, s, n);
      if ((s.nothingWritten ?? s.isEmpty) && sec.required !== false && !sec.allowEmpty) {
        ctx.report('empty-section', s.heading.textRange, `Section "${s.title}" is empty${sec.description ? `: ${writtenTitle(sec.description, n)}` : '.'}`);
      }
    }
    for (let i = 1; i < found.length; i++) {
      if (found[i].s.heading.line < found[i - 1].s.heading.line) {
        ctx.report(
          'section-order',
          found[i].s.heading.textRange,
          `Section "${writtenTitle(found[i].title, n)}" should come after "${writtenTitle(found[i - 1].title, n)}".`,
        );
      }
    }
    if (phase) checkFrontMatterPhase(ctx);
    // A `#` title that reads as the front matter title does (`Phase 3 Validation` in both) is right when that one is.
    const right = checkFrontMatterTitle(ctx, heading);
    if (heading && n !== undefined) {
      const h1 = doc.headings.find((h) => h.level === 1);
      if (h1 && h1.text !== right && titleNumbersWrong(heading, n, h1.text)) {
        // Only the numbers the heading's words name (`Phase 2` of `Phase {N}: `), not a year or a sprint before them.
        const wrong = titleNumbers(heading, n, h1.text).filter((x) => x.value !== x.want);
        // An output handoff addressed to the wrong phase (`# Phase 1 → Phase 3 Handoff`) is handoff-mismatch's
        // (one problem, one report): this rule reports its title only when a number but the target is wrong too.
        const misaddressedOnly =
          spec.kind === OUTPUT_HANDOFF && wrong.every((x) => x.want === n + 1) && misaddressedTitle(doc.lines[h1.line] ?? '', n) !== undefined;
        if (wrong.length && !misaddressedOnly) {
          // As `new` writes it: a `{N-1}` that names no phase (phase 0) dropped (see writtenTitle).
          const want = writtenTitle(heading, n);
          const renumbered = renumberTitle(heading, n, h1.text);
          if (!renumbered.trim())
            // A heading of nothing but that `{N-1}` (`# 3` of `{N-1}`): renumbered, no title would be left.
            ctx.report('heading-mismatch', h1.textRange, noPhaseThere('Title', h1.text, heading, phase!.folder, "the phase's title"));
          else
            // A heading that phase 0 writes as the title alone (`{N-1}: `), or a title that does not hold the
            // heading's words (`# Phase 2 Response: …` of `Phase {N}: `, `# Q-2 review` of `Q{N} review`): the title
            // renumbered, as the fix writes it; else the heading's words (`Phase 2:…`).
            ctx.report(
              'heading-mismatch',
              h1.textRange,
              `Title should read "${shownTitle(want, renumbered)}" in ${basename(phase!.folder)}${earlierly(heading, n, h1.text)}.`,
              {
                fix: 'replace-heading-numbers',
                heading,
                number: n,
              },
            );
        }
      }
    }
  },
};

/** The output handoff's sections addressed to the next phase: handoff-mismatch reports their numbers (one problem, one report). */
const HANDED_TO_NEXT = new Set([normalizeTitle(OUT_INPUTS), normalizeTitle(OUT_PREREQUISITES)]);

/**
 * heading-mismatch on a section whose title names the phase (`## Phase 2 Summary` of `Phase {N} Summary` in phase-3, as
 * an output handoff copied from phase 2's folder keeps it; a custom layout's `Sprint {N} Goals`): its numbers, read as
 * the title's are, must be this phase's. Quick fix: renumber them.
 */
function checkSectionNumbers(ctx: RuleContext, sec: SectionSpec, s: Section, n: number): void {
  // The first of its title and aliases with a `{N}` that names the section (most have none: asked first).
  // In phase 0 also as `new` writes it, or with a number where a `{N-1}` names none (see titleNames).
  let title = sec.title.includes('{N') && titleNames(sec.title, n, s.key) ? sec.title : undefined;
  for (let i = 0; !title && sec.aliases && i < sec.aliases.length; i++) {
    const t = sec.aliases[i];
    if (t.includes('{N') && titleNames(t, n, s.key)) title = t;
  }
  if (!title) return;
  if (isLabelSection(s) || s.heading.level < 2) return;
  if (ctx.spec?.kind === OUTPUT_HANDOFF && HANDED_TO_NEXT.has(s.key)) return;
  const { textRange } = s.heading;
  if (textRange.start.line !== textRange.end.line) return;
  const src = (ctx.doc.lines[textRange.start.line] ?? '').slice(textRange.start.character, textRange.end.character);
  // As `new` writes it: right, also where that is the template as written (`## {N-1}` in phase 0, whose `1` is no number).
  if (!titleNumbersWrong(title, n, src) || src.trim() === writtenTitle(title, n).trim()) return;
  const want = renumberTitle(title, n, src);
  // A title of nothing but a `{N-1}` that names no phase (`## 3` of `{N-1}` in phase 0): renumbered, nothing would be left.
  if (!want.trim()) {
    ctx.report('heading-mismatch', textRange, noPhaseThere('Section', src, title, ctx.phase!.folder, `"${writtenTitle(title, n)}"`));
    return;
  }
  const earlier = earlierly(title, n, src);
  const message = earlier
    ? `Section "${src}" should read "${want}" in ${basename(ctx.phase!.folder)}${earlier}.`
    : `Section "${src}" names another phase than ${basename(ctx.phase!.folder)}: it should read "${want}".`;
  ctx.report('heading-mismatch', textRange, message, {
    fix: 'replace-heading-numbers',
    heading: title,
    number: n,
  });
}

/**
 * heading-mismatch's words for a title (or section) that starts as an earlier `new` wrote the kind's `heading` (its
 * title) in phase `n`, which names no other phase (`Sprints-0` of `Sprints {N-1}-{N}` in phase 0, see earlierTitle):
 * `: "Sprints-0" is how an earlier version of new wrote it`; else nothing.
 */
function earlierly(heading: string, n: number, title: string): string {
  const earlier = earlierTitle(heading, n, title);
  return earlier === undefined ? '' : `: "${earlier}" is how an earlier version of new wrote it`;
}

/**
 * heading-mismatch's message for a number written where phase 0 writes none, in a title (`what`: `Title`, `Section`)
 * whose template (`title`) is nothing but a `{N-1}`: no renumbering leaves a title (no quick fix); `new` writes `written`.
 */
function noPhaseThere(what: string, src: string, title: string, folder: string, written: string): string {
  const name = basename(folder);
  return `${what} "${src}" names another phase than ${name}: its layout titles it ${title.trim()}, the previous phase's number, and ${name} has none (new writes ${written} there).`;
}

/**
 * The section of `doc` that stands for its kind's section `sec`, as this rule finds it: a heading or bold
 * label so named (a gate's checklist is a heading or labelled checklist items, gates.ts, never a bold label
 * line), a gate's checklist under another heading the gate evaluation accepts, or a decisions document's
 * first decision for its log. The editor's heading completion offers the sections not found here.
 */
export function kindSection(
  doc: ParsedDocument,
  layout: LayoutSpec | undefined,
  kind: DocumentKindSpec,
  sec: SectionSpec,
  n: number | undefined,
  titled = gateTitled(layout, sec),
): Section | undefined {
  let s = specSection(doc, sec, n, !titled);
  // Of sections whose titles differ by their numbers alone (`## Sprint 1` and `## Sprint 5` of `Sprint {N-1}` and
  // `Sprint {N}` in sprint 2), one titled as another section of the kind is written in this phase is that one's: this
  // one is the next of them that is no other's (whose number heading-mismatch tells), else missing.
  if (s && n !== undefined && titledAsAnother(kind, sec, s, n)) s = doc.sections.find((x) => x.key === s!.key && !titledAsAnother(kind, sec, x, n));
  // In a phase without a number, sections whose titles differ by their numbers alone are written alike (`## Sprints` of
  // `Sprints {N-1}-{N}` and `Sprints {N-2}-{N-1}`): each is the heading so titled in its turn, the second the second.
  if (s && n === undefined) s = numberlessTurn(doc, kind, sec, s);
  if (s && !claimedByAnother(kind, sec, s, n)) return s;
  return gateSection(doc, layout, sec) ?? decisionLog(doc, kind, sec);
}

/**
 * Of the sections of `kind` that a phase without a number writes alike (their numberless key, `sprints` of `Sprints
 * {N-1}-{N}` and `Sprints {N-2}-{N-1}`), `sec` being the k-th: the k-th heading of `doc` of that key, where `found` (the
 * first, as `sec` finds it) is one; else `found` (fewer such headings than sections: the first is each one's, as before).
 */
function numberlessTurn(doc: ParsedDocument, kind: DocumentKindSpec, sec: SectionSpec, found: Section): Section {
  // Only titles with numbers can be written alike for two sections (performance only).
  if (kind.sections.length < 2 || !sec.title.includes('{')) return found;
  const key = numberlessKey(sec.title);
  if (found.key !== key) return found;
  let k = 0;
  for (const other of kind.sections) {
    if (other === sec) break;
    if (other.title.includes('{') && numberlessKey(other.title) === key) k++;
  }
  if (k === 0) return found;
  const alike = doc.sections.filter((x) => x.key === key);
  return alike[k] ?? found;
}

/** Whether section `s` is titled as `new` writes another section of `kind` than `sec` in phase `n`, numbers and all, and not as it writes `sec`. */
function titledAsAnother(kind: DocumentKindSpec, sec: SectionSpec, s: Section, n: number): boolean {
  // Only a title with numbers can be written for one section and not another of the same key (performance only).
  if (!hasRivalTitles(kind) || (!/\d/.test(s.title) && !sec.title.includes('{N-'))) return false;
  return !titledAsWritten(sec.title, n, s) && kind.sections.some((other) => other !== sec && titledAsWritten(other.title, n, s));
}

/** The shape of a title: its numbers and `{…}` placeholders as `#` (two titles whose written forms can share a key share it). */
const titleShape = (title: string) =>
  title
    .replace(/\{[^{}]*\}|\d+/g, '#')
    .replace(/#+/g, '#')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const rivalTitles = new WeakMap<DocumentKindSpec, boolean>();

/**
 * Whether two sections of `kind` can be titled alike but for their numbers (`Sprint {N-1}` and `Sprint {N}`; a title
 * with `{…}` and another of its shape): only then is a section titled as another's (`titledAsAnother`). None of the
 * built-in layouts' kinds has such sections (performance only: the check is made once per kind).
 */
function hasRivalTitles(kind: DocumentKindSpec): boolean {
  let r = rivalTitles.get(kind);
  if (r === undefined) {
    const templated = new Set<string>();
    const shapes: string[] = [];
    for (const sec of kind.sections)
      for (const t of [sec.title, ...(sec.aliases ?? [])]) {
        shapes.push(titleShape(t));
        if (t.includes('{')) templated.add(titleShape(t));
      }
    r = [...templated].some((t) => shapes.filter((x) => x === t).length > 1);
    rivalTitles.set(kind, r);
  }
  return r;
}

/**
 * Whether the section that `sec` found in phase `n` by another form than its own title or alias as phase `n` writes
 * it (as another phase writes it: `## Sprints 1` of `Sprints {N-1}-{N}` in sprint 1, as phase 0 writes it, or `## S0
 * recap` of `S{N-1} recap` in phase 0, as phase 1 does) is another section of the kind, titled as phase `n` writes that
 * one (`Sprints {N}`, `S{N} recap`): that section's, not this one's (was: told as naming another phase, with a fix that
 * renamed it, where this one is missing).
 */
function claimedByAnother(kind: DocumentKindSpec, sec: SectionSpec, s: Section, n: number | undefined): boolean {
  if (n === undefined || kind.sections.length < 2) return false;
  const own = (spec: SectionSpec) => [spec.title, ...(spec.aliases ?? [])].some((t) => expandedTitleKey(t, n) === s.key);
  return !own(sec) && kind.sections.some((other) => other !== sec && own(other));
}

/** The last line of the paragraph or list that holds `line`: the lines after it up to a blank line or a heading. */
function blockEnd(doc: ParsedDocument, line: number): number {
  const headings = new Set(doc.headings.map((h) => h.line));
  let l = line;
  while (l + 1 < doc.lines.length && doc.lines[l + 1].trim() !== '' && !headings.has(l + 1) && !doc.codeLines.has(l + 1)) l++;
  return l;
}

/**
 * A decisions document's decisions, written without a log section around them (`## Decision 1: Adopt
 * Trivy`, the first one standing for it): the seed asks the file for "key decisions and rationale", no log heading.
 */
function decisionLog(doc: ParsedDocument, kind: DocumentKindSpec, sec: SectionSpec): Section | undefined {
  if (kind.kind !== 'decisions' || normalizeTitle(sec.title) !== 'decision log') return undefined;
  return decisionSections(doc)[0];
}

/** The gate a section spec names (`Gate 5: Review`, or its alias `Review`), if any. */
function specGate(layout: LayoutSpec | undefined, sec: SectionSpec): string | undefined {
  return layout?.gates.length ? sectionSpecGate(layout, sec) : undefined;
}

/**
 * Whether a section spec is a gate's checklist by its own title, as the gate evaluation reads headings
 * (`Gate 5: Review`; in the iAI layout, whose `## Tests` is no checklist, only `Gate 2: Tests`), not through
 * an alias (`Tests` of `Tests Required`).
 */
function gateTitled(layout: LayoutSpec | undefined, sec: SectionSpec): boolean {
  if (!layout?.gates.length) return false;
  let known = gateTitles.get(layout);
  if (!known) gateTitles.set(layout, (known = new WeakMap()));
  let titled = known.get(sec);
  if (titled === undefined) {
    const asHeading = { key: normalizeTitle(sec.title), title: sec.title } as Section;
    titled = layout.gates.some((g) => gateChecklistSection(layout, [asHeading], g.name) !== undefined);
    known.set(sec, titled);
  }
  return titled;
}

/** gateTitled's answers by layout and section spec (performance only: every document asks for each of its kind's sections). */
const gateTitles = new WeakMap<LayoutSpec, WeakMap<SectionSpec, boolean>>();

/**
 * gateTitled of each section spec of `kind`, in its order (none without gates), remembered by layout and kind
 * (performance only: asked once per document, not once per section).
 */
function gateTitledSections(layout: LayoutSpec | undefined, kind: DocumentKindSpec): readonly boolean[] {
  if (!layout?.gates.length) return [];
  let known = gateTitledKinds.get(layout);
  if (!known) gateTitledKinds.set(layout, (known = new WeakMap()));
  let titled = known.get(kind);
  if (!titled || titled.length !== kind.sections.length) known.set(kind, (titled = kind.sections.map((s) => gateTitled(layout, s))));
  return titled;
}

const gateTitledKinds = new WeakMap<LayoutSpec, WeakMap<DocumentKindSpec, boolean[]>>();

/**
 * Whether `doc` writes the checklist of the gate a section spec names as a list (`gateListItems`), or the gate
 * as a row of a gates table (`gateTableRow`): the gate's section is then not missing.
 */
export function listedGate(doc: ParsedDocument, layout: LayoutSpec | undefined, sec: SectionSpec): boolean {
  const gate = specGate(layout, sec);
  // Also a row of a gates table: the gate is written there (gate-item-unchecked says it needs boxes), not missing.
  return gate !== undefined && (gateListItems(layout!, doc, gate).length > 0 || gateTableRow(layout!, doc, gate) !== undefined);
}

/**
 * The checklist of the gate a section spec names (`Gate 5: Review`, or its alias `Review`), found as the
 * gate evaluation finds it: also a heading that ends with the gate's name (`## Peer Review`). Other
 * sections are found by their own title or aliases only.
 */
function gateSection(doc: ParsedDocument, layout: LayoutSpec | undefined, sec: SectionSpec): Section | undefined {
  const gate = specGate(layout, sec);
  const s = gate === undefined ? undefined : gateChecklistSection(layout!, doc.sections, gate);
  // As the gate evaluation reads it (findGateChecklist): items labelled with the gate win over a heading
  // that only ends with its name.
  if (s && tailOnly(layout!, s, gate!) && gateListItems(layout!, doc, gate!).length) return undefined;
  return s;
}

/** A front matter value that names a phase by its number (`3`, `phase-3`, `Phase 3`): the word before it, and the number. */
const PHASE_NUMBER_VALUE = /^((?:phase[\s_-]*)?)(\d+)$/i;

/** The phase a front matter `phase` value names: a number (`3`, `phase-3`, `Phase 3`), else another phase's id. */
function namedPhase(phases: readonly Phase[], value: string): { number: number } | { id: string } | undefined {
  const m = PHASE_NUMBER_VALUE.exec(value);
  if (m) return { number: Number(m[2]) };
  const other = phases.find((p) => p.id.toLowerCase() === value.toLowerCase() || p.folder.toLowerCase().endsWith('/' + value.toLowerCase()));
  return other ? { id: other.id } : undefined;
}

/**
 * A front matter value (`phase`, an input handoff's `from`) that names another phase than `want`, as written
 * (trimmed); undefined for one that names `want`, or no phase (`phases`: the workspace's, by id or folder).
 */
export function otherPhaseValue(phases: readonly Phase[], raw: unknown, want: Phase): string | undefined {
  // A whole number that is `want`'s, as most front matter writes it (`phase: 3`), names it: what the reading below
  // finds too, without its strings (performance only; a phase without a number takes any number).
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 && (want.number === undefined || raw === want.number)) return undefined;
  if (typeof raw !== 'number' && typeof raw !== 'string') return undefined;
  const value = String(raw).trim();
  const own = value.toLowerCase();
  if (own === want.id.toLowerCase() || own === basename(want.folder).toLowerCase()) return undefined;
  const named = namedPhase(phases, value);
  if (!named) return undefined;
  if ('number' in named ? want.number === undefined || named.number === want.number : named.id === want.id) return undefined;
  return value;
}

/**
 * heading-mismatch on the front matter: its `phase` names another phase than the one the document is
 * in (by number, or by another phase's id or folder), or an input handoff's `from` another phase than the
 * one before. A value that names no phase is left alone.
 */
function checkFrontMatterPhase(ctx: RuleContext): void {
  const { doc, phase } = ctx;
  const fm = doc.frontMatter;
  if (!phase || !fm?.terminated || fm.errors.length || !fm.data || typeof fm.data !== 'object' || Array.isArray(fm.data)) return;
  const data = fm.data as Record<string, unknown>;
  const wrong = (raw: unknown, want: Phase) => otherPhaseValue(ctx.model.phases, raw, want);
  /** Reports `key`'s value, which names another phase than `right`: `message` says what it should be. */
  const report = (key: string, value: string, right: Phase, message: (want: string) => string) => {
    const r = fm.yaml ? pathRange(fm.yaml, doc.lines, 1, fm.raw, `/${key}`) : undefined;
    if (!r || r.start.line !== r.end.line) return;
    const old = (doc.lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
    const want = inStyleOf(value, right, old);
    ctx.report('heading-mismatch', r, message(want), { fix: 'replace-front-matter-phase', key, old, value: want });
  };
  const value = wrong(data.phase, phase);
  if (value !== undefined)
    report(
      'phase',
      value,
      phase,
      (want) => `Front matter names ${phaseName({ id: value })}, but the document is in ${basename(phase.folder)}: \`phase\` should be ${want}.`,
    );
  // An input handoff's `from`, the phase its inputs come from: the phase before (an input handoff copied from another
  // phase's folder names the phase before that one).
  const prev = phase.prev;
  const from = ctx.spec?.kind === INPUT_HANDOFF && prev ? wrong(data.from, prev) : undefined;
  if (from !== undefined)
    report(
      'from',
      from,
      prev!,
      (want) =>
        `Front matter says the inputs come from ${phaseName({ id: from })}, but ${basename(phase.folder)} follows ${basename(prev!.folder)}: \`from\` should be ${want}.`,
    );
}

/**
 * The value that names `want` as `value` names a phase: by its number where `value` is one (`4`, `Phase 4`, `phase_4`:
 * `3`, `Phase 3`, `phase_3`, as a template that writes `phase: {{phase.number}}` has it), zero padded to the width its
 * digits are written in (`Phase-02`, `phase-02` as a folder `phase-02` is named, `02`, which YAML reads as 2: `Phase-03`,
 * `03`), else by its id (`phase-3`). `written`: the value as the front matter writes it (its quotes and zeros).
 */
function inStyleOf(value: string, want: Phase, written: string): string {
  const m = PHASE_NUMBER_VALUE.exec(value);
  if (!m || want.number === undefined) return want.id;
  // The digits at the written value's end (before a closing quote).
  let end = written.length;
  if (end && (written[end - 1] === '"' || written[end - 1] === "'")) end--;
  let start = end;
  while (start > 0 && written.charCodeAt(start - 1) >= 48 && written.charCodeAt(start - 1) <= 57) start--;
  const width = end - start > 1 && written.charCodeAt(start) === 48 ? end - start : 0;
  return `${m[1]}${String(want.number).padStart(width, '0')}`;
}

/**
 * heading-mismatch on the front matter `title` (`title: "Phase 2: Testing"` in phase-3, a phase folder copied
 * from phase 2): its numbers read as the title heading's are (the kind's `heading`, `titleNumbers`), ranged
 * from its first wrong number to its last, in the value as written (its quotes and style kept by the fix).
 * A title written over several lines, or whose numbers are written otherwise than read (escapes), is left alone.
 * `heading`: the document kind's (kindHeading). Returns the title when it was read and names no wrong number.
 */
function checkFrontMatterTitle(ctx: RuleContext, heading: string | undefined): string | undefined {
  const { doc, phase } = ctx;
  const n = phase?.number;
  const fm = doc.frontMatter;
  if (!heading || n === undefined || !fm?.terminated || fm.errors.length) return;
  if (!fm.data || typeof fm.data !== 'object' || Array.isArray(fm.data)) return;
  const title = (fm.data as Record<string, unknown>).title;
  if (typeof title !== 'string') return;
  if (!titleNumbersWrong(heading, n, title)) return title;
  // The YAML document (the full parse, which flat front matter is read without) only for a title that is wrong.
  if (!fm.yaml) return;
  const r = pathRange(fm.yaml, doc.lines, 1, fm.raw, '/title');
  if (!r || r.start.line !== r.end.line) return;
  const src = (doc.lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  // Read after an opening quote, where the title starts (a number dropped there goes with the blanks after it).
  const quote = /^["']/.test(src) ? 1 : 0;
  const found = titleNumbers(heading, n, src.slice(quote)).map((x) => ({ ...x, start: x.start + quote, end: x.end + quote }));
  const wrong = found.filter((x) => x.value !== x.want);
  if (!wrong.length) return;
  const from = wrong[0].start;
  const to = wrong[wrong.length - 1].end;
  let value = src.slice(from, to);
  for (let i = wrong.length - 1; i >= 0; i--) value = value.slice(0, wrong[i].start - from) + wrong[i].written + value.slice(wrong[i].end - from);
  const want = renumberTitle(heading, n, title);
  // A title of nothing but a `{N-1}` that names no phase (`title: "3"` of `{N-1}` in phase 0): renumbered, nothing is left.
  if (!want.trim()) {
    ctx.report(
      'heading-mismatch',
      range(r.start.line, r.start.character + from, r.start.line, r.start.character + to),
      noPhaseThere('Front matter title', title, heading, phase!.folder, "the phase's title"),
    );
    return;
  }
  ctx.report(
    'heading-mismatch',
    range(r.start.line, r.start.character + from, r.start.line, r.start.character + to),
    earlierTitle(heading, n, title) === undefined
      ? `Front matter title "${title}" names another phase than ${basename(phase!.folder)}: it should read "${want}".`
      : `Front matter title "${title}" should read "${want}" in ${basename(phase!.folder)}${earlierly(heading, n, title)}.`,
    { fix: 'replace-front-matter-title-numbers', old: src.slice(from, to), value },
  );
}

/**
 * A document too large for the Markdown model (`ParsedDocument.modelled`), said once: the rules that read
 * its structure do not check it, rather than report the sections they could not read as missing.
 */
const tooLarge: Rule = {
  ids: ['document-too-large'],
  withoutModel: true,
  check(ctx: RuleContext) {
    const { doc } = ctx;
    if (doc.modelled || doc.text.length <= MAX_PARSE_BYTES) return;
    const line = Math.min(bodyStart(doc), doc.lines.length - 1);
    ctx.report(
      'document-too-large',
      range(line, 0, line, (doc.lines[line] ?? '').length),
      `This document is too large to check its structure (${doc.text.length} characters; at most ${MAX_PARSE_BYTES} are read as Markdown): ` +
        'its sections, lists, links, tables and code blocks are not checked, nor what other documents take from it. Its front matter is.',
    );
  },
};

export const STRUCTURE_RULES: Rule[] = [documents, sections, tooLarge];

/**
 * How a heading-mismatch message shows the title wanted: the heading's words (`Phase 2:…`) when the renumbered title
 * holds them (`Build Phase 2: CI`), else the renumbered title whole, as the fix writes it (`Phase 1 Response: Source
 * control`, not `Phase 1:…`, which reads as dropping `Response`; `Q-5 review: Kickoff`, not `Q5 review:…`).
 */
function shownTitle(want: string, renumbered: string): string {
  const title = renumbered.trim();
  if (want.includes('{N')) return title;
  const words = want.trim();
  return title.includes(words) ? `${words}…` : title;
}
