/**
 * `phasegate check --fix`: applies to each file the PATHs cover the fixes its editor's *Fix all*
 * applies (`fixAll`: the quick fixes that edit only that file and create none), again while a pass
 * still changes something (a fix can make another one possible, also in the next phase's file), then
 * checks what is left. A file is written only when it is still the text the fixes were made for. A
 * file that cannot be written is named on stderr with the reason, left as it is, and checked as it
 * is: the other files are fixed all the same.
 */
import { applyEdits, fixAll } from '../service/actions';
import { relativePath } from '../service/host';
import type { Diagnostic } from '../service/types';
import type { CliContext } from './main';
import { Workspace, coverage } from './targets';

/** Passes over the files at most: each fixes what the previous made fixable; a fix that keeps offering itself stops here. */
const MAX_PASSES = 10;

export interface FixedFile {
  file: string;
  /** Rule ids of the problems fixed, in order of first appearance. */
  codes: Set<string>;
}

/** The reason an error gives, in one line: `permission denied (EACCES)` for a Node error, else its first line. */
export function reasonOf(e: unknown): string {
  const message = String((e as Error)?.message ?? e).split('\n')[0];
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string') return message;
  // Node's `EACCES: permission denied, open '/path'`: the path is named already.
  const m = new RegExp(`^${code}: (.*?)(?:, \\w+ '[^']*'(?: -> '[^']*')?)?$`).exec(message);
  return m ? `${m[1]} (${code})` : message;
}

export async function applyFixes(ctx: CliContext, workspaces: Workspace[]): Promise<FixedFile[]> {
  const update = ctx.fs.updateFile?.bind(ctx.fs);
  if (!update) throw new Error('this file system cannot write files');
  const fixed = new Map<string, FixedFile>();
  /** Files not to be written again: a write failed. */
  const skipped = new Set<string>();
  const notWritten = (file: string, why: string) => {
    skipped.add(file);
    ctx.stderr.write(`phasegate: ${relativePath(ctx.cwd, file)} ${why}\n`);
  };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changed = false;
    for (const ws of workspaces) {
      const covers = coverage(workspaces, ws);
      for (const file of ws.svc.checkedFiles()) {
        if (skipped.has(file) || !covers.diagnostic({ file, code: '' } as Diagnostic)) continue;
        const action = fixAll(ws.svc, file);
        const seen = ws.svc.getText(file);
        if (!action || seen === undefined) continue;
        const edits = action.change.edits.flatMap((e) => (e.file === file ? e.edits : []));
        const next = applyEdits(seen, edits);
        if (next === seen) continue;
        let written: boolean;
        try {
          // Only over the text the fixes were computed for: a file changed meanwhile is left as it is.
          written = await update(file, (now) => (now === seen ? next : undefined));
        } catch (e) {
          notWritten(file, `could not be written: ${reasonOf(e)}`);
          continue;
        }
        if (!written) continue;
        ws.svc.setOverlay(file, next);
        changed = true;
        const entry = fixed.get(file) ?? { file, codes: new Set<string>() };
        for (const code of action.codes) entry.codes.add(code);
        fixed.set(file, entry);
      }
    }
    if (!changed) break;
  }
  return [...fixed.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
