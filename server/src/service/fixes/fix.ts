/** The contract of a quick fix: it repairs one diagnostic from the data its rule attached. */
import type { PhasegateService } from '../service';
import type { CodeAction, Diagnostic } from '../types';

/** Returns the action repairing `diag`, or undefined when there is nothing obvious to do. */
export type Fix = (svc: PhasegateService, diag: Diagnostic) => CodeAction | undefined;
