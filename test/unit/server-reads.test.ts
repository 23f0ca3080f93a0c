import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryFileSystem } from '../../server/src/service/host';
import { PhasegateService } from '../../server/src/service/service';
import { ServerFileSystem } from '../../server/src/node/server-fs';
import { assets } from '../helpers/workspace';

const ROOT = '/ws';

/** Phase documents enough to read: `n` audit phases with a brief each. */
function files(n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; i <= n; i++) out[`${ROOT}/audit/phase-${i}/00-BRIEF.md`] = `# Phase ${i} brief\n\nText ${i}.\n`;
  return out;
}

/** A memory file system with the synchronous read and the pause a responsive host gives. */
class SlicedFileSystem extends MemoryFileSystem {
  syncReads = 0;
  asyncReads = 0;
  pauses = 0;
  /** The pauses once the reads began (the load pauses before them too, in its scan and its model). */
  readPauses = 0;
  /** Withdraws the synchronous read after this many (as the server does when one is slow). */
  withdrawAfter = Infinity;
  /** Milliseconds each synchronous read takes (spent, so that slices run out). */
  readMs = 0;

  readSmallFileSync?: (p: string, maxBytes: number) => Uint8Array | number = (p) => {
    const end = Date.now() + this.readMs;
    while (Date.now() < end) {
      // a read that takes its time
    }
    this.syncReads++;
    if (this.syncReads >= this.withdrawAfter) this.readSmallFileSync = undefined;
    const t = this.text(p);
    if (t === undefined) throw new Error(`ENOENT: no such file '${p}'`);
    return new TextEncoder().encode(t);
  };

  override async readFile(p: string): Promise<Uint8Array> {
    this.asyncReads++;
    return super.readFile(p);
  }

  async pause(): Promise<void> {
    this.pauses++;
    if (this.syncReads > 0) this.readPauses++;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function load(sfs: MemoryFileSystem, n: number): Promise<PhasegateService> {
  const svc = new PhasegateService({ fs: sfs, assets });
  await svc.load(ROOT);
  assert.equal(svc.checkedFiles().length, n);
  return svc;
}

function assertAllRead(svc: PhasegateService, n: number): void {
  for (let i = 1; i <= n; i++) assert.equal(svc.getText(`${ROOT}/audit/phase-${i}/00-BRIEF.md`), `# Phase ${i} brief\n\nText ${i}.\n`);
}

describe('reading a workspace synchronously in slices (the language server)', () => {
  it('lets the host run between slices of synchronous reads, and reads every document', async () => {
    const sfs = new SlicedFileSystem(files(12));
    sfs.readMs = 4;
    const svc = await load(sfs, 12);
    assertAllRead(svc, 12);
    assert.equal(sfs.syncReads, 12);
    assert.equal(sfs.asyncReads, 0);
    // 12 reads of 4 ms: a pause after each.
    assert.ok(sfs.readPauses >= 6 && sfs.readPauses <= 12, `pauses: ${sfs.readPauses}`);
  });

  it('reads the rest asynchronously when the host withdraws its synchronous read', async () => {
    const sfs = new SlicedFileSystem(files(10));
    sfs.withdrawAfter = 3;
    const svc = await load(sfs, 10);
    assertAllRead(svc, 10);
    assert.equal(sfs.syncReads, 3);
    assert.equal(sfs.asyncReads, 7);
  });
});

describe('ServerFileSystem', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-server-fs-'));
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(dir, `f${i}.md`), `file ${i}\n`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads synchronously until one read is slow, then withdraws the synchronous read and says so', () => {
    // A clock that makes the third read take 80 ms.
    const times = [0, 1, 10, 12, 20, 100];
    let t = 0;
    const logged: string[] = [];
    const sfs = new ServerFileSystem({ slowMs: 50, meanSlowMs: 0.5, now: () => times[t++], log: (m) => logged.push(m) });
    for (let i = 0; i < 3; i++) {
      const read = sfs.readSmallFileSync!(path.join(dir, `f${i}.md`), 1000);
      assert.equal(Buffer.from(read as Uint8Array).toString(), `file ${i}\n`);
    }
    assert.equal(sfs.readSmallFileSync, undefined);
    assert.equal(sfs.slowReads, true);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /f2\.md took 80 ms: documents are read asynchronously from now on/);
  });

  it('withdraws the synchronous read after a run of reads that wait on the disk or the network', () => {
    /** A clock under which each read takes `ms`. */
    const clock = (ms: number) => {
      let t = 0;
      let start = true;
      return () => ((start = !start) ? (t += ms) : t);
    };
    const quick = new ServerFileSystem({ slowMs: 50, meanSlowMs: 0.5, now: clock(0.05) });
    for (let i = 0; i < 100; i++) quick.readSmallFileSync!(path.join(dir, 'f1.md'), 1000);
    assert.equal(quick.slowReads, false);
    const logged: string[] = [];
    const waiting = new ServerFileSystem({ slowMs: 50, meanSlowMs: 0.5, now: clock(2), log: (m) => logged.push(m) });
    let reads = 0;
    while (waiting.readSmallFileSync && reads < 100) {
      waiting.readSmallFileSync(path.join(dir, 'f1.md'), 1000);
      reads++;
    }
    assert.equal(reads, 32, 'one window of reads');
    assert.equal(waiting.slowReads, true);
    assert.deepEqual(logged, ['32 reads took 64.0 ms: documents are read asynchronously from now on']);
  });

  it('keeps its asynchronous reads, and a pause resolves', async () => {
    const sfs = new ServerFileSystem();
    assert.equal(Buffer.from(await sfs.readFile(path.join(dir, 'f3.md'))).toString(), 'file 3\n');
    assert.equal((await sfs.stat(path.join(dir, 'f3.md')))?.kind, 'file');
    await sfs.pause();
    const read = sfs.readSmallFileSync!(path.join(dir, 'f0.md'), 3);
    assert.equal(read, 7, 'a file over the limit gives its size');
  });

  it('gives the engine its documents through the synchronous read', async () => {
    for (let i = 1; i <= 3; i++) {
      fs.mkdirSync(path.join(dir, 'audit', `phase-${i}`), { recursive: true });
      fs.writeFileSync(path.join(dir, 'audit', `phase-${i}`, '00-BRIEF.md'), `# Brief ${i}\n`);
    }
    const sfs = new ServerFileSystem();
    let sync = 0;
    const inner = sfs.readSmallFileSync!;
    sfs.readSmallFileSync = (p, max) => (sync++, inner(p, max));
    const svc = new PhasegateService({ fs: sfs, assets });
    await svc.load(dir.replace(/\\/g, '/'));
    assert.ok(sync >= 3, `synchronous reads: ${sync}`);
    assert.equal(svc.getText(`${dir.replace(/\\/g, '/')}/audit/phase-2/00-BRIEF.md`), '# Brief 2\n');
  });
});
