// The defect the end-to-end tests plant in their copy of examples/: one input that phase 2 hands off is deleted
// from phase 3's input handoff, so `handoff-mismatch` fires and "complete handoff" has something to restore.
const fs = require('node:fs');
const path = require('node:path');

const DEFECT = {
  /** Relative to the workspace folder. */
  file: 'audit-deployment/phase-3/01-INPUT_HANDOFF.md',
  /** Name of the input item removed (it stays in phase-2/06-OUTPUT_HANDOFF.md). */
  item: 'Quality gates',
  code: 'handoff-mismatch',
};

/** Removes the item from the workspace copy; throws when the example no longer holds it (the tests would be vacuous). */
function plant(workspace) {
  const file = path.join(workspace, DEFECT.file);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.startsWith(`- ${DEFECT.item}:`));
  if (i < 0) throw new Error(`${DEFECT.file} has no "- ${DEFECT.item}:" item to remove`);
  lines.splice(i, 1);
  fs.writeFileSync(file, lines.join('\n'));
}

module.exports = { DEFECT, plant };

if (require.main === module) {
  plant(process.argv[2]);
  console.log(`planted: removed "${DEFECT.item}" from ${DEFECT.file}`);
}
