/** Document rules: front matter, placeholders, links and artifact paths, decisions, risks, metrics, gate checklists. */
import type { Rule } from './rule';

export const DOCUMENT_RULES: Rule[] = [];
