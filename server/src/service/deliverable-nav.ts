/**
 * Navigation between a phase's deliverables and where they are addressed: a deliverable of the prompt (iAI) or the
 * brief (audit) and the lines of the response or of the output handoff's summary and artifacts that address it,
 * matched as the unaddressed-deliverable rule matches them (rules/phase-deliverables.ts). The language server
 * answers Go to Definition and Find References with it, as it does for the two sides of a handoff (handoff-nav.ts).
 */
import { basename } from './host';
import type { HandoffCounterpart } from './handoff-nav';
import { type ParsedDocument, itemIndexAt } from './markdown';
import { ANSWERED_BY, UnitReader, type Wanted, addresses, answerOf, askedOf, deliverable } from './rules/phase-deliverables';
import type { PhasegateService } from './service';
import { type Range, range } from './types';
import { type Phase, phaseDocument, phaseOf } from './workspace';

/** A unit of the answer: what it says, as the rule reads it, and where. */
interface Located {
  reader: UnitReader;
  index: number;
  first: number;
  last: number;
}

/** Every unit of the answer's spans, with its lines, in the order of their lines. */
function unitsIn(doc: ParsedDocument, spans: [number, number][]): Located[] {
  const out: Located[] = [];
  for (const [from, to] of spans) {
    const reader = new UnitReader(doc, from, to);
    for (let i = 0; reader.at(i); i++) {
      const [first, last] = reader.lines(i);
      out.push({ reader, index: i, first, last });
    }
  }
  // A span's items come before its other lines.
  return out.sort((a, b) => a.first - b.first);
}

/** The range that shows a unit: its item's text, or its line without the indentation. */
function unitRange(doc: ParsedDocument, u: Located): Range {
  const item = doc.items[itemIndexAt(doc, u.first)];
  if (item) return item.textRange;
  const src = doc.lines[u.first] ?? '';
  const start = src.length - src.trimStart().length;
  return range(u.first, start, u.first, src.trimEnd().length);
}

/**
 * The deliverable at `line`, `ch`: the item or table row on that line, or, of the parts a label lists on its line, the
 * one at `ch`.
 */
function wantedAt(wanted: Wanted[], line: number, ch: number): Wanted | undefined {
  const on = wanted.filter((w) => (w.item ? w.item.line <= line && line <= w.item.endLine : w.range.start.line === line));
  return on.length > 1 ? on.find((w) => w.range.start.character <= ch && ch <= w.range.end.character) : on[0];
}

/**
 * From a deliverable of the prompt or the brief at `line`, `ch` (`at`: its range): the units of the response, or of
 * the output handoff's summary and artifacts, that address it. From a line of those: the deliverables it addresses.
 * Undefined when the position holds no deliverable and no line that addresses one; `counterparts` is empty when the
 * deliverable is addressed nowhere (or its phase's response or output handoff is not written).
 */
export function deliverableCounterparts(
  svc: PhasegateService,
  path: string,
  line: number,
  ch: number,
): { at: Range; counterparts: HandoffCounterpart[] } | undefined {
  const phase = phaseOf(svc.model, path);
  const doc = svc.getDocument(path);
  const spec = phase?.documents.find((d) => d.path === path)?.spec;
  if (!phase || !doc || !spec || !doc.lines[line]?.trim()) return undefined;
  const read = (p: string) => (p === path ? doc : svc.getDocument(p));
  const answering = ANSWERED_BY[spec.kind];
  if (answering) return fromAsked(svc, phase, answering, read, line, ch);
  const asked = askedOf(phase, spec.kind, read);
  const answer = asked && answerOf(doc, spec, spec.kind, phase);
  if (!asked || !answer) return undefined;
  const u = unitsIn(doc, answer.spans).find((x) => x.first <= line && line <= x.last);
  if (!u) return undefined;
  const said = u.reader.at(u.index)!;
  const counterparts = asked.wanted.filter((w) => addresses(w.text, said)).map((w) => ({ path: asked.path, range: w.range }));
  // A line that addresses no deliverable is no reference to one.
  return counterparts.length ? { at: unitRange(doc, u), counterparts } : undefined;
}

function fromAsked(
  svc: PhasegateService,
  phase: Phase,
  answering: string,
  read: (p: string) => ParsedDocument | undefined,
  line: number,
  ch: number,
): { at: Range; counterparts: HandoffCounterpart[] } | undefined {
  const asked = askedOf(phase, answering, read);
  const w = asked && wantedAt(asked.wanted, line, ch);
  if (!w) return undefined;
  const target = phaseDocument(phase, answering);
  const doc = target && svc.getDocument(target.path);
  const answer = doc && answerOf(doc, target.spec, answering, phase);
  if (!target || !doc || !answer) return { at: w.range, counterparts: [] };
  const d = deliverable(w.text);
  return {
    at: w.range,
    counterparts: unitsIn(doc, answer.spans)
      .filter((u) => addresses(d, u.reader.at(u.index)!))
      .map((u) => ({ path: target.path, range: unitRange(doc, u) })),
  };
}

/** Most lines a deliverable's summary quotes. */
const MAX_QUOTED = 5;

/**
 * What a hover says of the deliverable of the prompt or the brief at `line`, `ch` (Markdown, and the deliverable's
 * range): the lines of the response (or of the output handoff's summary and artifacts) that address it, quoted, or
 * that none does yet. Undefined elsewhere.
 */
export function deliverableSummary(svc: PhasegateService, path: string, line: number, ch: number): { at: Range; text: string } | undefined {
  const phase = phaseOf(svc.model, path);
  const kind = phase?.documents.find((d) => d.path === path)?.spec.kind;
  const answering = kind === undefined ? undefined : ANSWERED_BY[kind];
  const answer = answering && phase ? phaseDocument(phase, answering) : undefined;
  if (!answer) return undefined;
  const found = deliverableCounterparts(svc, path, line, ch);
  if (!found) return undefined;
  const where = answering === 'response' ? 'the response' : "the output handoff's summary or artifacts";
  const file = basename(answer.path);
  if (!found.counterparts.length) {
    const why = svc.getDocument(answer.path) ? '`unaddressed-deliverable` reports it there' : `${file} is not written yet`;
    return { at: found.at, text: `**Deliverable** — not addressed in ${where} (${why}).` };
  }
  const doc = svc.getDocument(answer.path)!;
  const quoted = found.counterparts.slice(0, MAX_QUOTED).map((c) => {
    const src = (doc.lines[c.range.start.line] ?? '').slice(c.range.start.character, c.range.end.character).trim();
    const text = src.length > 100 ? `${src.slice(0, 99)}…` : src;
    return `- line ${c.range.start.line + 1}: ${text}`;
  });
  const more = found.counterparts.length > MAX_QUOTED ? `\n- … ${found.counterparts.length - MAX_QUOTED} more` : '';
  return {
    at: found.at,
    text: `**Deliverable** — addressed in ${where}, \`${file}\` (Go to Definition leads there):\n\n${quoted.join('\n')}${more}`,
  };
}
