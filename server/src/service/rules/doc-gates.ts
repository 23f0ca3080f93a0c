/**
 * Gate checklists: every item checked, every checked item citing its evidence (the same test the gate
 * evaluation uses, `hasEvidence`). The checklists are the ones the gate evaluation reads (`gateChecklist`),
 * in whatever document of the phase they are, so that each item that keeps a gate pending is reported; and
 * in the validation checklist, any other `## Gate …` section too.
 */
import { gateChecklist, gateChecklistSection, hasEvidence } from '../gates';
import { Section, itemsWithin } from '../markdown';
import type { Rule, RuleContext } from './rule';

/** The gate checklists of the document being checked, with the name of their gate. */
function gateSections(ctx: RuleContext): { section: Section; name: string }[] {
  const { doc, phase, spec } = ctx;
  const out = new Map<Section, string>();
  if (!phase || !spec || !phase.documents.some((d) => d.path === ctx.path)) return [];
  if (phase.layout.name === 'audit' && spec.kind !== 'validation') return [];
  const get = (p: string) => (p === ctx.path ? doc : ctx.getDocument(p));
  for (const g of phase.layout.gates) {
    // Only a document with a section for the gate can hold its checklist: the others are not read (performance only).
    if (!gateChecklistSection(phase.layout, doc.sections, g.name)) continue;
    const at = gateChecklist(phase, g, get);
    if (at?.path === ctx.path && !out.has(at.section)) out.set(at.section, g.name);
  }
  if (spec.kind === 'validation') {
    for (const s of doc.sections) {
      if (out.has(s) || !/^gate\b/.test(s.key)) continue;
      out.set(s, s.title.replace(/^gate\s*\d*\s*[:.)-]?\s*/i, '') || s.title);
    }
  }
  return [...out].map(([section, name]) => ({ section, name }));
}

const gateItems: Rule = {
  ids: ['gate-item-unchecked', 'gate-item-no-evidence'],
  check(ctx: RuleContext) {
    const seen = new Set<number>();
    for (const { section, name } of gateSections(ctx)) {
      for (const item of itemsWithin(ctx.doc, section)) {
        if (item.checked === undefined || seen.has(item.line)) continue;
        seen.add(item.line);
        if (!item.checked) {
          ctx.report('gate-item-unchecked', item.checkboxRange ?? item.range, `${name} gate: "${item.text}" is not checked.`);
        } else if (!hasEvidence(item, ctx.doc)) {
          ctx.report(
            'gate-item-no-evidence',
            item.textRange,
            `${name} gate: "${item.text}" is checked but cites no evidence (add a link, a \`path\` or "Evidence: …").`,
          );
        }
      }
    }
  },
};

export const GATE_RULES: Rule[] = [gateItems];
