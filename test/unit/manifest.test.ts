/**
 * The extension's manifest (package.json): when VS Code activates it, and which commands its menus offer
 * where.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILES } from '../../server/src/service/config';
import { REPO } from '../helpers/workspace';

interface MenuItem {
  command: string;
  when?: string;
}
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { menus: Record<string, MenuItem[]> };
};

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
});
