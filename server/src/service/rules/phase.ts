/** Phase and cross-phase rules: tests and proof, deliverables, numbering, handoffs, the project plan, a copy of the previous phase's document, the previous phase's validation. */
import type { Rule } from './rule';
import { responseRule } from './phase-response';
import { deliverablesRule } from './phase-deliverables';
import { numberingRule } from './phase-numbering';
import { handoffRule } from './phase-handoff';
import { planRule } from './phase-plan';
import { unvalidatedHandoffRule } from './phase-predecessor';
import { copiedDocumentRule } from './phase-copied';

export const PHASE_RULES: Rule[] = [responseRule, deliverablesRule, numberingRule, handoffRule, planRule, copiedDocumentRule, unvalidatedHandoffRule];
