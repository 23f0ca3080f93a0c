/**
 * Phase N+1 takes its inputs from a validated phase N: its input handoff is reported while phase N's
 * gates have not all passed ("each phase must pass validation before handoff").
 */
import { INPUT_HANDOFF, IN_SOURCE, inputSection } from '../handoff';
import type { Rule, RuleContext } from './rule';
import { phaseName } from '../workspace';
import { titleRange } from './phase-response';

export const UNVALIDATED_HANDOFF = 'unvalidated-handoff';

/**
 * No gate may answer for this rule (config.ts refuses it in a custom layout's `failOn`): phase N+1's
 * gates would then wait for phase N's, which wait for phase N-1's, and one held phase would hold every
 * later one. Not answering for it, a phase's gates never depend on the previous phase's: evaluating
 * them from here reads phase N's documents and phase N-1's output handoff, never this document again.
 */
export const unvalidatedHandoffRule: Rule = {
  ids: [UNVALIDATED_HANDOFF],
  // Whether phase N passed does not depend on this document's structure: a document too large to model is told too.
  withoutModel: true,
  readsGates: true,
  check(ctx: RuleContext) {
    const { doc, phase } = ctx;
    const prev = phase?.prev;
    if (ctx.spec?.kind !== INPUT_HANDOFF || !prev || !ctx.gates || ctx.ruleSetting(UNVALIDATED_HANDOFF) === 'off') return;
    const gates = ctx.gates(prev);
    const failed = gates.filter((g) => g.status === 'failed').map((g) => g.name);
    const pending = gates.filter((g) => g.status === 'pending').map((g) => g.name);
    // A layout without gates (gates: []) has nothing to pass.
    if (!failed.length && !pending.length) return;
    const how = [failed.length ? `${failed.join(', ')} failed` : '', pending.length ? `${pending.join(', ')} pending` : ''].filter((s) => s).join('; ');
    const source = inputSection(doc, IN_SOURCE, phase!.number);
    ctx.report(
      UNVALIDATED_HANDOFF,
      source ? source.heading.textRange : titleRange(doc),
      `${phaseName(prev, true)} has not passed validation (${how}): its handoff is not final.`,
    );
  },
};
