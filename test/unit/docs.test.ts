import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, ruleDocsUrl } from '../../server/src/service';
import { REPO } from '../helpers/workspace';

describe('rule documentation', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');

  it('documents every rule id with an anchor, its default severity and an example or explanation', () => {
    for (const r of RULES) {
      assert.ok(readme.includes(`<a id="rule-${r.id}"></a>\n### \`${r.id}\` (${r.severity})`), `README section for ${r.id}`);
      assert.ok(ruleDocsUrl(r.id).endsWith(`#rule-${r.id}`));
    }
  });

  it('documents no rule id the engine does not have', () => {
    const documented = [...readme.matchAll(/<a id="rule-([a-z-]+)"><\/a>/g)].map((m) => m[1]);
    assert.deepEqual(documented.sort(), RULES.map((r) => r.id).sort());
  });
});
