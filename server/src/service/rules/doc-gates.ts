/**
 * Gate checklists of the validation document: every item checked, every checked item citing its
 * evidence (the same test the gate evaluation uses, `hasEvidence`).
 */
import { hasEvidence } from '../gates';
import type { Section } from '../markdown';
import { gateSection } from '../gates';
import type { Rule, RuleContext } from './rule';

/** The gate sections of a document: the layout's gates by name (`## Gate 2: Quality`), and any other `## Gate …`. */
function gateSections(ctx: RuleContext): { section: Section; name: string }[] {
  const { doc } = ctx;
  const out = new Map<Section, string>();
  for (const g of ctx.layout?.gates ?? []) {
    const s = gateSection(doc.sections, g.name);
    if (s && !out.has(s)) out.set(s, g.name);
  }
  for (const s of doc.sections) {
    if (out.has(s) || !/^gate\b/.test(s.key)) continue;
    out.set(s, s.title.replace(/^gate\s*\d*\s*[:.)-]?\s*/i, '') || s.title);
  }
  return [...out].map(([section, name]) => ({ section, name }));
}

const gateItems: Rule = {
  ids: ['gate-item-unchecked', 'gate-item-no-evidence'],
  check(ctx: RuleContext) {
    if (ctx.spec?.kind !== 'validation') return;
    const { doc } = ctx;
    const seen = new Set<number>();
    for (const { section, name } of gateSections(ctx)) {
      for (const item of doc.items) {
        if (item.line <= section.heading.line || item.line >= section.end || item.checked === undefined || seen.has(item.line)) continue;
        seen.add(item.line);
        if (!item.checked) {
          ctx.report('gate-item-unchecked', item.checkboxRange ?? item.range, `${name} gate: "${item.text}" is not checked.`);
        } else if (!hasEvidence(item)) {
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
