// Time slicing for a host that must stay responsive during long work (the language server, with
// `FileSystem.pause`): the engine works synchronously for a slice of a few milliseconds, then awaits the
// host's pause, which lets it answer requests meanwhile.

import { CancellationToken, throwIfCancelled } from './types';

/** The clock of one piece of long work, and its pauses. */
export interface Slicer {
  /** Whether the slice is spent (the clock read at each call). Never without a pause. */
  readonly due: () => boolean;
  /**
   * `due` for a loop whose steps are cheap (one path each): the clock is read at every 256th call since it was last
   * read (by `due` or `tick`), false at the others.
   */
  readonly tick: () => boolean;
  /** Lets the host run (awaits its pause); a cancellation of the token meanwhile throws; then a new slice starts. */
  readonly breathe: () => Promise<void>;
  /** A new slice starts (the work just let the host run by other means: a step that paused on its own). */
  readonly restart: () => void;
}

/** The slicer of a host that does not pause (the CLI): never due, so the work runs in one go; `breathe` resolves at once. */
const NEVER: Slicer = {
  due: () => false,
  tick: () => false,
  breathe: () => Promise.resolve(),
  restart: () => {},
};

/**
 * A slicer that finds the slice spent after `sliceMs` of work and then awaits `pause`; a cancellation of `token`
 * (if given) seen after a pause stops the work there (`CancelledError`). Without `pause`, never due.
 */
export function slicer(pause: (() => Promise<void>) | undefined, sliceMs: number, token?: CancellationToken): Slicer {
  if (!pause) return NEVER;
  let start = Date.now();
  let k = 0;
  const due = () => {
    k = 0;
    return Date.now() - start >= sliceMs;
  };
  return {
    due,
    tick: () => ++k === 256 && due(),
    breathe: async () => {
      await pause();
      throwIfCancelled(token);
      start = Date.now();
    },
    restart: () => {
      start = Date.now();
    },
  };
}
