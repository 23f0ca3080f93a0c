/**
 * Findings: Markdown files in an audit phase's findings folder (`03-FINDINGS/`) are documents of kind
 * `finding`: their front matter is checked against schemas/finding.schema.json (or the workspace's
 * `schemas: finding:`), their `phase` against the phase they are in; they are never required and need
 * none of the template's sections.
 */
import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { applyEdits, codeActions, planNew } from '../../server/src/service';
import { kindOf } from '../../server/src/service/workspace';

const FINDING = 'phase-1/03-FINDINGS/outdated-dependencies.md';
const BRIEF = '---\nphase: phase-1\ntitle: Foundation Audit\nstatus: draft\n---\n\n# Phase 1: Foundation Audit\n\n## Objectives\n\nAudit.\n';

const finding = (fm: string, body = '# Finding 1: Outdated dependencies\n\nSix packages are two majors behind.\n') => `---\n${fm}\n---\n\n${body}`;
const codes = (svc: Parameters<typeof diagnosticsOf>[0], rel: string) => diagnosticsOf(svc, rel).map((d) => `${d.code}: ${d.message}`);

describe('findings (03-FINDINGS/*.md)', () => {
  it('are of kind finding, nested ones too; other files of the folder and Markdown elsewhere in the phase are not', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      [FINDING]: '# Finding\n',
      'phase-1/03-FINDINGS/security/secrets.md': '# Secrets\n',
      'phase-1/03-FINDINGS/scan.txt': 'raw\n',
      'phase-1/04-ARTIFACTS/notes.md': '# Notes\n',
    });
    const kind = (rel: string) => kindOf(svc.model, `${ROOT}/${rel}`).spec?.kind;
    assert.equal(kind(FINDING), 'finding');
    assert.equal(kindOf(svc.model, `${ROOT}/${FINDING}`).spec?.schema, 'finding');
    assert.equal(kind('phase-1/03-FINDINGS/security/secrets.md'), 'finding');
    assert.equal(kind('phase-1/03-FINDINGS/scan.txt'), undefined);
    assert.equal(kind('phase-1/04-ARTIFACTS/notes.md'), undefined);
    assert.equal(kind('phase-1/00-PHASE_BRIEF.md'), 'brief');
  });

  it('front matter is checked against the finding schema: status, date, phase of another phase', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      [FINDING]: finding('phase: "phase-7"\ntitle: "Finding 1: Outdated dependencies"\nstatus: finished\ndate: "yesterday"\nseverity: urgent'),
    });
    const schema = diagnosticsOf(svc, FINDING, 'front-matter-schema');
    assert.deepEqual(
      schema.map((d) => [d.range.start.line, d.message]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [3, 'Front matter `status` must be one of: draft, in-progress, review, complete, blocked: did you mean `complete`?'],
        [4, 'Front matter `date` must be a date written YYYY-MM-DD.'],
        [5, 'Front matter `severity` must be one of: critical, high, medium, low.'],
      ],
    );
    assert.ok(schema.every((d) => d.severity === 'error'));
    const phase = diagnosticsOf(svc, FINDING, 'heading-mismatch');
    assert.equal(phase.length, 1);
    assert.match(phase[0].message, /names phase-7, but the document is in phase-1/);
    assert.equal(phase[0].range.start.line, 1);
  });

  it('a finding as the template writes it, and one in free form without the template sections, check clean', async () => {
    const { svc, fs } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': BRIEF, 'phase-1/03-FINDINGS/.gitkeep': '' });
    const plan = planNew(svc, { what: 'finding', phase: 'phase-1', title: 'Outdated dependencies', date: '2025-01-07' });
    const text = plan.creates[0].text.replace('[Critical, High, Medium or Low]', 'High').replace(/\[[A-Z][^\]\n]*\]/g, 'Filled in.');
    fs.write(plan.creates[0].file, text);
    fs.write(
      `${ROOT}/phase-1/03-FINDINGS/free-form.md`,
      finding('phase: 1\ntitle: Free form\nstatus: complete', '# Free form\n\n| Check | Result |\n|---|---|\n| pylint | 6.1 |\n'),
    );
    await svc.load(ROOT);
    assert.deepEqual(codes(svc, FINDING), []);
    assert.deepEqual(codes(svc, 'phase-1/03-FINDINGS/free-form.md'), []);
  });

  it('are never required: a phase without findings misses none, and a finding misses no section', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      [FINDING]: finding('phase: phase-1\ntitle: Only a title\nstatus: draft', '# Only a title\n'),
    });
    const missing = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-document').map((d) => String(d.data?.file));
    assert.ok(!missing.some((f) => f.includes('FINDINGS')), missing.join());
    for (const code of ['missing-section', 'empty-section', 'section-order', 'missing-document']) assert.deepEqual(diagnosticsOf(svc, FINDING, code), [], code);
  });

  it('without front matter: information, and the quick fix adds front matter that the schema accepts', async () => {
    const { svc, fs } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': BRIEF, [FINDING]: '# Outdated dependencies\n\nSix packages.\n' });
    const [d] = diagnosticsOf(svc, FINDING, 'missing-front-matter');
    assert.equal(d.severity, 'information');
    assert.equal(d.message, 'Finding has no front matter (YAML between `---` lines).');
    const [a] = codeActions(svc, [d]);
    const fixed = applyEdits('# Outdated dependencies\n\nSix packages.\n', a.change.edits[0].edits);
    assert.match(fixed, /^---\nphase: phase-1\ntitle: Outdated dependencies\nstatus: draft\n---\n\n# Outdated dependencies/);
    fs.write(`${ROOT}/${FINDING}`, fixed);
    await svc.load(ROOT);
    assert.deepEqual(codes(svc, FINDING), []);
  });

  it('a workspace schema for findings (schemas: finding:) replaces the built-in one', async () => {
    const schema = { type: 'object', required: ['severity'], properties: { severity: { enum: ['S1', 'S2'] } } };
    const { svc } = await workspace(
      {
        'phasegate.yaml': 'schemas:\n  finding: my/finding.json\n',
        'my/finding.json': JSON.stringify(schema),
        'phase-1/00-PHASE_BRIEF.md': BRIEF,
        [FINDING]: finding('severity: high'),
      },
      { trusted: true },
    );
    assert.deepEqual(svc.config.problems, []);
    assert.deepEqual(
      diagnosticsOf(svc, FINDING, 'front-matter-schema').map((d) => d.message),
      ['Front matter `severity` must be one of: S1, S2.'],
    );
  });

  it("a link to a finding not written yet creates it from the finding template, numbered after the folder's findings, titled by the link", async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF + '\nSee [Scan results](03-FINDINGS/scan-results.md).\n',
      [FINDING]: finding('phase: phase-1\ntitle: One\nstatus: draft'),
    });
    const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link');
    const [a] = codeActions(svc, [d]);
    const created = a.change.creates[0];
    assert.equal(created.file, `${ROOT}/phase-1/03-FINDINGS/scan-results.md`);
    assert.match(
      created.text,
      /^---\nphase: "phase-1"\ntitle: "Finding 2: Scan results"\nstatus: draft  # draft \| in-progress \| review \| complete \| blocked\n/,
    );
    assert.match(created.text, /^# Finding 2: Scan results$/m);
  });
});
