/**
 * The bold labels that stand for sections of a document's kind (`**Deliverables**:` above its list,
 * `- **Description:** …`; see service/labels.ts), for the outline, folding and hover: only those the
 * structure rule takes for one of the kind's sections, not every bold label of the document.
 */
import type { DocumentKindSpec, SectionSpec } from '../service/layout';
import type { ParsedDocument } from '../service/markdown';
import { LabelSection, isLabelSection, labelSections } from '../service/labels';
import { kindSection } from '../service/rules/structure';
import type { PhasegateService } from '../service/service';
import { kindOf } from '../service/workspace';

export interface KindLabel {
  section: LabelSection;
  /** The kind's section it stands for. */
  spec: SectionSpec;
  kind: DocumentKindSpec;
  /** The phase number its title's `{N}` reads as. */
  n: number | undefined;
}

/** The labels of `doc` that stand for its kind's sections, as the structure rule finds them (`kindSection`), in document order. */
export function kindLabels(svc: PhasegateService, path: string, doc: ParsedDocument): KindLabel[] {
  // Most documents head their sections: no label to look for (performance only).
  if (!labelSections(doc).length) return [];
  const { phase, spec: kind } = kindOf(svc.model, path);
  if (!kind) return [];
  const n = phase?.number;
  const out: KindLabel[] = [];
  const seen = new Set<number>();
  for (const spec of kind.sections) {
    const s = kindSection(doc, phase?.layout, kind, spec, n);
    if (!s || !isLabelSection(s) || seen.has(s.heading.line)) continue;
    seen.add(s.heading.line);
    out.push({ section: s, spec, kind, n });
  }
  return out.sort((a, b) => a.section.heading.line - b.section.heading.line);
}
