import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { applyEdits, codeActions, fixAll } from '../../server/src/service';

const HANDOFF = 'phase-1/06-OUTPUT_HANDOFF.md';
const DECISIONS = 'phase-1/05-DECISIONS.md';

/** The first lines of `text` that hold the decision-without-rationale findings of `rel`, sorted. */
async function reportedLines(rel: string, text: string): Promise<string[]> {
  const { svc } = await workspace({ [rel]: text });
  const lines = text.split('\n');
  return diagnosticsOf(svc, rel, 'decision-without-rationale')
    .map((d) => d.range.start.line)
    .sort((a, b) => a - b)
    .map((l) => lines[l]);
}

const handoff = (items: string[]) => ['# Phase 1 → Phase 2 Handoff', '', '## Decisions Made', '', ...items, ''].join('\n');

describe('decision-without-rationale: the forms a rationale takes', () => {
  describe('a reason after a dash, in a handoff', () => {
    it('accepts a reason of three words or more after a spaced hyphen, double hyphen, en dash or em dash, or an em dash between words', async () => {
      const text = handoff([
        '- Decision 6: Use Trivy — it scans images and IaC in one tool',
        '- Decision 7: Use Helm – one chart per service',
        '- Decision 8: Pin base images - builds must be reproducible',
        '- Decision 14: Use Renovate -- updates arrive as reviewed pull requests',
        '- Decision 9: Use Vault—secrets rotate without redeploys',
        '- **Decision 10**: Use `k6` — scripts are plain JavaScript',
        '- Use ArgoCD — Git stays the source of truth',
        '- Decision 11: Deploy in us-east-1 — closest region to our users',
        '- Decision 12: Use AWS — approved — cheaper than GCP for our load',
        '- Decision 13: Use Terraform —',
        '  one language for every cloud we run',
      ]);
      assert.deepEqual(await reportedLines(HANDOFF, text), []);
    });

    it('still reports a dash that is part of the description, or followed by a state, a name, a placeholder or too few words', async () => {
      const near = [
        '- Decision 2: Blue-green deployment',
        '- Decision 3: Use AWS — approved',
        '- Decision 4: CI platform — GitHub Actions',
        '- Decision 5: Use AWS — approved by the CTO on Monday',
        '- Decision 14: Use Trivy - TBD',
        '- Decision 15: Use Trivy — [Why this tool was chosen]',
        '- Decision 16: Use Trivy — see ADR-004 for the details',
        '- Decision 17: Database — PostgreSQL 15.4 (2025-01-20)',
        '- Decision 18: Adopt `lint - fix all the things` in CI',
        '- Decision 19: Use Trivy — done',
        '- Decision 23: Use Trivy -- fast scans',
        '- Decision 20: — it scans images and IaC',
        '- Decision 21: Use Trivy - owner: the security team',
        '- Decision 22: Use Trivy',
        '  - Owner - the security team on call',
      ];
      const text = handoff(near);
      assert.deepEqual(
        await reportedLines(HANDOFF, text),
        near.filter((l) => l.startsWith('- Decision')),
      );
    });
  });

  describe('a reason after a dash, in the decision log', () => {
    it('accepts a decision item of 05-DECISIONS.md with a reason after a dash, and reports one with a word only', async () => {
      const text = [
        '# Phase 1 Decisions',
        '',
        '## Decision Log',
        '',
        '- Decision 1: Use Trivy — it scans images and IaC in one tool',
        '- Decision 2: Use AWS — approved',
        '- Decision 3: Registry – AWS ECR',
        '',
      ].join('\n');
      assert.deepEqual(await reportedLines(DECISIONS, text), ['- Decision 2: Use AWS — approved', '- Decision 3: Registry – AWS ECR']);
    });
  });

  describe('a reason in a decision heading', () => {
    it('accepts a heading that gives its reason as an item would (after a dash, an arrow or because), and reports the others', async () => {
      const headings = [
        '### Decision 1: Adopt Trivy for image scanning — it is the fastest scanner we measured',
        '### Decision 2: Keep pytest → the team already knows it',
        '### Decision 3: Use Helm because every service ships a chart',
        '### Decision 4: Use AWS — approved',
        '### Decision 5: CI platform — GitHub Actions',
        '### Decision 6: Use Vault → Rationale',
        '### Decision 7: Use Terraform',
      ];
      const text = ['# Phase 1 Decisions', '', '## Decision Log', '', ...headings.flatMap((h) => [h, '', 'Status: accepted', '']), ''].join('\n');
      assert.deepEqual(await reportedLines(DECISIONS, text), headings.slice(3));
    });
  });

  describe('the message of a decision heading whose dash says its state', () => {
    it('quotes the decision without the state, and says what the words after the dash say', async () => {
      const text = [
        '# Phase 1 Decisions',
        '',
        '## Decision Log',
        '',
        '### Decision 3: Use Postgres — approved',
        '',
        '**Context**: We need a database.',
        '',
        '### Decision 4: Use Redis - accepted — see ADR-7',
        '',
        '**Rationale**:',
        '',
        '### Decision 5: CI platform — GitHub Actions',
        '',
      ].join('\n');
      const { svc } = await workspace({ [DECISIONS]: text });
      assert.deepEqual(
        diagnosticsOf(svc, DECISIONS, 'decision-without-rationale').map((d) => d.message),
        [
          'Decision "Decision 3: Use Postgres" gives no rationale: "approved", after its dash, says its state, owner or place, not why; add a "**Rationale**:" line, or fill its Context and Consequences (it has no Consequences part).',
          'Decision "Decision 4: Use Redis" gives no rationale: "accepted — see ADR-7", after its dash, says its state, owner or place, not why; write it on its empty "**Rationale**:" line.',
          // Words after a dash that name the choice are part of the decision.
          'Decision "Decision 5: CI platform — GitHub Actions" gives no rationale: add a "**Rationale**:" line.',
        ],
      );
    });
  });

  describe('the message of a decision item whose dash gives no reason', () => {
    it('says whether the words after the dash are too few or say a state, and says nothing of a dash where there is none', async () => {
      const text = handoff([
        '- Decision 1: CI platform — GitHub Actions',
        '- Decision 2: Use AWS — approved by the CTO on Monday',
        '- Decision 3: Blue-green deployment',
        '- Decision 4: Use AWS — approved',
      ]);
      const { svc } = await workspace({ [HANDOFF]: text });
      assert.deepEqual(
        diagnosticsOf(svc, HANDOFF, 'decision-without-rationale').map((d) => d.message),
        [
          'Decision "Decision 1: CI platform — GitHub Actions" gives no rationale: the words after its dash name no reason (a reason after a dash takes three words or more); add "→ why" after it.',
          'Decision "Decision 2: Use AWS" gives no rationale: "approved by the CTO on Monday", after its dash, says its state, owner or place, not why; add "→ why" after it.',
          'Decision "Decision 3: Blue-green deployment" gives no rationale: add "→ why" after it.',
          // A state of one word is a state too, not too few words for a reason.
          'Decision "Decision 4: Use AWS" gives no rationale: "approved", after its dash, says its state, owner or place, not why; add "→ why" after it.',
        ],
      );
    });
  });

  describe('ADRs in the decisions file', () => {
    const nygard = [
      '# Phase 1 Decisions',
      '',
      '## Decision 3: Adopt Terraform',
      '',
      '### Status',
      '',
      'Accepted',
      '',
      '### Context',
      '',
      'Three clouds are configured by hand and drift apart.',
      '',
      '### Decision',
      '',
      'All infrastructure is described in Terraform.',
      '',
      '### Consequences',
      '',
      '- The team learns HCL.',
      '- Drift is caught in CI.',
      '',
    ].join('\n');

    it('accepts a decision with a non-empty Context and Consequences (Nygard subsections)', async () => {
      assert.deepEqual(await reportedLines(DECISIONS, nygard), []);
    });

    it('accepts bold labels (**Context**:, **Consequences**:), the text on the label line or under it', async () => {
      const text = [
        '# Phase 1 Decisions',
        '',
        '## Decision 4: Use Vault',
        '',
        '**Status**: Accepted',
        '**Context**: secrets live in CI variables nobody rotates.',
        '**Decision**: Vault holds every secret.',
        '**Consequences**:',
        '',
        'Rotation is automatic; Vault must be highly available.',
        '',
      ].join('\n');
      assert.deepEqual(await reportedLines(DECISIONS, text), []);
    });

    it('accepts the MADR form (Context and Problem Statement or Decision Drivers, and Decision Outcome)', async () => {
      const text = [
        '# Phase 1 Decisions',
        '',
        '## Decision 5: Choose the scanner',
        '',
        '### Decision Drivers',
        '',
        '* one tool for images and IaC',
        '* runs offline in CI',
        '',
        '### Considered Options',
        '',
        '* Trivy',
        '* Grype',
        '',
        '### Decision Outcome',
        '',
        'Chosen option: "Trivy", because it covers images and IaC in one binary.',
        '',
        '#### Consequences',
        '',
        '* Good, because one tool to update.',
        '',
        '## Decision 6: Choose the registry',
        '',
        '### Context and Problem Statement',
        '',
        'Images are pushed to three registries.',
        '',
        '### Decision Outcome',
        '',
        'Chosen option: "ECR", because the clusters run on AWS.',
        '',
      ].join('\n');
      assert.deepEqual(await reportedLines(DECISIONS, text), []);
    });

    it('still reports an ADR whose Context or Consequences is missing, empty or placeholders only, and says which', async () => {
      const text = [
        '# Phase 1 Decisions',
        '',
        '## Decision 7: Adopt Helm',
        '',
        '### Context',
        '',
        'Every service has hand-written manifests.',
        '',
        '### Consequences',
        '',
        '<!-- fill in -->',
        '',
        '## Decision 8: Adopt ArgoCD',
        '',
        '### Context',
        '',
        '[Describe the context]',
        '',
        '### Consequences',
        '',
        'Git is the source of truth.',
        '',
        '## Decision 9: Choose the scanner',
        '',
        '### Context and Problem Statement',
        '',
        '{Describe the context and problem statement, e.g., in free form using two to three sentences.}',
        '',
        '### Decision Drivers',
        '',
        '* {decision driver 1, e.g., a force, facing concern, …}',
        '',
        '### Decision Outcome',
        '',
        'Chosen option: "Trivy".',
        '',
        '## Decision 10: Use Vault',
        '',
        '**Context**: TBD',
        '**Consequences**: N/A',
        '',
        '## Decision 11: Use Kyverno',
        '',
        '### Context',
        '',
        'Policies are checked by hand.',
        '',
        '### Decision',
        '',
        'Kyverno enforces them.',
        '',
        '## Decision 12: Cloud',
        '',
        '### Decision 12.1: Use AWS',
        '',
        '#### Context',
        '',
        'The clusters run on AWS.',
        '',
        '#### Consequences',
        '',
        'One bill.',
        '',
      ].join('\n');
      const { svc } = await workspace({ [DECISIONS]: text });
      const lines = text.split('\n');
      assert.deepEqual(
        diagnosticsOf(svc, DECISIONS, 'decision-without-rationale').map((d) => [lines[d.range.start.line], d.message]),
        [
          [
            '## Decision 7: Adopt Helm',
            'Decision "Decision 7: Adopt Helm" gives no rationale: add a "**Rationale**:" line, or fill its Context and Consequences (its Consequences part is empty or a placeholder).',
          ],
          [
            '## Decision 8: Adopt ArgoCD',
            'Decision "Decision 8: Adopt ArgoCD" gives no rationale: add a "**Rationale**:" line, or fill its Context and Consequences (its Context part is empty or a placeholder).',
          ],
          [
            '## Decision 9: Choose the scanner',
            'Decision "Decision 9: Choose the scanner" gives no rationale: add a "**Rationale**:" line, or fill its Context and Consequences (its Context part is empty or a placeholder).',
          ],
          [
            '## Decision 10: Use Vault',
            'Decision "Decision 10: Use Vault" gives no rationale: add a "**Rationale**:" line, or fill its Context and Consequences (its Context part is empty or a placeholder and its Consequences part is empty or a placeholder).',
          ],
          [
            '## Decision 11: Use Kyverno',
            'Decision "Decision 11: Use Kyverno" gives no rationale: add a "**Rationale**:" line, or fill its Context and Consequences (it has no Consequences part).',
          ],
          // The nested decision's parts are its own, not those of the decision around it.
          ['## Decision 12: Cloud', 'Decision "Decision 12: Cloud" gives no rationale: add a "**Rationale**:" line.'],
        ],
      );
    });

    it('the quick fix adds a rationale line to an incomplete ADR, and none to one that gives its reasons (stale finding, Fix all)', async () => {
      const incomplete = nygard.replace('- The team learns HCL.\n- Drift is caught in CI.\n', '[Consequences]\n');
      const { svc } = await workspace({ [DECISIONS]: incomplete });
      const [d] = diagnosticsOf(svc, DECISIONS, 'decision-without-rationale');
      assert.ok(d);
      const [action] = codeActions(svc, [d]);
      const fixed = applyEdits(incomplete, action.change.edits[0].edits);
      assert.match(fixed, /## Decision 3: Adopt Terraform\n\n\*\*Rationale\*\*: \[Why this decision\]\n\n### Status/);
      // Once its Consequences say something, the finding from before offers nothing, and Fix all adds nothing.
      svc.setOverlay(`${ROOT}/${DECISIONS}`, nygard);
      assert.deepEqual(diagnosticsOf(svc, DECISIONS, 'decision-without-rationale'), []);
      assert.deepEqual(codeActions(svc, [d]), []);
      const all = fixAll(svc, `${ROOT}/${DECISIONS}`);
      assert.ok(!all || all.change.edits.every((e) => e.edits.every((x) => !x.newText.includes('Rationale'))));
    });
  });
});

describe('decision-without-rationale: a label with nothing after it', () => {
  it('reports an arrow followed by a connective or punctuation alone (`→ because`, `→ .`); a word, a link or a placeholder after it is one', async () => {
    const bare = ['- Decision 1: Use Loki → because', '- Decision 2: Use Helm → *since*.', '- Decision 3: Use Vault -> .'];
    const given = [
      '- Decision 4: Use k6 → because scripts are plain JavaScript',
      '- Decision 5: Use Trivy → fewer tools',
      '- Decision 6: Use Renovate → [ADR-6](adr/6.md)',
      '- Decision 7: Use Argo → [Why]',
    ];
    assert.deepEqual(await reportedLines(HANDOFF, handoff([...bare, ...given])), bare);
    assert.deepEqual(await reportedLines(DECISIONS, ['# Decisions', '', ...bare, ...given, ''].join('\n')), bare);
  });

  it('reports `reason:`, `because:` or `Rationale:` followed by nothing; a placeholder there is reported by unfilled-placeholder', async () => {
    const bare = ['- Decision 1: Use Loki, reason:', '- Decision 2: Use Helm. Rationale:'];
    const filled = ['- Decision 3: Use Vault, reason: secrets rotate without redeploys', '- Decision 4: Use k6 → [Why this tool was chosen]'];
    assert.deepEqual(await reportedLines(DECISIONS, ['# Decisions', '', ...bare, ...filled, ''].join('\n')), bare);
    assert.deepEqual(await reportedLines(HANDOFF, handoff([bare[1], ...filled])), [bare[1]]);
    const { svc } = await workspace({ [DECISIONS]: ['# Decisions', '', filled[1], ''].join('\n') });
    assert.deepEqual(
      diagnosticsOf(svc, DECISIONS, 'unfilled-placeholder').map((d) => d.message),
      ['Placeholder [Why this tool was chosen] is not filled in.'],
    );
  });
});
