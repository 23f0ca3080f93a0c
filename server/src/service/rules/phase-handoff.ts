/**
 * Cross-phase rules: phase N+1's input handoff receives exactly what phase N's output
 * handoff hands off (inputs, a source link), confirms its prerequisites, and phase N's
 * output handoff is addressed to phase N+1.
 */
import { normalizeTitle } from '../markdown';
import { basename, dirname, relativePath } from '../host';
import {
  IN_INPUTS,
  IN_PREREQUISITES,
  IN_SOURCE,
  inputSection,
  INPUT_HANDOFF,
  OUTPUT_HANDOFF,
  OUT_INPUTS,
  OUT_PREREQUISITES,
  handoffItems,
  handoffPair,
  isOutputHandoffPath,
  linksTo,
  outputSections,
  pathBases,
  referencesIn,
  refersTo,
  InputIndex,
  StatementIndex,
  sourceLink,
  prerequisitesOf,
} from '../handoff';
import { PLACEHOLDER, textKey } from '../handoff';
import { range } from '../types';
import type { Rule, RuleContext } from './rule';
import { titleRange } from './phase-response';
import { phaseName } from '../workspace';

const H1_ARROW = /Phase\s*(\d+)\s*(?:→|->|-->|⟶|to)\s*(Phase\s*(\d+))/i;

/**
 * The arrow of an output handoff's title line that names phase `n` and then a phase other than `n + 1`
 * (`# Phase 1 → Phase 3 Handoff`): reported by this rule, so heading-mismatch leaves that title alone.
 */
export function misaddressedTitle(line: string, n: number): RegExpExecArray | undefined {
  const m = H1_ARROW.exec(line);
  return m && Number(m[1]) === n && Number(m[3]) !== n + 1 ? m : undefined;
}

/** The output handoff's title must address the next phase: `Phase N → Phase N+1 Handoff`. */
function checkOutputTitle(ctx: RuleContext): void {
  const { doc, phase } = ctx;
  if (!phase || phase.number === undefined) return;
  const h1 = doc.headings.find((h) => h.level === 1);
  if (!h1) return;
  const src = doc.lines[h1.line] ?? '';
  const m = misaddressedTitle(src, phase.number);
  if (!m) return;
  const to = Number(m[3]);
  const want = phase.number + 1;
  const start = m.index + m[0].length - m[2].length;
  const numStart = start + m[2].length - m[3].length;
  ctx.report(
    'handoff-mismatch',
    range(h1.line, start, h1.line, start + m[2].length),
    `Phase ${phase.number} hands off to phase ${want}, not phase ${to}: the title should read "Phase ${phase.number} → Phase ${want} Handoff".`,
    {
      fix: 'renumber-handoff-target',
      number: want,
      line: h1.line,
      start: numStart,
      end: numStart + m[3].length,
    },
  );
}

const SECTION_PHASE = /Phase\s*(\d+)/i;

/** The keys of the output handoff's sections addressed to the next phase, worked out once (performance only). */
let outKeys: readonly string[] | undefined;

/**
 * The output handoff's `## Phase N Inputs` and `## Phase N Prerequisites` must address the next phase too:
 * one numbered for another phase is reported (the next phase would take it all the same), and renumbered.
 */
function checkOutputSections(ctx: RuleContext): void {
  const { doc, phase } = ctx;
  if (!phase || phase.number === undefined) return;
  const want = phase.number + 1;
  const keys = (outKeys ??= [normalizeTitle(OUT_INPUTS), normalizeTitle(OUT_PREREQUISITES)]);
  for (const sec of doc.sections) {
    if (sec.key !== keys[0] && sec.key !== keys[1]) continue;
    const h = sec.heading;
    const { start, end } = h.textRange;
    const src = (doc.lines[h.line] ?? '').slice(start.character, end.character);
    const m = SECTION_PHASE.exec(src);
    if (!m || Number(m[1]) === want) continue;
    const at = start.character + m.index;
    const numStart = at + m[0].length - m[1].length;
    const what = sec.title.slice(m.index + m[0].length).trim() || sec.title;
    ctx.report(
      'handoff-mismatch',
      range(h.line, at, h.line, at + m[0].length),
      `Phase ${phase.number} hands off to phase ${want}, not phase ${m[1]}: the section should read "Phase ${want} ${what}".`,
      { fix: 'renumber-handoff-target', number: want, line: h.line, start: numStart, end: numStart + m[1].length },
    );
  }
}

function checkInputHandoff(ctx: RuleContext): void {
  const { doc, phase } = ctx;
  if (!phase) return;
  const pair = handoffPair(phase, (p) => (p === ctx.path ? doc : ctx.getDocument(p)));
  if (!pair || pair.inPath !== ctx.path) return;
  const prevName = basename(pair.prev.folder);
  // Only messages name the relative path: worked out once, when one is reported (performance only).
  let rel: string | undefined;
  const outRel = () => (rel ??= sourceLink(pair));
  const fix = { fix: 'complete-handoff', phase: phase.id, from: pair.prev.id };
  const folder = dirname(ctx.path);
  const prevFolder = dirname(pair.outPath);
  const bases = pathBases(ctx.model.root, phase);
  const out = outputSections(pair);

  // Source: links phase N's output handoff, not another phase's.
  const source = inputSection(doc, IN_SOURCE, phase.number);
  // A link to it, the reference most sources give, settles it (performance only: the other references are not read).
  if (source && !linksTo(doc, source, folder, bases[0], pair.outPath)) {
    const refs = referencesIn(doc, source, folder, bases);
    if (!refs.some((r) => refersTo(r, pair.outPath))) {
      const wrong = refs.filter((r) => isOutputHandoffPath(r.resolved, phase));
      for (const r of wrong) {
        ctx.report(
          'handoff-mismatch',
          r.range,
          `Source links ${relativePath(folder, r.resolved)}, but ${phaseName(phase)} follows ${prevName}: its inputs come from ${outRel()}.`,
          fix,
        );
      }
      if (!wrong.length) {
        ctx.report('handoff-mismatch', source.heading.textRange, `Source does not reference ${prevName}'s output handoff (${outRel()}).`, fix);
      }
    }
  }

  // Inputs: everything phase N hands off is received; nothing else is claimed as handed off.
  const inputsSec = inputSection(doc, IN_INPUTS, phase.number);
  // A table of inputs (`| Input | Location | Description |`) is read row by row, as a list is item by item.
  const received = handoffItems(doc, inputsSec, folder, bases, true);
  if (out.inputs) {
    const handed = handoffItems(pair.out, out.inputs, prevFolder, pathBases(ctx.model.root, pair.prev), true);
    const at = inputsSec ? inputsSec.heading.textRange : titleRange(doc);
    const receivedIndex = new InputIndex(received);
    for (const h of handed) {
      if (receivedIndex.has(h)) continue;
      const label = h.name ?? h.text.replace(PLACEHOLDER, '').trim();
      ctx.report('handoff-mismatch', at, `Input "${label}" handed off by ${prevName} is missing from "${IN_INPUTS}".`, { ...fix, input: h.text });
    }
    // While phase N's inputs are still a template (no real item), there is nothing to compare against.
    const handedIndex = new InputIndex(handed);
    for (const r of handed.length ? received : []) {
      if (handedIndex.has(r)) continue;
      ctx.report(
        'handoff-mismatch',
        r.item.textRange,
        `"${r.name ?? r.text}" was not handed off by ${prevName} (not in its "${out.inputs.title}"); remove it or add it to ${outRel()}.`,
      );
    }
  }

  // Prerequisites: each one phase N lists is present here and checked.
  if (out.prerequisites) {
    // Items or table rows, on either side (`| Staging provisioned | ✅ Met |`).
    const wanted = prerequisitesOf(pair.out, out.prerequisites)
      .map((p) => p.item)
      // A placeholder needs a `[` (performance only: no replacement without one).
      .filter((it) => textKey(it.text.includes('[') ? it.text.replace(PLACEHOLDER, '') : it.text) !== '');
    const preSec = inputSection(doc, IN_PREREQUISITES, phase.number);
    const received = prerequisitesOf(doc, preSec);
    const have = received.map((p) => p.item);
    const haveIndex = new StatementIndex(have.map((h) => textKey(h.text)));
    const at = preSec ? preSec.heading.textRange : titleRange(doc);
    for (const w of wanted) {
      const i = haveIndex.find(textKey(w.text));
      const found = i >= 0 ? have[i] : undefined;
      const row = i >= 0 ? received[i] : undefined;
      if (!found) {
        ctx.report('prerequisite-unmet', at, `Prerequisite "${w.text}" from ${prevName} is not in "${IN_PREREQUISITES}".`, {
          fix: 'mark-prerequisite-done',
          action: 'add',
          text: w.text,
        });
      } else if (row?.row && !found.checked) {
        // Only the team knows it is met: no fix writes it.
        ctx.report(
          'prerequisite-unmet',
          row.statusRange ?? found.textRange,
          // A row short of the Status cell (`| Staging provisioned |`) is not met; its table has the column.
          row.statusRange || row.statusColumn
            ? `Prerequisite "${found.text}" from ${prevName} is not marked as met.`
            : `Prerequisite "${found.text}" from ${prevName} is not marked as met: its table has no Status column.`,
        );
      } else if (!found.checked) {
        ctx.report('prerequisite-unmet', found.checkboxRange ?? found.textRange, `Prerequisite "${found.text}" from ${prevName} is not checked as met.`, {
          fix: 'mark-prerequisite-done',
          action: 'check',
          line: found.line,
        });
      }
    }
  }
}

export const handoffRule: Rule = {
  ids: ['handoff-mismatch', 'prerequisite-unmet'],
  check(ctx: RuleContext) {
    const kind = ctx.spec?.kind;
    if (kind === OUTPUT_HANDOFF) {
      checkOutputTitle(ctx);
      checkOutputSections(ctx);
    } else if (kind === INPUT_HANDOFF) checkInputHandoff(ctx);
  },
};
