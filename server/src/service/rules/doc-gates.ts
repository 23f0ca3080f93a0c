/**
 * Gate checklists: every item checked, every checked item citing its evidence (the same test the gate
 * evaluation uses, `hasEvidence`), and a checklist with checkbox items at all. The checklists are the ones
 * the gate evaluation reads (`findGateChecklist`: a section headed as the gate, else the items labelled with
 * its name), in whatever document of the phase they are, so that each item that keeps a gate pending is
 * reported; and in the validation checklist, any other `## Gate …` section too.
 */
import { type GateChecklist, findGateChecklist, gateChecklistSection, gateListItems, gateTableRow, evidenceOf, hasEvidence, withoutBoxesAt } from '../gates';
import { ListItem, Section, itemsWithin } from '../markdown';
import type { Rule, RuleContext } from './rule';

/** The gate checklists of the document being checked, with the name of their gate (and, for a gate's own, where it is). */
function gateChecklists(ctx: RuleContext): { items: ListItem[]; name: string; checklist?: GateChecklist }[] {
  const { doc, phase, spec } = ctx;
  const out: { items: ListItem[]; name: string; checklist?: GateChecklist }[] = [];
  const sections = new Set<Section>();
  if (!phase || !spec || (phase.layout.name === 'audit' && spec.kind !== 'validation')) return [];
  if (!phase.documents.some((d) => d.path === ctx.path)) return [];
  const get = (p: string) => (p === ctx.path ? doc : ctx.getDocument(p));
  for (const g of phase.layout.gates) {
    // Only a document with a section for the gate, or an item labelled with its name, can hold its checklist:
    // the others are not read (performance only).
    if (
      !gateChecklistSection(phase.layout, doc.sections, g.name) &&
      !gateListItems(phase.layout, doc, g.name).length &&
      !gateTableRow(phase.layout, doc, g.name)
    )
      continue;
    const at = findGateChecklist(phase, g, get);
    if (at?.path !== ctx.path || (at.section && sections.has(at.section))) continue;
    if (at.section) sections.add(at.section);
    out.push({ items: at.items, name: g.name, checklist: at });
  }
  if (spec.kind === 'validation') {
    for (const s of doc.sections) {
      if (sections.has(s) || !/^gate\b/.test(s.key)) continue;
      out.push({ items: itemsWithin(doc, s), name: s.title.replace(/^gate\s*\d*\s*[:.)-]?\s*/i, '') || s.title });
    }
  }
  return out;
}

const gateItems: Rule = {
  ids: ['gate-item-unchecked', 'gate-item-no-evidence'],
  check(ctx: RuleContext) {
    const seen = new Set<number>();
    let evidence: ((item: ListItem) => boolean) | undefined;
    for (const { items, name, checklist } of gateChecklists(ctx)) {
      // A gate's checklist without a box keeps the gate pending (its status says so): say it here too. An empty
      // section has its empty-section problem.
      if (checklist?.row) {
        ctx.report(
          'gate-item-unchecked',
          checklist.row,
          `${name} gate: a table row is no checklist, so the gate stays pending. Write the gate as checkbox items, ` +
            `\`- [x] **${name}**: … — Evidence: …\` once done with its evidence (\`- [ ] …\` until then).`,
        );
        continue;
      }
      if (checklist && !items.some((i) => i.checked !== undefined) && !checklist.section?.isEmpty) {
        // The fix writes a box into each of its outermost items (`- ✅ …` → `- [x] …`).
        const depth = Math.min(...items.map((i) => i.depth));
        ctx.report(
          'gate-item-unchecked',
          withoutBoxesAt(checklist),
          `${name} gate: its checklist has no checkbox items, so the gate stays pending. Write each item as a task, \`- [x] …\` ` +
            'once done with its evidence (`- [ ] …` until then).',
          items.length ? { fix: 'add-checkboxes', lines: items.filter((i) => i.depth === depth).map((i) => i.line) } : undefined,
        );
      }
      for (const item of items) {
        if (item.checked === undefined || seen.has(item.line)) continue;
        seen.add(item.line);
        if (!item.checked) {
          // An item that still holds the template's placeholder (`— Evidence: [Evidence]`) is unfilled-placeholder's
          // to tell, one problem on its line: it is told here where that rule tells nothing on the line.
          ctx.reportUnlessTold(
            'gate-item-unchecked',
            item.checkboxRange ?? item.range,
            `${name} gate: "${item.text}" is not checked.`,
            'unfilled-placeholder',
            [item.line],
          );
        } else if (!(evidence ??= evidenceOf(ctx.path, ctx.model.root, (p) => ctx.exists(p), { doc: ctx.doc, model: ctx.model }, ctx.repository))(item)) {
          ctx.report(
            'gate-item-no-evidence',
            item.textRange,
            hasEvidence(item, ctx.doc)
              ? `${name} gate: "${item.text}" is checked but the evidence it links to is not there (broken-link says where).`
              : `${name} gate: "${item.text}" is checked but cites no evidence (add a link, a \`path\` or "Evidence: …").`,
          );
        }
      }
    }
  },
};

export const GATE_RULES: Rule[] = [gateItems];
