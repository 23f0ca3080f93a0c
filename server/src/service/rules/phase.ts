/** Phase and cross-phase rules: tests and proof, deliverables, numbering, handoffs, the project plan. */
import type { Rule } from './rule';
import { responseRule } from './phase-response';
import { deliverablesRule } from './phase-deliverables';
import { numberingRule } from './phase-numbering';
import { handoffRule } from './phase-handoff';
import { planRule } from './phase-plan';

export const PHASE_RULES: Rule[] = [responseRule, deliverablesRule, numberingRule, handoffRule, planRule];
