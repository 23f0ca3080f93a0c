/** The rule registry: every rule the engine runs, in a fixed order. */
import type { Rule } from './rule';
import { STRUCTURE_RULES } from './structure';
import { DOCUMENT_RULES } from './document';
import { PHASE_RULES } from './phase';

export const ALL_RULES: Rule[] = [...STRUCTURE_RULES, ...DOCUMENT_RULES, ...PHASE_RULES];
