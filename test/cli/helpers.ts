/** CLI test helpers: run `main()` over an in-memory workspace and capture what it prints. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemoryFileSystem } from '../../server/src/service';
import { CliFileSystem, main } from '../../server/src/cli/main';
import { assets, REPO } from '../helpers/workspace';

/** A memory file system that can create files, never overwriting (as the real one with flag 'wx'). */
export class WritableMemoryFileSystem extends MemoryFileSystem implements CliFileSystem {
  /** Files that "appear" (created by someone else) just before we write them: simulates a race. */
  readonly racing = new Map<string, string>();

  async createFile(p: string, text: string): Promise<void> {
    const raced = this.racing.get(p);
    if (raced !== undefined) this.write(p, raced);
    if (this.has(p)) throw Object.assign(new Error(`EEXIST: file already exists, open '${p}'`), { code: 'EEXIST' });
    this.write(p, text);
  }

  /** Changes made to a file by someone else just before we update it (after we planned the update): simulates a race. */
  readonly changing = new Map<string, (text: string) => string>();

  /** Files that cannot be written: updating one throws its error (after the update was planned, as a failed write would). */
  readonly failing = new Map<string, Error>();

  /** As SyncNodeFileSystem.appendFile (the shell's `>>`); a path in `failing` throws its error. */
  async appendFile(p: string, text: string): Promise<void> {
    const failure = this.failing.get(p);
    if (failure) throw failure;
    this.write(p, (this.has(p) ? new TextDecoder().decode(await this.readFile(p)) : '') + text);
  }

  /** As SyncNodeFileSystem.updateFile: a byte order mark is kept aside and kept. */
  async updateFile(p: string, update: (text: string) => string | undefined): Promise<boolean> {
    const failure = this.failing.get(p);
    const change = this.changing.get(p);
    this.changing.delete(p);
    const read = async () => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await this.readFile(p));
    if (change) this.write(p, change(await read()));
    const raw = await read();
    const bom = raw.startsWith('\ufeff') ? '\ufeff' : '';
    const next = update(raw.slice(bom.length));
    if (next === undefined) return false;
    if (failure) throw failure;
    this.write(p, bom + next);
    return true;
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(argv: string[], fsys: CliFileSystem, cwd = '/ws', env?: Record<string, string>): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd,
    fs: fsys,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    assets,
    version: '9.8.7',
    env,
  });
  return { code, stdout, stderr };
}

/** Every file under a real folder, keyed by its path relative to that folder. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out[r] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

export const EXAMPLES = path.join(REPO, 'examples');

/** The bundled examples copied to /ws/examples in memory, plus extra files (relative to /ws). */
export function examplesFs(extra: Record<string, string> = {}): WritableMemoryFileSystem {
  const m = new WritableMemoryFileSystem();
  for (const [rel, text] of Object.entries(readTree(EXAMPLES))) m.write(`/ws/examples/${rel}`, text);
  for (const [rel, text] of Object.entries(extra)) m.write(`/ws/${rel}`, text);
  return m;
}

/** 0-based line of the first line of a file that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`'${needle}' not found`);
  return i;
}
