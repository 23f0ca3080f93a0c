import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import {
  BUILTIN_LAYOUTS,
  MemoryFileSystem,
  PLAN_KIND,
  PhasegateService,
  RULES,
  SectionSpec,
  hasEvidence,
  parseConfig,
  ruleDocsUrl,
} from '../../server/src/service';
import { assets, diagnosticsOf, REPO, workspace } from '../helpers/workspace';

type Json = Record<string, unknown>;

describe('rule documentation', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');

  it('documents every rule id with an anchor, its default severity and an example or explanation', () => {
    for (const r of RULES) {
      assert.ok(readme.includes(`<a id="rule-${r.id}"></a>\n### \`${r.id}\` (${r.severity})`), `README section for ${r.id}`);
      assert.ok(ruleDocsUrl(r.id).endsWith(`#rule-${r.id}`));
    }
  });

  it('lists the sections of every built-in document kind, each with the other names it goes by, as the layouts define them', () => {
    const names = (sec: SectionSpec) => {
      const title = sec.required === false ? `*${sec.title}*` : sec.title;
      return sec.aliases?.length ? `${title} (${sec.aliases.join(', ')})` : title;
    };
    const docs = [...BUILTIN_LAYOUTS.flatMap((l) => l.documents.map((d) => [l.name, d] as const)), ['iai', PLAN_KIND] as const];
    for (const [layout, d] of docs) {
      const row = `| ${layout} | \`${d.file}\` | ${d.sections.map(names).join('; ')} |`;
      assert.ok(readme.includes(row), `README row for ${d.file}:\n${row}`);
    }
  });

  it('lists the rules each built-in gate answers for, as the layouts define them', () => {
    for (const layout of BUILTIN_LAYOUTS) {
      for (const g of layout.gates) {
        const row = `| ${layout.name} | ${g.name} | ${g.failOn.length ? g.failOn.map((r) => `\`${r}\``).join(', ') : '—'} |`;
        assert.ok(readme.includes(row), `README row for ${layout.name}/${g.name}:\n${row}`);
      }
    }
  });

  it('documents every setting of package.json with its default, and every command with its title', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      contributes: {
        configuration: { properties: Record<string, { default: unknown; minimum?: number; maximum?: number; enum?: string[] }> };
        commands: { command: string; title: string }[];
      };
    };
    const settings = Object.entries(pkg.contributes.configuration.properties);
    assert.ok(settings.length >= 6);
    for (const [key, p] of settings) {
      let shown = `\`${JSON.stringify(p.default)}\``;
      if (p.minimum !== undefined || p.maximum !== undefined) shown += ` (${p.minimum ?? ''}–${p.maximum ?? ''})`;
      if (p.enum) shown += ` (${p.enum.map((v) => `\`${v}\``).join(', ')})`;
      const row = `| \`${key}\` | ${shown} | `;
      assert.ok(readme.includes(row), `README row for the setting ${key}:\n${row}`);
    }
    assert.ok(pkg.contributes.commands.length >= 20);
    for (const c of pkg.contributes.commands) {
      const row = `| ${c.title} | \`${c.command}\` | `;
      assert.ok(readme.includes(row), `README row for the command ${c.command}:\n${row}`);
    }
  });

  it('documents no rule id the engine does not have', () => {
    const documented = [...readme.matchAll(/<a id="rule-([a-z-]+)"><\/a>/g)].map((m) => m[1]);
    assert.deepEqual(documented.sort(), RULES.map((r) => r.id).sort());
  });

  it("invalid-front-matter: the README's example shows the message the engine gives", async () => {
    const section = readme.slice(readme.indexOf('### `invalid-front-matter`'), readme.indexOf('<a id="rule-front-matter-schema">'));
    const example = /```markdown\n([\s\S]*?)```/.exec(section)![1];
    const shown = /← (.*)$/m.exec(example)![1];
    const text = example.replace(/ *← .*$/m, '');
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': `${text}# Phase 1: Foundation audit\n` });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'invalid-front-matter').map((d) => d.message),
      [shown],
    );
  });

  it("copied-document: the README's example shows the message the engine gives, at the status", async () => {
    const section = readme.slice(readme.indexOf('### `copied-document`'), readme.indexOf('<a id="rule-invalid-directive">'));
    const example = /```markdown\n([\s\S]*?)```/.exec(section)![1];
    const shown = /← (.*)$/m.exec(example)![1];
    const text = example.replace(/ *← .*$/m, '');
    const { svc } = await workspace({ 'phase-2/07-VALIDATION.md': text, 'phase-3/07-VALIDATION.md': text });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-3/07-VALIDATION.md', 'copied-document').map((d) => [d.range.start.line, d.message]),
      [[3, shown]],
    );
  });

  it('copied-document: the rule catalog, the config schema and the README name every phase the rule compares with', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'config.schema.json'), 'utf8')) as {
      properties: { rules: { properties: Record<string, { description: string }> } };
    };
    const section = readme.slice(readme.indexOf('### `copied-document`'), readme.indexOf('```markdown', readme.indexOf('### `copied-document`')));
    // Shown in hover and completion of directives and of phasegate.yaml, and in SARIF: the two phases before, and the phase after.
    for (const [where, text] of [
      ['catalog', RULES.find((r) => r.id === 'copied-document')!.description],
      ['config schema', schema.properties.rules.properties['copied-document'].description],
      ['README', section.replace(/\s+/g, ' ')],
    ]) {
      assert.match(text, /two phases before it\b/, where);
      assert.match(text, /the phase after it where (it|the document) names that phase as its own/, where);
      assert.doesNotMatch(text, /\bthe previous phase's (document )?of the same kind\b/, where);
    }
  });

  it('gate-item-no-evidence: the forms of evidence the README and the config schema list are the ones the gates accept', () => {
    const section = readme.slice(readme.indexOf('### `gate-item-no-evidence`'), readme.indexOf('<a id="rule-metric-threshold">'));
    assert.match(section, /inline link .*autolink .*backticked `` `path` `` \(any backticked text counts\), or `Evidence:`/);
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'config.schema.json'), 'utf8')) as {
      properties: { rules: { properties: Record<string, { description: string }> } };
    };
    assert.match(schema.properties.rules.properties['gate-item-no-evidence'].description, /inline link .*autolink, .*backticked `path` .*`Evidence:`/);
    const item = (text: string) => ({ text }) as Parameters<typeof hasEvidence>[0];
    for (const t of [
      'Done [report](04-ARTIFACTS/report.md)',
      'Done <https://ci.example.com/run/1>',
      'Done in `04-ARTIFACTS/report.md`',
      'Done `ok`',
      'Done — Evidence: the log',
      'evidence : the log',
    ])
      assert.ok(hasEvidence(item(t)), t);
    for (const t of ['Done', 'Done https://ci.example.com/run/1', 'Done [report][ref]', 'Done — see the log']) assert.ok(!hasEvidence(item(t)), t);
  });
});

describe('configuration documentation', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration: `phasegate.yaml`'), readme.indexOf('\n## Rules\n'));
  const example = /```yaml\n([\s\S]*?)```/.exec(section)![1];
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'config.schema.json'), 'utf8')) as Json;

  /** Every property name of the schema with where it is (`layouts[].documents[].sections[].title`); rule ids and kinds under `rules` and `schemas` are data, not keys. */
  function keys(node: unknown, at: string, out: string[] = []): string[] {
    if (!node || typeof node !== 'object') return out;
    const n = node as Json;
    if (n.properties) {
      for (const [k, v] of Object.entries(n.properties as Json)) {
        const where = at ? `${at}.${k}` : k;
        out.push(where);
        if (k !== 'rules' && k !== 'schemas') keys(v, where, out);
      }
    }
    if (n.items) keys(n.items, `${at}[]`, out);
    for (const alt of (n.anyOf as unknown[] | undefined) ?? []) keys(alt, at, out);
    return out;
  }

  it('the README configuration section shows every key of the config schema, in its YAML example and its table', () => {
    const all = keys(schema, '');
    assert.ok(all.length > 30, all.join());
    const data = YAML.parse(example) as Json;
    /** Whether the example's data has the key at that place. */
    const has = (where: string): boolean => {
      let nodes: unknown[] = [data];
      for (const part of where.split('.')) {
        const name = part.replace(/\[\]$/, '');
        nodes = nodes.flatMap((x) => (x && typeof x === 'object' && name in (x as Json) ? [(x as Json)[name]] : []));
        if (part.endsWith('[]')) nodes = nodes.flatMap((x) => (Array.isArray(x) ? x : []));
      }
      return nodes.length > 0;
    };
    for (const where of all) {
      const hops = where.replace(/\[\]/g, '').split('.');
      // `sections[]` items are strings or objects: the path through the array's items.
      const viaItems = where.replace(/sections\.(\w+)$/, 'sections[].$1');
      assert.ok(has(viaItems) || has(where), `the README's example has no ${where}`);
      const name = hops[hops.length - 1];
      assert.match(
        section.slice(section.indexOf('| key |')),
        new RegExp(`\`[^\`\\n]*\\b${name}\\b[^\`\\n]*\``),
        `the README's table does not name \`${name}\` (${where})`,
      );
    }
  });

  it("the README's example is a valid phasegate.yaml", () => {
    const svc = new PhasegateService({ fs: new MemoryFileSystem(), assets });
    const cfg = parseConfig('/ws/phasegate.yaml', example, '/ws', svc.validator('config'));
    assert.deepEqual(cfg.problems, []);
    assert.equal(cfg.layouts[0].name, 'sprint');
  });

  it('paths and globs are relative to the workspace folder, also with a config file elsewhere, as the README and the schema say', async () => {
    const fsys = new MemoryFileSystem();
    const config =
      'ignore: ["drafts/**"]\nlayouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    documents:\n      - kind: goals\n        file: GOALS.md\n';
    // Not named phasegate.yaml: a folder holding one is a project of its own (a nested workspace).
    fsys.write('/ws/cfg/strict.yaml', config);
    for (const root of ['/ws', '/ws/cfg']) {
      fsys.write(`${root}/sprints/sprint-1/GOALS.md`, '# Sprint 1\n');
      fsys.write(`${root}/drafts/phase-1/00-PHASE_BRIEF.md`, '# Phase 1: Draft\n');
    }
    const svc = new PhasegateService({ fs: fsys, assets });
    await svc.load('/ws', undefined, { configFile: '/ws/cfg/strict.yaml' });
    assert.deepEqual(
      svc.model.phases.map((p) => `${p.folder} ${p.layout.name}`),
      ['/ws/cfg/drafts/phase-1 audit', '/ws/sprints/sprint-1 sprint'],
    );
    const props = schema.properties as Record<string, Json>;
    const layout = ((props.layouts.items as Json).properties as Record<string, Json>).phases;
    for (const d of [props.ignore.description, props.templates.description, props.schemas.description, layout.description])
      assert.match(d as string, /relative to the workspace folder/);
    assert.match(
      section,
      /paths and globs \(`ignore`, `templates`, `schemas`, `layouts\[\]\.phases`\) are relative to the\s+\*\*workspace folder\*\*, not to the file/,
    );
    assert.doesNotMatch(section, /relative to this file|folder of phasegate\.yaml/);
  });
});
