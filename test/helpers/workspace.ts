/** Test helpers: an engine over an in-memory workspace, and caret markers for positions. */
import * as path from 'node:path';
import { MemoryFileSystem, PhasegateService, Diagnostic, Position } from '../../server/src/service';
import { loadAssets } from '../../server/src/node/assets';

export const ROOT = '/ws';
export const REPO = path.resolve(__dirname, '..', '..', '..');
export const assets = loadAssets(REPO);

/**
 * A logger that fails the test when a rule or a fix throws: the engine catches and logs such an error, so that
 * without it a rule that throws reads as a rule that finds nothing.
 */
export const loudLogger = {
  log: (m: string) => {
    if (/^(rule|fix) .* failed/.test(m)) throw new Error(m);
  },
};

/** Loads an engine over files given relative to /ws, whose rules and fixes must not throw (loudLogger). */
export async function workspace(files: Record<string, string>, opts: { trusted?: boolean } = {}): Promise<{ svc: PhasegateService; fs: MemoryFileSystem }> {
  const fs = new MemoryFileSystem();
  for (const [p, t] of Object.entries(files)) fs.write(`${ROOT}/${p}`, t);
  const svc = new PhasegateService({ fs, assets, trusted: opts.trusted, logger: loudLogger });
  await svc.load(ROOT);
  return { svc, fs };
}

/** Diagnostics of one file (path relative to /ws), optionally only those of `code`. */
export function diagnosticsOf(svc: PhasegateService, rel: string, code?: string): Diagnostic[] {
  return svc.diagnose(`${ROOT}/${rel}`).filter((d) => code === undefined || d.code === code);
}

/** Removes the first `^` from text and returns its position. */
export function caret(text: string): { text: string; pos: Position } {
  const i = text.indexOf('^');
  if (i < 0) throw new Error('no ^ marker');
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  const character = i - (before.lastIndexOf('\n') + 1);
  return { text: before + text.slice(i + 1), pos: { line, character } };
}
