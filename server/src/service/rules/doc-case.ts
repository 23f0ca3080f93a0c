/**
 * case-conflict: files or folders of one folder whose names differ only in case (`findings/Scan.md` beside
 * `findings/scan.md`, `workstreams/Build/` beside `workstreams/build/`, `phase-1/` beside `Phase-1/`,
 * `04-ARTIFACTS/Deploy.yaml` beside `04-ARTIFACTS/deploy.yaml`). Linux, and CI there, keeps both; on Windows and macOS
 * the two are one file or folder, and a clone or checkout there keeps one of them, or mixes their contents. Each is told
 * once, where the engine says (`PhasegateService.caseConflictsAt`): at a checked document among them, else at the anchor
 * of the phase they are in or hold. A layout's own name in another case beside the right one (`01-Input_Handoff.md`
 * beside `01-INPUT_HANDOFF.md`) is told at that file by its own warning (layout-case.ts).
 */
import { basename, relativePath } from '../host';
import { range } from '../types';
import type { CaseConflict, Rule, RuleContext } from './rule';

/** `"a" and "b"`, `"a", "b" and "c"`. */
function listed(names: string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length === 1 ? q[0] : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** What Windows and macOS make of them, and what to do. */
function consequence(c: CaseConflict): string {
  const files = c.paths.length - c.folders.length;
  if (files && c.folders.length)
    return 'a file and a folder cannot both be named so in one folder, and a clone there leaves one of them out; rename one of them.';
  if (files) return 'they are one file, and a clone there keeps one of them; rename or merge them.';
  return 'they are one folder, and a clone there mixes their contents in it, keeping one file of each name they share; rename or merge them.';
}

export const caseConflictRule: Rule = {
  ids: ['case-conflict'],
  withoutModel: true,
  check(ctx: RuleContext) {
    const conflicts = ctx.caseConflicts(ctx.path);
    if (!conflicts.length) return;
    const first = ctx.doc.lines[0] ?? '';
    const at = range(0, 0, 0, first.length);
    for (const c of conflicts) {
      // At one of them, by their names (they are beside it); else by their paths in the workspace folder.
      const name = (p: string) => (c.own ? basename(p) : relativePath(ctx.model.root, p)) + (c.folders.includes(p) ? '/' : '');
      ctx.report(
        'case-conflict',
        at,
        `${listed(c.paths.map(name))} differ only in case: Linux, and CI there, keeps both, but on Windows and macOS ${consequence(c)}`,
      );
    }
  },
};
