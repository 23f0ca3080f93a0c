/**
 * Globs of phasegate.yaml that miss only by case. Globs match case-sensitively on every system, so that a
 * workspace checked on a file system that ignores case (Windows, macOS) gives the phases and problems that
 * CI on Linux gives: a layout's `phases: "Sprint-*"` does not make `sprint-1` a phase in the editor and not
 * in CI. A glob that misses what it would match ignoring case is reported, as a warning at its value.
 */
import picomatch from 'picomatch';
import type { ResolvedConfig } from './config';
import { ignoreGlobs } from './glob-safety';
import { relativePath } from './host';
import { type Diagnostic, range } from './types';

/** What a case problem needs of the scan: the absolute paths of its files and folders. */
interface Scanned {
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
}

const WHY = 'globs match case-sensitively on every system (as CI on Linux does), also where the file system ignores case (Windows, macOS)';

/** `` `a` `` or `` `a` (and 3 more) ``. */
function named(paths: string[]): string {
  return `\`${paths[0]}\`${paths.length > 1 ? ` (and ${paths.length - 1} more)` : ''}`;
}

/**
 * Paths of `sorted` that lie in none of the others (the outermost folders). Each path's folders are looked up
 * (as many as its depth), not every path kept before it: an `ignore: ["*.MD"]` over 100,000 files kept all of them.
 */
function outermost(sorted: string[]): string[] {
  const out: string[] = [];
  const kept = new Set<string>();
  for (const p of sorted) {
    let inside = false;
    for (let i = p.indexOf('/'); i >= 0 && !inside; i = p.indexOf('/', i + 1)) inside = kept.has(p.slice(0, i));
    if (inside) continue;
    kept.add(p);
    out.push(p);
  }
  return out;
}

/**
 * The config's globs that miss only by case, as `invalid-config` warnings at their values: a layout's
 * `phases` glob that matches no folder but would match some ignoring case, and an `ignore` glob that leaves
 * in files or folders it would match ignoring case (what it matches is not scanned: every match among the
 * scanned paths is one by case alone).
 */
export function globCaseProblems(config: ResolvedConfig, root: string, scan: Scanned): Diagnostic[] {
  const file = config.file;
  const refs = config.globRefs;
  if (file === undefined || !refs?.length) return [];
  const out: Diagnostic[] = [];
  const report = (ref: (typeof refs)[number], message: string) =>
    out.push({ file, range: ref.range ?? range(0, 0, 0, 0), severity: 'warning', code: 'invalid-config', message: `${ref.at}: ${message}` });

  const phases = refs.filter((r) => r.key === 'phases');
  if (phases.length) {
    const dirs: string[] = [];
    for (const d of scan.dirs) {
      const rel = relativePath(config.root, d);
      if (rel !== '.' && !rel.startsWith('..')) dirs.push(rel);
    }
    for (const ref of phases) {
      const exact = picomatch(ref.glob, { dot: false });
      if (dirs.some((d) => exact(d))) continue;
      const nocase = picomatch(ref.glob, { dot: false, nocase: true });
      const near = dirs.filter((d) => nocase(d)).sort();
      if (near.length)
        report(ref, `\`${ref.glob}\` matches no folder, but would match ${named(near)} ignoring case: ${WHY}; write it as the folders are named`);
    }
  }

  const ignore = refs.filter((r) => r.key === 'ignore');
  if (ignore.length) {
    const paths: { rel: string; folder: boolean }[] = [];
    for (const d of scan.dirs) if (d !== root) paths.push({ rel: relativePath(root, d), folder: true });
    for (const f of scan.files) paths.push({ rel: relativePath(root, f), folder: false });
    for (const ref of ignore) {
      const nocase = ignoreGlobs([ref.glob], true);
      const near = outermost(
        paths
          .filter((p) => !p.rel.startsWith('..') && nocase(p.rel, p.folder))
          .map((p) => p.rel)
          .sort(),
      );
      if (near.length)
        report(
          ref,
          `\`${ref.glob}\` does not leave out ${named(near)}, which it would match ignoring case: ${WHY}; write it as the files and folders are named`,
        );
    }
  }
  return out;
}
