/** What the fuzz tests share: an engine that fails the test when a rule or a fix throws, and line endings. */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { assets, loudLogger, ROOT } from './workspace';

/** An engine over files given relative to /ws whose logger fails the test when a rule or a fix throws (the engine catches and logs them). */
export async function loud(files: Record<string, string>): Promise<PhasegateService> {
  const fs = new MemoryFileSystem();
  for (const [p, t] of Object.entries(files)) fs.write(`${ROOT}/${p}`, t);
  return loudOn(fs);
}

/** The same, loaded from `fs` (whose files a test changes afterwards). */
export async function loudOn(fs: MemoryFileSystem): Promise<PhasegateService> {
  const svc = new PhasegateService({ fs, assets, logger: loudLogger });
  await svc.load(ROOT);
  return svc;
}

/**
 * Mocha's timeout for a property of `runs` runs that each take up to `msPerRun` on a loaded machine (the full suite
 * alongside), never under two minutes: a fixed timeout that a hundred runs keep to is hit at FUZZ_RUNS=4000 (a
 * property's timeout is there to stop a hang, not to time its runs).
 */
export function fuzzTimeout(runs: number, msPerRun: number): number {
  return Math.max(120_000, Math.ceil(runs * msPerRun));
}

/** `text` with every line ending written as `eol`. */
export const withEol = (text: string, eol: string) => text.replace(/\r\n/g, '\n').replace(/\n/g, eol);

/** Strings of 0..maxLength pieces drawn from `pieces`. */
export function textOf(pieces: string[], maxLength = 12): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...pieces), { maxLength }).map((a) => a.join(''));
}

/** Asserts that `fast` and `plain` give the same result on random texts of up to `maxLength` of `pieces` (3,000 of them). */
export function assertAgree<T>(pieces: string[], fast: (t: string) => T, plain: (t: string) => T, maxLength = 12): void {
  fc.assert(
    fc.property(textOf(pieces, maxLength), (t) => assert.equal(fast(t), plain(t), JSON.stringify(t))),
    { numRuns: 3000 },
  );
}

/** What normalizePath is defined as, step by step: slashes for backslashes, runs of slashes as one (but a UNC path's leading `//`), `.` dropped, `..` taking the segment before it (never the root), a bare drive with its `/`. */
export function normalizedStepByStep(p: string): string {
  const s = p.replace(/\\/g, '/');
  const unc = /^\/\/[^/]/.test(s);
  const parts: string[] = [];
  for (const part of s.replace(/\/+/g, '/').split('/')) {
    if (part === '.' || (part === '' && parts.length > 0)) continue;
    if (part === '..' && parts.length > 1) parts.pop();
    else parts.push(part);
  }
  const out = (unc ? '/' : '') + parts.join('/');
  return /^[A-Za-z]:$/.test(out) ? out + '/' : out || '/';
}
