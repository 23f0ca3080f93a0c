/** Helpers of the tests of "Disable … for this line" over many problems at once (test/unit/suppress-*.test.ts). */
import * as assert from 'node:assert/strict';
import { checkTogether, suppressActions, type Diagnostic } from '../../server/src/service';
import * as markdown from '../../server/src/service/markdown';
import { blockShortcuts } from '../../server/src/service/fixes/suppress';
import { loud } from './fuzz';

/** Counts the documents parsed while `fn` runs (of `min` characters or more: the whole document's, not a block's). */
export async function parsesOf(fn: () => Promise<void> | void, min = 0): Promise<number> {
  const m = markdown as { parseDocument: typeof markdown.parseDocument };
  const parse = m.parseDocument;
  let n = 0;
  m.parseDocument = (text) => {
    if (text.length >= min) n++;
    return parse(text);
  };
  try {
    await fn();
  } finally {
    m.parseDocument = parse;
  }
  return n;
}

/** A problem of `code` in `file` on each line given (the rules' problems are not needed: only its line and rule are read). */
export function problemsOn(file: string, lines: number[], code = 'broken-link'): Diagnostic[] {
  return lines.map((line) => ({ file, code, message: 'x', severity: 'error', range: { start: { line, character: 0 }, end: { line, character: 1 } } }));
}

/** `fn` with every trial parsed whole, per rule, as before the shortcuts (the reference the shortcuts are held to). */
export function fullParse<T>(fn: () => T): T {
  blockShortcuts.enabled = false;
  try {
    return fn();
  } finally {
    blockShortcuts.enabled = true;
  }
}

/**
 * Each problem's actions, checked together and with the shortcuts on an engine holding `text` at `file` (relative to
 * the workspace), equal those it gets alone with every trial parsed whole (on an engine of its own: nothing shared).
 */
export async function compareWithFullParse(file: string, text: string, problems: Diagnostic[], label: string): Promise<void> {
  const svc = await loud({ [file]: text });
  const alone = await loud({ [file]: text });
  await checkTogether(svc, problems);
  for (const d of problems) {
    const expected = fullParse(() => suppressActions(alone, d));
    assert.deepEqual(suppressActions(svc, d), expected, `${label}, line ${d.range.start.line} (${d.code}):\n${JSON.stringify(text)}`);
  }
}
