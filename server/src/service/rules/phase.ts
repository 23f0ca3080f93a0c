/** Phase and cross-phase rules: tests and proof, deliverables, numbering, handoffs, the project plan. */
import type { Rule } from './rule';

export const PHASE_RULES: Rule[] = [];
