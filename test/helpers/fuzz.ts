/** What the fuzz tests share: an engine that fails the test when a rule or a fix throws, and line endings. */
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { assets, ROOT } from './workspace';

/** An engine over files given relative to /ws whose logger fails the test when a rule or a fix throws (the engine catches and logs them). */
export async function loud(files: Record<string, string>): Promise<PhasegateService> {
  const fs = new MemoryFileSystem();
  for (const [p, t] of Object.entries(files)) fs.write(`${ROOT}/${p}`, t);
  return loudOn(fs);
}

/** The same, loaded from `fs` (whose files a test changes afterwards). */
export async function loudOn(fs: MemoryFileSystem): Promise<PhasegateService> {
  const logger = {
    log: (m: string) => {
      if (/^(rule|fix) .* failed/.test(m)) throw new Error(m);
    },
  };
  const svc = new PhasegateService({ fs, assets, logger });
  await svc.load(ROOT);
  return svc;
}

/** `text` with every line ending written as `eol`. */
export const withEol = (text: string, eol: string) => text.replace(/\r\n/g, '\n').replace(/\n/g, eol);
