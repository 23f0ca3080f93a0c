/**
 * What schemas/config.schema.json tells a user (completion and hover in phasegate.yaml) about the
 * severities of the rules agrees with what the gates do.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemoryFileSystem, PhasegateService, RULES } from '../../server/src/service';
import { assets, REPO } from '../helpers/workspace';

type Json = Record<string, unknown>;
const config = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'config.schema.json'), 'utf8')) as Json;
const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;
const CHECKLIST_RULES = ['gate-item-unchecked', 'gate-item-no-evidence'];
/** Rules no gate may list in `failOn` (config.ts refuses them there). */
const UNGATED_RULES = ['unvalidated-handoff'];

/** The bundled audit example (every phase complete but phase-3) in memory under /ws, with `edit` applied to phase-1's files. */
async function auditExample(rules: Record<string, string>, edit: Record<string, (text: string) => string>): Promise<PhasegateService> {
  const m = new MemoryFileSystem();
  const base = path.join(REPO, 'examples', 'audit-deployment');
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else {
        const text = fs.readFileSync(path.join(dir, e.name), 'utf8');
        const f = edit[r];
        m.write(`/ws/${r}`, f ? f(text) : text);
      }
    }
  };
  walk(base, '');
  const entries = Object.entries(rules);
  if (entries.length) m.write('/ws/phasegate.yaml', `rules:\n${entries.map(([k, v]) => `  ${k}: ${v}\n`).join('')}`);
  const svc = new PhasegateService({ fs: m, assets });
  await svc.load('/ws');
  return svc;
}

async function gateStatus(rules: Record<string, string>, edit: Record<string, (text: string) => string>, gate: string): Promise<string> {
  const svc = await auditExample(rules, edit);
  const phase = svc.model.phases.find((p) => p.id === 'phase-1');
  assert.ok(phase);
  assert.deepEqual(svc.config.problems, []);
  const g = svc.gates(phase).find((x) => x.name === gate);
  assert.ok(g, gate);
  return g.status;
}

describe('config schema: rule severities', () => {
  const rules = (config.properties as Json).rules as { description: string; properties: Record<string, { enum: string[]; enumDescriptions: string[] }> };

  it('describes each severity of every rule, and says that a gate checklist counts whatever the severity of its rules', () => {
    assert.deepEqual(Object.keys(rules.properties).sort(), RULES.map((r) => r.id).sort());
    for (const [id, r] of Object.entries(rules.properties)) {
      assert.deepEqual(r.enum, [...SEVERITIES], id);
      assert.equal(r.enumDescriptions.length, r.enum.length, id);
      if (CHECKLIST_RULES.includes(id)) {
        for (const d of r.enumDescriptions) assert.match(d, /keeps its gate pending/, `${id}: ${d}`);
      } else if (UNGATED_RULES.includes(id)) {
        assert.match(r.enumDescriptions[0], /^Fails `phasegate check` \(exit code 1\)/, id);
        for (const d of r.enumDescriptions) assert.match(d, /no gate counts it/, `${id}: ${d}`);
      } else {
        assert.match(r.enumDescriptions[0], /^Fails `phasegate check` \(exit code 1\) and the gates that list the rule in `failOn`/, id);
        assert.match(r.enumDescriptions[1], /Keeps the gates that list the rule in `failOn` pending/, id);
        for (const d of r.enumDescriptions.slice(2)) assert.match(d, /no gate counts it/, `${id}: ${d}`);
      }
    }
    assert.match(rules.description, /checklist counts whatever the severities/);
  });

  it('as the gates do: a rule a gate lists fails it as an error, holds it as a warning, and not as information, hint or off', async () => {
    // An unfilled placeholder in phase-1's plan: the Quality gate lists unfilled-placeholder.
    const edit = { 'phase-1/02-EXECUTION_PLAN.md': (t: string) => `${t}\n- Tool: [Description]\n` };
    const expected = { error: 'failed', warning: 'pending', information: 'passed', hint: 'passed', off: 'passed' };
    for (const sev of SEVERITIES) assert.equal(await gateStatus({ 'unfilled-placeholder': sev }, edit, 'Quality'), expected[sev], sev);
  });

  it('as the gates do: an unchecked item, or a checked one without evidence, keeps its gate pending at every severity, off included', async () => {
    const review = '- [x] Findings reviewed by the engineering lead — Evidence: review notes in [the roadmap](04-ARTIFACTS/remediation-roadmap.md)';
    const unchecked = { 'phase-1/07-VALIDATION.md': (t: string) => t.replace(review, '- [ ] Findings reviewed by the engineering lead') };
    const noEvidence = { 'phase-1/07-VALIDATION.md': (t: string) => t.replace(review, '- [x] Findings reviewed by the engineering lead') };
    assert.equal(await gateStatus({}, {}, 'Review'), 'passed');
    for (const sev of SEVERITIES) {
      assert.equal(await gateStatus({ 'gate-item-unchecked': sev }, unchecked, 'Review'), 'pending', `gate-item-unchecked: ${sev}`);
      assert.equal(await gateStatus({ 'gate-item-no-evidence': sev }, noEvidence, 'Review'), 'pending', `gate-item-no-evidence: ${sev}`);
    }
  });
});
