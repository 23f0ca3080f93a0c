/** Quick fixes for the document rules. Keyed by the `fix` field of a diagnostic's data. */
import type { Fix } from './fix';

export const DOCUMENT_FIXES: Record<string, Fix> = {};
