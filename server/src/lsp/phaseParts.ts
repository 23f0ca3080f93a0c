/**
 * A `phasegate/phases` answer sent in parts (partial results), for a client that passes a `partialResultToken`:
 * the whole tree of a large workspace is tens of megabytes of JSON (about 24 MB at 20,000 phases), which the
 * server would otherwise serialise and write in one piece, answering nothing else meanwhile, and which the client
 * would parse in one piece. Each part holds about `PART_BYTES` of it; the server lets the event loop run between
 * two parts. `joinPhasesPartials` (protocol.ts) puts the parts together again.
 */
import type { GroupNode, PhaseNode, PhasesPartialResult, PhasesResult, WorkspaceFolderNode } from '../protocol';
import { type CancellationToken, throwIfCancelled } from '../service/types';
import { yieldOnce } from './yield';

/** About how many bytes of JSON a part holds (at least one phase). */
export const PART_BYTES = 1024 * 1024;

/**
 * About the length of a phase node's JSON: its strings' lengths and a constant per field, within a few tens of
 * per cent of `JSON.stringify`'s (which would cost as much as the serialisation the parts spread out).
 */
export function phaseBytes(p: PhaseNode): number {
  let n = 260 + p.id.length + (p.title?.length ?? 0) + p.uri.length + p.layout.length + (p.workstream?.length ?? 0);
  for (const d of p.documents) n += 160 + d.kind.length + d.name.length + d.file.length + d.uri.length;
  for (const g of p.gates) n += 32 + g.name.length + g.status.length;
  for (const b of p.blockers) n += 4 + b.length;
  return n;
}

/** The parts of an answer, or undefined when it is small enough to go in one piece. */
export function phasesParts(result: PhasesResult, bound = PART_BYTES): PhasesPartialResult[] | undefined {
  const parts: PhasesPartialResult[] = [];
  if (result.changed) {
    let phases: PhaseNode[] = [];
    let bytes = 0;
    for (const p of result.changed) {
      const b = phaseBytes(p);
      if (phases.length > 0 && bytes + b > bound) {
        parts.push({ changed: phases });
        phases = [];
        bytes = 0;
      }
      phases.push(p);
      bytes += b;
    }
    if (parts.length === 0) return undefined;
    if (phases.length) parts.push({ changed: phases });
    return parts;
  }
  let folders: WorkspaceFolderNode[] = [];
  let bytes = 0;
  let count = 0;
  for (const f of result.folders) {
    let folder: WorkspaceFolderNode = { ...f, groups: [] };
    folders.push(folder);
    bytes += 200 + f.plans.reduce((n, p) => n + p.length + 4, 0);
    for (const g of f.groups) {
      let group: GroupNode = { ...g, phases: [] };
      folder.groups.push(group);
      bytes += 200 + g.label.length + g.uri.length;
      for (const p of g.phases) {
        const b = phaseBytes(p);
        if (count > 0 && bytes + b > bound) {
          // The next part goes on with the same folder and group (copies of them; the plans in the first part only).
          parts.push({ folders });
          group = { ...g, phases: [] };
          folder = { ...f, groups: [group], plans: [] };
          folders = [folder];
          bytes = count = 0;
        }
        group.phases.push(p);
        bytes += b;
        count++;
      }
    }
  }
  if (parts.length === 0) return undefined;
  parts.push({ folders });
  return parts;
}

/**
 * Sends `result` in parts with `send` when it is large; returns the response that goes with them (the answer's
 * version and id, its folders and phases sent), or `result` itself when it is small. Each part waits until the one
 * before is written (the promise `send` returns), and for a turn of the event loop: the answers to other requests go
 * out between parts instead of queueing behind all of them. A request cancelled meanwhile stops with a CancelledError.
 */
export async function sendPhasesInParts(
  result: PhasesResult,
  send: (part: PhasesPartialResult) => Promise<void> | void,
  token: CancellationToken,
  pause: () => Promise<void> = yieldOnce,
  bound = PART_BYTES,
): Promise<PhasesResult> {
  const parts = phasesParts(result, bound);
  if (!parts) return result;
  for (const part of parts) {
    throwIfCancelled(token);
    await send(part);
    await pause();
  }
  throwIfCancelled(token);
  return { folders: [], version: result.version, id: result.id, ...(result.changed ? { changed: [] } : {}) };
}
