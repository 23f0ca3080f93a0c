/**
 * Checking a large workspace on several threads: the phases are split into contiguous shards
 * (consecutive phases of a group stay together, so cross-phase rules mostly read documents of
 * their own shard). The main thread checks the first shard itself while each other shard is
 * checked by its own engine elsewhere (a worker thread, see node/parallel.ts); the main engine
 * then adopts their results, so the report is built exactly as on one thread. Plain data crosses
 * the threads; this file has no thread code.
 */
import type { GateResult } from '../service/gates';
import type { LoadOptions, PhasegateService } from '../service/service';
import type { Diagnostic } from '../service/types';
import { type Phase, type ScanResult, phaseDocument, phaseFiles } from '../service/workspace';
import { INPUT_HANDOFF } from '../service/handoff';
import { phaseTitle } from './report';

/** One shard to check: the workspace as the main engine loaded it, and the folders of its phases. */
export interface ShardRequest {
  root: string;
  configFile: string | undefined;
  /** The main thread's scan, so that the shard's engine builds the same model without scanning again. */
  scan: ScanResult;
  folders: string[];
}

/** What a shard's engine found: diagnostics per file, and each phase's gates and title. */
export interface ShardResult {
  diagnostics: [string, Diagnostic[]][];
  phases: { folder: string; gates: GateResult[]; title: string }[];
}

/** Runs one shard somewhere else (a worker thread) and returns its result. */
export type ShardRunner = (req: ShardRequest) => Promise<ShardResult>;

/** How the CLI checks large workspaces in parallel (given by the process wrapper; absent: never). */
export interface Parallel {
  /** More checked files than this runs shards; fewer stays on one thread (no start-up cost). */
  minFiles: number;
  /** Number of shards, the main thread's included (the number of cores to use). */
  shards: number;
  run: ShardRunner;
}

/**
 * What starting a shard elsewhere costs (a thread, loading the code, the config and the model),
 * in checked files: the main thread's shard is this much larger, so that all finish together.
 */
const START_COST_FILES = 600;

/**
 * Splits the phases, in model order, into at most `n` contiguous runs of about equal Markdown count,
 * the first (the main thread's) `headStart` files larger.
 */
export function splitPhases(phases: Phase[], n: number, headStart = 0): Phase[][] {
  const weight = (p: Phase) => Math.max(1, p.markdown.length);
  const total = phases.reduce((s, p) => s + weight(p), 0);
  // Capped so that every shard gets work, even when forced on a small workspace (tests).
  const head = Math.min(headStart, total / (2 * n));
  const share = (total + head * (n - 1)) / n;
  // Where shard k ends, in cumulative files: the first gets share, the others share - headStart each.
  const end = (k: number) => share + k * (share - head);
  const out: Phase[][] = [];
  let cur: Phase[] = [];
  let done = 0;
  for (const p of phases) {
    cur.push(p);
    done += weight(p);
    if (out.length < n - 1 && done >= end(out.length)) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/** The documents a shard's rules and gates read: its phases' and their previous and next phases' (handoffs). */
function shardDocuments(phases: Phase[]): string[] {
  const read = new Set<string>();
  for (const p of phases) for (const q of [p.prev, p, p.next]) q?.markdown.forEach((f) => read.add(f));
  return [...read];
}

/**
 * The phases of a shard whose previous phase another shard checks. Their input handoff's
 * unvalidated-handoff check needs that phase's gates, which need the documents before it: the shard
 * leaves the check out, and the main thread checks their input handoffs again once every shard is in
 * (the phase's own gates stand: no gate answers for the rule).
 */
function seams(phases: Phase[]): Phase[] {
  const own = new Set(phases);
  return phases.filter((p) => p.prev && !own.has(p.prev));
}

/** The input handoff of a phase, when it has one. */
function inputHandoff(p: Phase): string | undefined {
  const d = phaseDocument(p, INPUT_HANDOFF);
  return d?.exists ? d.path : undefined;
}

/** Diagnoses a shard's files and evaluates its phases' gates (both cached by the engine). */
function checkPhases(svc: PhasegateService, phases: Phase[]): ShardResult {
  const result: ShardResult = { diagnostics: [], phases: [] };
  svc.checkPhases(phases, (p) => {
    for (const f of phaseFiles(p)) result.diagnostics.push([f, svc.diagnose(f)]);
    result.phases.push({ folder: p.folder, gates: svc.gates(p), title: phaseTitle(svc, p) });
  });
  return result;
}

/**
 * Checks phases on this thread, phase by phase (see `PhasegateService.checkPhases`), calling `tick` as each is
 * done; returns their titles.
 */
function checkHere(svc: PhasegateService, phases: Phase[], tick: (() => void) | undefined): Map<Phase, string> {
  const titles = new Map<Phase, string>();
  svc.checkPhases(phases, (p) => {
    titles.set(p, phaseTitle(svc, p));
    tick?.();
  });
  return titles;
}

/** A shard's side: loads the workspace in `svc` with the given scan, reads what the shard needs, checks it. */
export async function checkShard(svc: PhasegateService, req: ShardRequest): Promise<ShardResult> {
  const load: LoadOptions = { only: () => false, scan: req.scan };
  if (req.configFile) load.configFile = req.configFile;
  await svc.load(req.root, undefined, load);
  const phases = req.folders.map((f) => {
    const p = svc.model.byFolder.get(f);
    if (!p) throw new Error(`phase ${f} is not in the shard's model`);
    return p;
  });
  await svc.readDocuments(shardDocuments(phases));
  // Known here as no gates: the check reports nothing, and asks for nothing before the shard (see `seams`).
  for (const p of seams(phases)) svc.primeGates(p.prev!, []);
  return checkPhases(svc, phases);
}

/**
 * Checks a loaded-but-unread workspace (see `loadWorkspaces`): in shards when it is large, else by
 * reading every document. Returns the phases' titles (found while their documents were parsed). `tick` is
 * called as each phase checked on this thread is done.
 */
export async function checkInShards(
  svc: PhasegateService,
  configFile: string | undefined,
  parallel: Parallel | undefined,
  tick?: () => void,
): Promise<Map<Phase, string> | undefined> {
  const files = svc.checkedFiles();
  if (!parallel || parallel.shards < 2 || files.length <= parallel.minFiles || svc.model.phases.length < 2) {
    await svc.readDocuments(files);
    await forgetVanished(
      svc,
      files.filter((f) => isMissing(svc.unreadableReason(f))),
    );
    return checkHere(svc, svc.model.phases, tick);
  }
  const [own, ...others] = splitPhases(svc.model.phases, parallel.shards, START_COST_FILES);
  const pending = others.map((s) => parallel.run({ root: svc.root, configFile, scan: svc.scan, folders: s.map((p) => p.folder) }));
  // Rejections are handled below, after our own shard; this keeps them from being reported as unhandled meanwhile.
  pending.forEach((p) => p.catch(() => undefined));
  // The project plans ask for every phase's gates: they are checked once all shards are in (buildReport).
  // So are the input handoffs at the shards' seams, read now (reading drops the gates known).
  const again = others.flatMap(seams);
  await svc.readDocuments([...shardDocuments(own), ...shardDocuments(again), ...svc.model.plans.map((p) => p.path)]);
  const titles = checkHere(svc, own, tick);
  const redo = new Set(again.map(inputHandoff).filter((f) => f !== undefined));
  // Files gone before they were read, here or by a shard.
  const missing = new Set(svc.checkedFiles().filter((f) => isMissing(svc.unreadableReason(f))));
  for (const r of await Promise.all(pending)) {
    for (const [f, d] of r.diagnostics) if (d.some((x) => x.code === 'unreadable-file' && x.file === f && isMissing(x.message))) missing.add(f);
    for (const [f, d] of r.diagnostics) if (!redo.has(f)) svc.primeDiagnostics(f, d);
    for (const ph of r.phases) {
      const phase = svc.model.byFolder.get(ph.folder);
      if (!phase) continue;
      svc.primeGates(phase, ph.gates);
      titles.set(phase, ph.title);
    }
  }
  for (const f of redo) svc.diagnose(f);
  // The workspace without the files that are gone is checked again, here.
  if (await forgetVanished(svc, [...missing])) return checkHere(svc, svc.model.phases, tick);
  return titles;
}

/** Whether a read failed for want of the file (`ENOENT`, as Node and the memory file system say). */
function isMissing(reason: string | undefined): boolean {
  return reason !== undefined && /\bENOENT\b/.test(reason);
}

/**
 * Takes the files of `candidates` (scanned, not read for want of the file) that are gone out of the
 * engine's workspace, as if the scan had never found them: a file deleted between the scan and its read
 * is no unreadable file (a required document gone is missing). Returns whether any was.
 */
async function forgetVanished(svc: PhasegateService, candidates: readonly string[]): Promise<boolean> {
  const gone: string[] = [];
  for (const f of candidates) if (!(await svc.fs.stat(f))) gone.push(f);
  if (gone.length) await svc.filesChanged(gone.map((path) => ({ path, type: 'deleted' as const })));
  return gone.length > 0;
}
