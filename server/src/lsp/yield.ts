import { slicer } from '../service/slicer';

/**
 * Cooperative time slicing: long loops call the returned function often. Every `ms` it returns a
 * promise that yields to the event loop once; otherwise undefined, so that a loop over many cheap
 * items can skip the await (`const y = slice(); if (y) await y;`, performance only: an await per item
 * costs more than the item itself when its result is cached).
 */
export function timeSlicer(ms = 15): () => Promise<void> | undefined {
  const slices = slicer(yieldOnce, ms);
  return () => (slices.due() ? slices.breathe() : undefined);
}

/**
 * How long the answers that check a whole workspace (the phase tree, the workspace diagnostics) work between
 * two turns of the event loop: a request that comes meanwhile takes two or three turns to be read, handled and
 * answered, so each slice counts about three times in how long it waits.
 */
export const ANSWER_SLICE_MS = 5;

/** Lets the event loop run once. */
export function yieldOnce(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
