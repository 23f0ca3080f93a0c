/**
 * Template rendering. (Skeleton: renders a document from its kind's spec; the Handlebars
 * templates in templates/ replace this.)
 */
import type { PhasegateService } from './service';
import type { DocumentKindSpec } from './layout';
import { expandTitle } from './layout';
import type { Phase } from './workspace';

/** Renders the document of `spec` for `phase`, with the layout's sections and placeholders to fill. */
export function renderKind(svc: PhasegateService, spec: DocumentKindSpec, phase: Phase | undefined): string {
  void svc;
  const n = phase?.number;
  const lines: string[] = [`# ${expandTitle(spec.heading ?? spec.name, n)}`, ''];
  for (const s of spec.sections) {
    lines.push(`## ${expandTitle(s.title, n)}`, '', `[${s.description ?? 'Content'}]`, '');
  }
  return lines.join('\n');
}
