/**
 * The extension's manifest (package.json): when VS Code activates it, and which commands its menus offer
 * where.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { CONFIG_FILES } from '../../server/src/service/config';
import { REPO } from '../helpers/workspace';

interface MenuItem {
  command: string;
  when?: string;
}
interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  activationEvents: string[];
  repository: { url: string };
  contributes: {
    menus: Record<string, MenuItem[]>;
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome: { contents: string }[];
    walkthroughs: { id: string; steps: WalkthroughStep[] }[];
  };
};

/** Whether the .vsix holds a file (its path from the repository), as vsce reads .vscodeignore: the last pattern that matches wins, `!` keeps. */
function packaged(rel: string): boolean {
  let kept = true;
  for (const line of fs.readFileSync(path.join(REPO, '.vscodeignore'), 'utf8').split(/\r?\n/)) {
    const pattern = line.trim();
    if (!pattern || pattern.startsWith('#')) continue;
    const keep = pattern.startsWith('!');
    if (picomatch(keep ? pattern.slice(1) : pattern, { dot: true })(rel)) kept = keep;
  }
  return kept;
}

/** The anchors of the README: its `<a id>`s and its headings as GitHub names them. */
function readmeAnchors(): Set<string> {
  const text = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const ids = [...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]);
  const headings = [...text.matchAll(/^#{1,6} +(.+)$/gm)].map((m) =>
    m[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .replace(/ /g, '-'),
  );
  return new Set([...ids, ...headings]);
}

/** The commands of the Phases view's context menu on a row of `contextValue` (its `when` clauses as VS Code reads them). */
function offeredOn(contextValue: string): string[] {
  return pkg.contributes.menus['view/item/context']
    .filter((m) => {
      const when = m.when ?? '';
      const re = /viewItem =~ \/(.*)\/$/.exec(when);
      if (re) return new RegExp(re[1]).test(contextValue);
      const eq = /viewItem == (\S+)$/.exec(when);
      return eq ? eq[1] === contextValue : true;
    })
    .map((m) => m.command);
}

describe('manifest', () => {
  it('activates in a workspace holding any of the config file names the server reads', () => {
    for (const name of CONFIG_FILES) assert.ok(pkg.activationEvents.includes(`workspaceContains:**/${name}`), `no activation event for ${name}`);
  });

  it('offers Reveal in Explorer on documents that exist, not on missing ones', () => {
    for (const v of ['document', 'phase', 'phase.hasNext.findings', 'group', 'group.needsPlan', 'plan'])
      assert.ok(offeredOn(v).includes('phasegate.phases.revealInExplorer'), `not offered on ${v}`);
    assert.ok(!offeredOn('document.missing').includes('phasegate.phases.revealInExplorer'));
    assert.ok(offeredOn('document.missing').includes('phasegate.phases.newDocument'), 'a missing document is created from the menu');
  });

  it("offers the editor's context menu commands on files only (not a diff's git: side, not an untitled document)", () => {
    for (const m of pkg.contributes.menus['editor/context'].filter((x) => x.command.startsWith('phasegate.')))
      assert.match(m.when ?? '', /^resourceScheme == file && /, `${m.command}: ${m.when}`);
  });

  describe('walkthrough', () => {
    const steps = pkg.contributes.walkthroughs.flatMap((w) => w.steps);
    const repo = pkg.repository.url.replace(/\.git$/, '');
    /** The links of a text in Markdown (`[title](target)`). */
    const links = (text: string) => [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);

    it('has steps, each with a page that exists and ships in the .vsix', () => {
      assert.ok(steps.length >= 4, `${steps.length} steps`);
      for (const step of steps) {
        const page = step.media.markdown ?? step.media.image;
        assert.ok(page, `${step.id}: no media`);
        assert.ok(fs.statSync(path.join(REPO, page)).size > 0, `${step.id}: ${page} is empty`);
        assert.ok(packaged(page), `${step.id}: ${page} is left out of the .vsix by .vscodeignore`);
      }
    });

    it("each step's button runs a command the extension contributes (or a workbench one), and its completion events name them", () => {
      const ours = new Set(pkg.contributes.commands.map((c) => c.command));
      const views = new Set(Object.values(pkg.contributes.views).flatMap((vs) => vs.map((v) => v.id)));
      // A view's focus command, and the workbench's Problems view.
      const known = (c: string) => ours.has(c) || views.has(c.replace(/\.focus$/, '')) || c === 'workbench.actions.view.problems';
      for (const step of steps) {
        const targets = links(step.description);
        assert.ok(targets.length > 0, `${step.id}: no button`);
        for (const t of targets) if (t.startsWith('command:')) assert.ok(known(t.slice('command:'.length)), `${step.id}: ${t}`);
        assert.ok(step.completionEvents?.length, `${step.id}: no completion event (the step would be done once it is selected)`);
        for (const e of step.completionEvents ?? []) {
          const [kind, arg] = [e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1)];
          if (kind === 'onCommand') assert.ok(known(arg), `${step.id}: ${e}`);
          else if (kind === 'onView') assert.ok(views.has(arg), `${step.id}: ${e}`);
          else if (kind === 'onLink') assert.ok(targets.includes(arg), `${step.id}: ${e} is no link of the step`);
          else assert.fail(`${step.id}: ${e}`);
        }
      }
    });

    it("links to the README (the walkthrough's and the welcome view's) lead to one of its anchors", () => {
      const anchors = readmeAnchors();
      const texts = [...steps.map((s) => s.description), ...pkg.contributes.viewsWelcome.map((v) => v.contents)];
      const readme = texts.flatMap(links).filter((t) => t.startsWith(`${repo}#`));
      assert.ok(readme.length >= 2, JSON.stringify(readme));
      for (const t of readme) assert.ok(anchors.has(t.slice(repo.length + 1)), `${t}: no such anchor in README.md`);
    });

    it("the Phases view's welcome opens it", () => {
      const opens = pkg.contributes.viewsWelcome
        .flatMap((v) => links(v.contents))
        .filter((t) => t.startsWith('command:workbench.action.openWalkthrough?'))
        .map((t) => JSON.parse(decodeURIComponent(t.slice(t.indexOf('?') + 1))) as unknown[]);
      assert.deepEqual(opens, [[`${pkg.publisher}.${pkg.name}#${pkg.contributes.walkthroughs[0].id}`, false]]);
    });

    it("its pages' command lines are the CLI's", () => {
      const ci = steps.find((s) => s.id === 'ci');
      const text = fs.readFileSync(path.join(REPO, ci!.media.markdown!), 'utf8');
      const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
      const commands = [...text.matchAll(/^(?:\s*- run: |)(phasegate \S+(?: --\S+(?: \S+)?)*)/gm)].map((m) => m[1].replace(/ +#.*$/, '').trim());
      assert.ok(commands.length >= 4, JSON.stringify(commands));
      for (const c of commands) assert.ok(readme.includes(c), `${c}: not in README.md`);
    });
  });
});
