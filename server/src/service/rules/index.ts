/** The rule registry: every rule the engine runs, in a fixed order. */
import type { Rule } from './rule';
import { STRUCTURE_RULES } from './structure';
import { DOCUMENT_RULES } from './document';
import { PHASE_RULES } from './phase';

const RULES: Rule[] = [...STRUCTURE_RULES, ...DOCUMENT_RULES, ...PHASE_RULES];

/** The rules that read other phases' gates come last (see `Rule.readsGates`); the order is otherwise kept. */
export const ALL_RULES: Rule[] = [...RULES.filter((r) => !r.readsGates), ...RULES.filter((r) => r.readsGates)];
