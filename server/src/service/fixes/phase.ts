/** Quick fixes for the phase rules (complete handoff, mark prerequisite done, …). Keyed by the `fix` field. */
import type { Fix } from './fix';

export const PHASE_FIXES: Record<string, Fix> = {};
