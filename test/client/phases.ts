/** Phase trees as the server answers `phasegate/phases`, for the client tests. */
import type { PhasesResult } from '../../server/src/protocol';

const FOLDER = { uri: 'file:///ws', name: 'ws', ready: true, plans: [] };

/** The one audit phase of the workspace `file:///ws`. */
const PHASE = {
  id: 'phase-1',
  title: 'Phase 1',
  layout: 'audit',
  number: 1,
  workstream: null,
  uri: 'file:///ws/phase-1',
  status: 'in-progress' as const,
  gates: [],
  documents: [],
  problems: { errors: 0, warnings: 0, infos: 0, hints: 0 },
  blockers: [],
};

/** The whole tree of that workspace (one audit phase sequence, no iAI phase), as answer `id` of version `version`. */
export const wholeTree = (id: string, version: number): PhasesResult => ({
  id,
  version,
  folders: [{ ...FOLDER, groups: [{ id: 'g', label: 'ws', layout: 'audit', workstream: null, uri: 'file:///ws', phases: [PHASE] }] }],
});
