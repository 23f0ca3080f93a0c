// The untrusted-folder run's workspace: a copy of examples/ with the planted defect, plus a phasegate.yaml naming
// a workspace schema for input handoffs that requires a front matter field no example has. In a trusted folder
// that schema applies and the input handoffs get `front-matter-schema`; in an untrusted one only the built-in
// schema applies, so the defect's `handoff-mismatch` shows and `front-matter-schema` does not.
//   node untrusted.js <workspace>                     writes the config and the schema
//   node untrusted.js --control <workspace> <cli.js>  PASS when a trusted check (the CLI) applies the schema
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { DEFECT } = require('./defect');

const UNTRUSTED = {
  /** Document kind whose schema the workspace overrides, and the field its schema requires. */
  kind: 'input-handoff',
  field: 'reviewer',
  schemaFile: 'schemas/strict-input-handoff.json',
};

function prepare(workspace) {
  const schema = { type: 'object', required: [UNTRUSTED.field], properties: { [UNTRUSTED.field]: { type: 'string' } } };
  fs.mkdirSync(path.join(workspace, path.dirname(UNTRUSTED.schemaFile)), { recursive: true });
  fs.writeFileSync(path.join(workspace, UNTRUSTED.schemaFile), JSON.stringify(schema, null, 2) + '\n');
  fs.writeFileSync(path.join(workspace, 'phasegate.yaml'), `schemas:\n  ${UNTRUSTED.kind}: ${UNTRUSTED.schemaFile}\n`);
}

/** The control: a trusted check reports front-matter-schema on the defect's file, so the untrusted test can fail. */
function control(workspace, cli) {
  const r = spawnSync(process.execPath, [cli, 'check', workspace, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  let found = false;
  try {
    const file = path.join(workspace, DEFECT.file);
    found = JSON.parse(r.stdout).diagnostics.some((d) => d.code === 'front-matter-schema' && path.resolve(d.file) === file);
  } catch {
    console.log(`FAIL untrusted-control: no report from ${cli} (${r.error ? r.error.message : `exit ${r.status}`}): ${String(r.stderr).slice(0, 300)}`);
    return false;
  }
  console.log(
    found
      ? `PASS untrusted-control: trusted, the folder's own ${UNTRUSTED.kind} schema reports front-matter-schema on ${DEFECT.file}`
      : `FAIL untrusted-control: the folder's own ${UNTRUSTED.kind} schema did not apply to ${DEFECT.file} even when trusted`,
  );
  return found;
}

module.exports = { UNTRUSTED, prepare };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--control') process.exit(control(path.resolve(args[1]), args[2]) ? 0 : 1);
  prepare(args[0]);
  console.log(`prepared: ${UNTRUSTED.kind} front matter must have "${UNTRUSTED.field}" (${UNTRUSTED.schemaFile}) in a trusted folder`);
}
