/**
 * case-conflict: a checked document beside a file whose name differs from its own only in case (`findings/Scan.md`
 * beside `findings/scan.md`). Linux, and CI there, keeps both; on Windows and macOS the two are one file, and a clone
 * or checkout there keeps one of them. A layout's own name in another case beside the right one
 * (`01-Input_Handoff.md` beside `01-INPUT_HANDOFF.md`) is told at that file by its own warning (layout-case.ts).
 */
import { basename } from '../host';
import { range } from '../types';
import type { Rule, RuleContext } from './rule';

export const caseConflictRule: Rule = {
  ids: ['case-conflict'],
  withoutModel: true,
  check(ctx: RuleContext) {
    const others = ctx.filesInOtherCase(ctx.path);
    if (!others.length) return;
    const first = ctx.doc.lines[0] ?? '';
    const names = others.map((o) => `"${basename(o)}"`).join(', ');
    ctx.report(
      'case-conflict',
      range(0, 0, 0, first.length),
      `"${basename(ctx.path)}" and ${names} differ only in case: Linux, and CI there, keeps both, but on Windows and macOS they are one file, and a clone there keeps one of them; rename or merge them.`,
    );
  },
};
