// The untrusted-folder run's workspace: a copy of examples/ with the planted defect, plus a phasegate.yaml naming
// a workspace schema for input handoffs that requires a front matter field no example has. In a trusted folder
// that schema applies and the input handoffs get `front-matter-schema`; in an untrusted one only the built-in
// schema applies, so the defect's `handoff-mismatch` shows and `front-matter-schema` does not.
// Two more things only a trusted folder may use: a workspace template for findings (the default templates folder,
// `.phasegate/templates/`), which writes a marker line the built-in one does not, and the folder's own
// `phasegate.rules` setting (`.vscode/settings.json`), which lowers the defect's rule to `information`.
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
  /** The workspace's own finding template, and the line it writes that the built-in one does not. */
  templateFile: '.phasegate/templates/finding.md.hbs',
  templateMarker: '<!-- written from the workspace template -->',
  /** The folder's own phasegate.rules setting (a restricted setting): the defect's rule at this severity. */
  rules: { [DEFECT.code]: 'information' },
};

function prepare(workspace) {
  const schema = { type: 'object', required: [UNTRUSTED.field], properties: { [UNTRUSTED.field]: { type: 'string' } } };
  fs.mkdirSync(path.join(workspace, path.dirname(UNTRUSTED.schemaFile)), { recursive: true });
  fs.writeFileSync(path.join(workspace, UNTRUSTED.schemaFile), JSON.stringify(schema, null, 2) + '\n');
  fs.writeFileSync(path.join(workspace, 'phasegate.yaml'), `schemas:\n  ${UNTRUSTED.kind}: ${UNTRUSTED.schemaFile}\n`);
  // The built-in finding template with the marker line after its front matter.
  const builtIn = fs.readFileSync(path.join(__dirname, '..', '..', 'templates', 'finding.md.hbs'), 'utf8');
  const end = builtIn.indexOf('\n---\n', 4) + '\n---\n'.length;
  if (end < '\n---\n'.length) throw new Error('templates/finding.md.hbs has no front matter to put the marker after');
  fs.mkdirSync(path.join(workspace, path.dirname(UNTRUSTED.templateFile)), { recursive: true });
  fs.writeFileSync(path.join(workspace, UNTRUSTED.templateFile), `${builtIn.slice(0, end)}\n${UNTRUSTED.templateMarker}\n${builtIn.slice(end)}`);
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'phasegate.rules': UNTRUSTED.rules }, null, 2) + '\n');
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

/**
 * What the untrusted run's suite logs when it wants the folder trusted: the runner (runtests.js) then clicks the
 * Trust button of the workspace trust editor the suite has opened, as a user does.
 */
const GRANT_TRUST = 'phasegate-e2e: trust this folder';

module.exports = { UNTRUSTED, GRANT_TRUST, prepare };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--control') process.exit(control(path.resolve(args[1]), args[2]) ? 0 : 1);
  prepare(args[0]);
  console.log(`prepared: ${UNTRUSTED.kind} front matter must have "${UNTRUSTED.field}" (${UNTRUSTED.schemaFile}) in a trusted folder`);
}
