/**
 * Navigation between the two sides of a handoff: an item of phase N+1's input handoff (an input received, a
 * prerequisite, an open question) and the item of phase N's output handoff it comes from, matched as the
 * handoff-mismatch and prerequisite-unmet rules match them (rules/phase-handoff.ts). The language server answers
 * Go to Definition and Find References with it.
 */
import { dirname } from './host';
import {
  IN_INPUTS,
  IN_PREREQUISITES,
  IN_QUESTIONS,
  INPUT_HANDOFF,
  OUTPUT_HANDOFF,
  type HandoffItem,
  type HandoffPair,
  handoffItems,
  handoffPair,
  inputSection,
  outputSections,
  pathBases,
  prerequisitesOf,
  sameInput,
  sameStatementKeys,
  textKey,
  topItems,
} from './handoff';
import type { ListItem, ParsedDocument, Section } from './markdown';
import type { PhasegateService } from './service';
import type { Range } from './types';
import { type Phase, phaseOf } from './workspace';

/** An item of the other side of a handoff: the document it is in and the range of its text. */
export interface HandoffCounterpart {
  path: string;
  range: Range;
}

/** What a handoff passes, on one side: the items of each kind, as the rules read them. */
interface Side {
  inputs: HandoffItem[];
  prerequisites: ListItem[];
  questions: ListItem[];
}

/** The output handoff's items for the next phase (its "Phase N+1 Inputs", "Phase N+1 Prerequisites", "Open Questions"). */
function outputSide(svc: PhasegateService, pair: HandoffPair): Side {
  const out = outputSections(pair);
  return {
    inputs: handoffItems(pair.out, out.inputs, dirname(pair.outPath), pathBases(svc.model.root, pair.prev), true),
    prerequisites: prerequisitesOf(pair.out, out.prerequisites).map((p) => p.item),
    questions: topItems(pair.out, out.questions),
  };
}

/** The input handoff's items ("Inputs Received", "Prerequisites", "Open Questions"). */
function inputSide(svc: PhasegateService, doc: ParsedDocument, path: string, phase: Phase): Side {
  const sec = (title: string): Section | undefined => inputSection(doc, title, phase.number);
  return {
    inputs: handoffItems(doc, sec(IN_INPUTS), dirname(path), pathBases(svc.model.root, phase), true),
    prerequisites: prerequisitesOf(doc, sec(IN_PREREQUISITES)).map((p) => p.item),
    questions: topItems(doc, sec(IN_QUESTIONS)),
  };
}

const holds = (it: ListItem, line: number): boolean => it.line <= line && line <= it.endLine;

/**
 * The item of `here` at `line` (its text's range), and the items of `there` it matches: an input names the same
 * input (`sameInput`), a prerequisite or an open question states the same thing (`sameStatementKeys`). Undefined
 * when no item is at `line`.
 */
function matches(here: Side, there: Side, line: number): { item: ListItem; matched: ListItem[] } | undefined {
  const input = here.inputs.find((h) => holds(h.item, line));
  if (input) return { item: input.item, matched: there.inputs.filter((t) => sameInput(input, t)).map((t) => t.item) };
  for (const kind of ['prerequisites', 'questions'] as const) {
    const item = here[kind].find((it) => holds(it, line));
    if (!item) continue;
    const key = textKey(item.text);
    return { item, matched: there[kind].filter((t) => sameStatementKeys(key, textKey(t.text))) };
  }
  return undefined;
}

/**
 * The item at `line` of the handoff at `path` (`at`: its text's range), and the items on the other side of the
 * handoff that it matches: from an item of an input handoff, the items of phase N's output handoff that hand it off;
 * from an item of an output handoff, the items of the next phase's input handoff that receive it. Undefined when
 * the line holds no such item, or the document is no handoff with a phase on the other side; `counterparts` is
 * empty when the other handoff is not written or holds no match.
 */
export function handoffCounterparts(svc: PhasegateService, path: string, line: number): { at: Range; counterparts: HandoffCounterpart[] } | undefined {
  const phase = phaseOf(svc.model, path);
  const doc = svc.getDocument(path);
  const kind = phase?.documents.find((d) => d.path === path)?.spec.kind;
  // A blank line after an item is no part of it (a loose list's item runs to the next one).
  if (!phase || !doc || !doc.lines[line]?.trim()) return undefined;
  const read = (p: string) => (p === path ? doc : svc.getDocument(p));
  let found: { item: ListItem; matched: ListItem[] } | undefined;
  let other: string;
  if (kind === INPUT_HANDOFF) {
    const pair = handoffPair(phase, read);
    if (!pair || pair.inPath !== path) return undefined;
    found = matches(inputSide(svc, doc, path, phase), outputSide(svc, pair), line);
    other = pair.outPath;
  } else if (kind === OUTPUT_HANDOFF && phase.next) {
    const pair = handoffPair(phase.next, read);
    if (!pair || pair.outPath !== path) return undefined;
    const empty: Side = { inputs: [], prerequisites: [], questions: [] };
    found = matches(outputSide(svc, pair), pair.input ? inputSide(svc, pair.input, pair.inPath, pair.next) : empty, line);
    other = pair.inPath;
  } else return undefined;
  return found && { at: found.item.textRange, counterparts: found.matched.map((it) => ({ path: other, range: it.textRange })) };
}
