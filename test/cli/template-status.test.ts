/**
 * The templates' front matter `status:` names the values it takes, as the schema of its kind lists them, in a YAML
 * comment: the rendered documents read `status: draft` as before, and no rule reports them for it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { REPO } from '../helpers/workspace';
import { run, WritableMemoryFileSystem } from './helpers';

const STATUS_LINE = /^status: draft {2}# (.*)$/m;

describe('the templates: the values of status', () => {
  it("lists, after each template's status, the values the schema of its kind allows, in its order", () => {
    const folder = path.join(REPO, 'templates');
    const files = fs.readdirSync(folder).filter((f) => f.endsWith('.md.hbs'));
    assert.ok(files.length >= 10);
    for (const f of files) {
      const text = fs.readFileSync(path.join(folder, f), 'utf8');
      const m = STATUS_LINE.exec(text);
      assert.ok(m, `${f}: no commented status line`);
      const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', f.replace('.md.hbs', '.schema.json')), 'utf8')) as {
        properties: { status: { enum: string[] } };
      };
      assert.equal(m[1], schema.properties.status.enum.join(' | '), f);
    }
  });

  it('renders documents whose status reads as draft and that no front matter rule reports', async () => {
    const audit = new WritableMemoryFileSystem();
    assert.equal((await run(['new', 'phase', '--title', 'Audit'], audit)).code, 0);
    assert.equal((await run(['new', 'finding', 'phase-1', '--title', 'Old deps'], audit)).code, 0);
    const iai = new WritableMemoryFileSystem();
    assert.equal((await run(['new', 'phase', '--workstream', 'Build', '--title', 'CI'], iai)).code, 0);
    assert.equal((await run(['new', 'response', 'Build/Phase_1_CI'], iai)).code, 0);
    assert.equal((await run(['new', 'plan'], iai)).code, 0);
    let documents = 0;
    for (const fsys of [audit, iai]) {
      for (const p of fsys.paths().filter((f) => f.endsWith('.md'))) {
        const text = fsys.text(p)!;
        assert.match(text, STATUS_LINE, p);
        const fm = /^---\n([\s\S]*?)\n---\n/.exec(text)!;
        assert.equal((parse(fm[1]) as { status: string }).status, 'draft', p);
        documents++;
      }
      const json = JSON.parse((await run(['check', '--format', 'json'], fsys)).stdout) as { diagnostics: { code: string; file: string }[] };
      const frontMatter = json.diagnostics.filter((d) => /front-matter/.test(d.code));
      assert.deepEqual(frontMatter, []);
    }
    // The audit phase's six documents and finding; the prompt, response and plan.
    assert.equal(documents, 10);
  });
});
