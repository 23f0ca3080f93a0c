/** Document rules: front matter, placeholders, links and artifact paths, decisions, risks, metrics, gate checklists. */
import type { Rule } from './rule';
import { FRONT_MATTER_RULES } from './doc-frontmatter';
import { PLACEHOLDER_RULES } from './doc-placeholders';
import { LINK_RULES } from './doc-links';
import { ANCHOR_RULES } from './doc-anchors';
import { caseConflictRule } from './doc-case';
import { RATIONALE_RULES } from './doc-rationale';
import { METRIC_RULES } from './doc-metrics';
import { GATE_RULES } from './doc-gates';

export const DOCUMENT_RULES: Rule[] = [
  ...FRONT_MATTER_RULES,
  ...PLACEHOLDER_RULES,
  ...LINK_RULES,
  ...ANCHOR_RULES,
  ...RATIONALE_RULES,
  ...METRIC_RULES,
  ...GATE_RULES,
  caseConflictRule,
];
