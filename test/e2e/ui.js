// UI end-to-end test: the installed extension in code-server's workbench, driven by Playwright in Debian's Chromium.
// Waits on selectors with timeouts, never on sleeps. Screenshots go to <resultsDir>.
// Usage: node ui.js <baseUrl> <workspace> [resultsDir] [emptyWorkspace] [logsDir]
// logsDir: code-server's logs folder (<user-data-dir>/logs), where the extension host writes its log.
const fs = require('node:fs');
const path = require('node:path');
const { launch, NOISE } = require('./browser');
const { DEFECT } = require('./defect');

const [, , base, workspace, results = 'test-results/e2e', emptyWorkspace, logsDir] = process.argv;

/** The extension hosts' logs (`<logsDir>/<session>/exthostN/remoteexthost.log`). */
function extHostLogs() {
  const out = [];
  for (const session of fs.existsSync(logsDir) ? fs.readdirSync(logsDir) : [])
    for (const host of fs.readdirSync(path.join(logsDir, session)).filter((d) => /^exthost\d+$/.test(d))) {
      const log = path.join(logsDir, session, host, 'remoteexthost.log');
      if (fs.existsSync(log)) out.push(log);
    }
  return out;
}

/** The error entries of an extension host log (an entry: a timestamped line and the lines under it) that name the extension. */
function ourErrors(log) {
  const entries = fs.readFileSync(log, 'utf8').split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[)/);
  // Ours: naming Phasegate (its extension folder, its messages), not merely a path in this run's temporary
  // folder (phasegate-e2e.XXXXXX), which any error of the workbench about a workspace file names too, or in the
  // cached code-server (~/.cache/phasegate-e2e/), which the stacks of the built-in extensions' errors name.
  return entries.filter((e) => /^\S+ \S+ \[error\]/.test(e) && /phasegate/i.test(e.replace(/phasegate-e2e(\.\w+)?/g, 'e2e-work')));
}

(async () => {
  const t0 = Date.now();
  fs.mkdirSync(results, { recursive: true });
  const { page, close } = await launch();
  page.on('console', (m) => {
    if (m.type() === 'error' && !NOISE.test(m.text())) console.log('  [browser]', m.text().slice(0, 200));
  });
  const outcome = { passed: 0, failed: 0 };
  let n = 0;
  const shot = (name) => page.screenshot({ path: path.join(results, `${String(++n).padStart(2, '0')}-${name}.png`) });
  /**
   * Moves the pointer off the workbench's rows: a row's hover (a phase's gates) left over the rows below it
   * takes their clicks. Waits, best effort, until no hover shows.
   */
  const leaveHover = async () => {
    await page.mouse.move(1, 1);
    await page
      .locator('.workbench-hover-container, .monaco-hover:not(.hidden)')
      .first()
      .waitFor({ state: 'hidden', timeout: 5000 })
      .catch(() => undefined);
  };

  const step = async (name, fn) => {
    const t = Date.now();
    try {
      await leaveHover();
      await fn();
      outcome.passed++;
      console.log(`PASS ui: ${name} (${Date.now() - t} ms)`);
    } catch (e) {
      outcome.failed++;
      console.log(`FAIL ui: ${name}: ${e.message.split('\n')[0]}`);
      await page.screenshot({ path: path.join(results, `fail-${name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
    }
  };

  const workbench = page.locator('.monaco-workbench');
  const quickInput = page.locator('.quick-input-widget');
  const quickRows = quickInput.locator('.quick-input-list .monaco-list-row');
  const phasesView = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^\s*Phases/i }) });
  const treeRow = (text) => phasesView.locator('.monaco-list-row', { hasText: text });
  const problems = page.locator('.markers-panel');
  const editorLines = page.locator('.editor-group-container.active .monaco-editor .view-lines');
  /** The cursor's place as the status bar shows it (`Ln 12, Col 1`). */
  const cursorAt = (line) => page.locator('.statusbar-item', { hasText: new RegExp(`^\\s*Ln ${line}, Col `) }).first();
  /**
   * Waits until the selected row of the Phases view matches `row` and its parent's (the nearest row above it one
   * level up) matches `parent`.
   */
  const selectedRow = async (what, row, parent) => {
    const pane = await phasesView.elementHandle({ timeout: 10000 });
    // With `rowRe` null: what is selected (for the message when it never matches).
    const read = ({ p, rowRe, parentRe }) => {
      const rows = [...p.querySelectorAll('.monaco-list-row')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      const i = rows.findIndex((r) => r.getAttribute('aria-selected') === 'true');
      if (i < 0) return rowRe === null ? 'nothing' : false;
      const level = Number(rows[i].getAttribute('aria-level'));
      const up = rows
        .slice(0, i)
        .reverse()
        .find((r) => Number(r.getAttribute('aria-level')) === level - 1);
      const got = { row: rows[i].textContent, parent: up ? up.textContent : '' };
      if (rowRe === null) return got;
      return new RegExp(rowRe).test(got.row) && new RegExp(parentRe).test(got.parent);
    };
    await page.waitForFunction(read, { p: pane, rowRe: row.source, parentRe: parent.source }, { timeout: 15000, polling: 'raf' }).catch(async (e) => {
      const now = await page.evaluate(read, { p: pane, rowRe: null, parentRe: null }).catch(() => undefined);
      throw new Error(`${what}: the Phases view's selection: ${JSON.stringify(now)} (${e.message.split('\n')[0]})`);
    });
  };
  /** The 1-based line of the first line of a workspace file that matches `re`. */
  const lineOf = (rel, re) =>
    fs
      .readFileSync(path.join(workspace, rel), 'utf8')
      .split('\n')
      .findIndex((l) => re.test(l)) + 1;

  /** Clicks a context menu's item: a menu ignores a click that comes too soon after it opened, so until the menu closes. */
  const clickMenuItem = async (item) => {
    await item.waitFor({ timeout: 10000 });
    const deadline = Date.now() + 10000;
    for (;;) {
      await item.click();
      try {
        await item.waitFor({ state: 'detached', timeout: 1000 });
        return;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
    }
  };
  /** Runs a palette command by its title (F1 opens the palette with `>`). */
  const runCommand = async (title) => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = quickInput.locator('input');
    await input.waitFor({ timeout: 10000 });
    await input.fill(`>${title}`);
    await quickRows.filter({ hasText: title }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
  };
  /**
   * Ctrl+. in the editor until the quick fix menu shows an action titled `title`; returns its row. The first
   * request can be cancelled while other providers register (the workbench cancels code action requests when
   * the provider registry changes); Ctrl+. again, until the deadline, like a user would.
   */
  const quickFixMenu = async (title) => {
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    const deadline = Date.now() + 30000;
    for (;;) {
      await page.keyboard.press('Control+.');
      try {
        await fix.waitFor({ timeout: 3000 });
        return fix;
      } catch {
        if (Date.now() > deadline) {
          const widget = await page
            .locator('.action-widget')
            .allTextContents()
            .catch(() => []);
          throw new Error(`no quick fix menu (action widget: ${JSON.stringify(widget).slice(0, 300)})`);
        }
        await page.keyboard.press('Escape');
      }
    }
  };
  /** Opens a workspace file with Quick Open. */
  const openFile = async (rel) => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = quickInput.locator('input');
    await input.waitFor({ timeout: 10000 });
    await input.fill(rel);
    await quickRows
      .filter({ hasText: path.basename(rel) })
      .first()
      .waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: path.basename(rel) }).waitFor({ timeout: 15000 });
  };
  /**
   * Expands a collapsed tree row (clicking a collapsed row with no command expands it). The view may render
   * the row again meanwhile (the server's phases-changed notification refreshes the tree): the row is looked
   * up again until it reports expanded, and clicked again only while it reports collapsed.
   */
  const expand = async (row) => {
    const deadline = Date.now() + 20000;
    for (;;) {
      await row.waitFor({ timeout: 30000 });
      const state = await row.getAttribute('aria-expanded');
      if (state === 'true') return;
      if (Date.now() > deadline) throw new Error(`the row did not expand (aria-expanded=${state})`);
      if (state === 'false') {
        await row.click();
        // Else the row's hover, once it shows, covers the rows it expanded.
        await page.mouse.move(1, 1);
      }
      // Until this element reports expanded or leaves the DOM (rendered again: look it up again).
      const el = await row.elementHandle();
      await page.waitForFunction((e) => !e.isConnected || e.getAttribute('aria-expanded') === 'true', el, { timeout: 5000 }).catch(() => undefined);
    }
  };

  await step('workbench loads the workspace', async () => {
    await page.goto(`${base}/?folder=${encodeURIComponent(path.resolve(workspace))}`);
    await workbench.waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60000 });
  });

  await step('Phasegate view shows phases and gates', async () => {
    await page
      .locator('.activitybar .action-item a[aria-label^="Phasegate"], .activitybar .action-item[aria-label^="Phasegate"]')
      .first()
      .click({ timeout: 30000 });
    await treeRow(/^phase-1/)
      .first()
      .waitFor({ timeout: 60000 });
    await treeRow(/Build/).first().waitFor({ timeout: 10000 });
    const phase3 = treeRow(/phase-3/).first();
    await expand(phase3);
    await treeRow(/01-INPUT_HANDOFF\.md/)
      .first()
      .waitFor({ timeout: 10000 });
    await expand(treeRow(/^Gates/).first());
    // The planted defect (handoff-mismatch) fails phase 3's Approval gate.
    await treeRow(/Approval\s*failed/)
      .first()
      .waitFor({ timeout: 30000 });
    await treeRow(/Completeness/)
      .first()
      .waitFor({ timeout: 10000 });
    console.log('  phase-3:', (await phase3.textContent()).trim());
    await shot('phase-tree');
  });

  await step('Problems panel shows our diagnostics with rule ids', async () => {
    await treeRow(/01-INPUT_HANDOFF\.md/)
      .first()
      .click();
    await page.locator('.tab.active', { hasText: '01-INPUT_HANDOFF.md' }).waitFor({ timeout: 15000 });
    await page.keyboard.press('Control+Shift+M');
    await problems.waitFor({ timeout: 30000 });
    await problems.locator('.monaco-list-row', { hasText: DEFECT.code }).first().waitFor({ timeout: 30000 });
    console.log('  problems:', (await problems.locator('.monaco-list-row').allTextContents()).join(' | ').slice(0, 400));
    await shot('problems');
  });

  await step('a failed gate in the Phases view leads to the diagnostic that fails it', async () => {
    await runCommand('View: Close All Editors');
    await page.locator('.tab.active').waitFor({ state: 'detached', timeout: 10000 });
    // The planted defect is reported on the heading of the section the input is missing from.
    const line = lineOf(DEFECT.file, /^#+ .*Inputs Received/);
    await treeRow(/Approval\s*failed/)
      .first()
      .click();
    await page.locator('.tab.active', { hasText: path.basename(DEFECT.file) }).waitFor({ timeout: 15000 });
    await cursorAt(line).waitFor({ timeout: 10000 });
    // The Phases view, which follows the editor, keeps the gate selected (not the document it opened).
    await selectedRow('the gate clicked', /^Approval/, /^Gates/);
    await shot('gate-to-diagnostic');
  });

  await step('status bar shows the current phase and its gates', async () => {
    const item = page.locator('.statusbar-item', { hasText: /phase-3 · \d+\/6 gates/ });
    await item.first().waitFor({ timeout: 30000 });
    console.log('  status bar:', (await item.first().textContent()).trim());
  });

  await step('quick fix (Ctrl+.) completes the handoff', async () => {
    // Put the cursor inside the diagnostic's range: the heading of the section the input is missing from.
    await editorLines.locator('.view-line', { hasText: 'Inputs Received' }).first().click();
    await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: 10000 });
    const fix = await quickFixMenu(/Complete handoff from phase-2/);
    await shot('quick-fix-menu');
    await fix.click();
    await editorLines.filter({ hasText: `${DEFECT.item}:` }).waitFor({ timeout: 15000 });
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 10000 });
    await problems.locator('.monaco-list-row', { hasText: DEFECT.code }).first().waitFor({ state: 'detached', timeout: 30000 });
    await shot('handoff-completed');
  });

  await step('the insert-section quick fix (Ctrl+.) leaves the cursor in the new section, its placeholder selected to type over', async () => {
    const rel = 'audit-deployment/phase-2/00-PHASE_BRIEF.md';
    const file = path.join(workspace, rel);
    const original = fs.readFileSync(file, 'utf8');
    // The Scope section removed on disk (from its heading to the next one): missing-section on the title.
    const scopeLine = lineOf(rel, /^## Scope$/);
    fs.writeFileSync(file, original.replace(/\n## Scope\n[\s\S]*?(?=\n## )/, ''));
    try {
      await openFile(rel);
      // The Phases view follows the editor, without unfolding the phase: phase-2's row is selected.
      await selectedRow('the brief of phase-2 opened with Quick Open', /^phase-2/, /^audit-deployment/);
      await editorLines.locator('.view-line', { hasText: '# Phase 2: Testing' }).first().click();
      await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: 10000 });
      const fix = await quickFixMenu(/Insert section "Scope"/);
      await fix.click();
      // Inserted where it was; its placeholder two lines below its heading, selected (44 characters).
      const placeholder = '[What is in scope, and what is out of scope]';
      await editorLines.filter({ hasText: placeholder }).waitFor({ timeout: 15000 });
      const cursor = page.locator('.statusbar-item', { hasText: new RegExp(`^\\s*Ln ${scopeLine + 2}, Col \\d+ \\(${placeholder.length} selected\\)`) });
      await cursor
        .first()
        .waitFor({ timeout: 10000 })
        .catch(async (e) => {
          await shot('insert-section-cursor-missing');
          const items = await page.locator('.statusbar-item').allTextContents();
          throw new Error(`${e.message.split('\n')[0]}; status bar: ${JSON.stringify(items.filter((t) => /Ln \d/.test(t)))}`);
        });
      await shot('insert-section-cursor');
      // Typing replaces it.
      await page.keyboard.type('Everything but the runner.');
      // (The editor draws spaces as no-break spaces: \s matches both.)
      await editorLines
        .locator('.view-line', { hasText: /^Everything\sbut\sthe\srunner\.$/ })
        .first()
        .waitFor({ timeout: 10000 });
      await editorLines.filter({ hasText: placeholder }).waitFor({ state: 'detached', timeout: 10000 });
    } finally {
      await runCommand('File: Revert File').catch(() => undefined);
      fs.writeFileSync(file, original);
    }
  });

  await step('gate code lens leads to the unchecked item, which the editor context menu checks', async () => {
    await openFile('audit-deployment/phase-3/07-VALIDATION.md');
    // phase-3 is expanded: the Phases view selects the document's own row.
    await selectedRow('the validation of phase-3 opened with Quick Open', /^07-VALIDATION\.md/, /^phase-3/);
    const lens = page.locator('.codelens-decoration a', { hasText: /Gate Completeness: pending/ }).first();
    await lens.waitFor({ timeout: 30000 });
    await shot('gate-lens');
    await lens.click();
    // The gate's one unchecked item: the cursor goes to its line.
    await cursorAt(lineOf('audit-deployment/phase-3/07-VALIDATION.md', /Worker and scheduler images build/)).waitFor({ timeout: 10000 });
    await shot('gate-lens-cause');
    await editorLines.locator('.view-line', { hasText: 'Worker and scheduler images build' }).first().click({ button: 'right' });
    await clickMenuItem(page.locator('.monaco-menu .action-item', { hasText: 'Toggle Gate Checklist Item' }).first());
    await editorLines.filter({ hasText: '- [x] Worker and scheduler images build' }).waitFor({ timeout: 15000 });
    await page
      .locator('.codelens-decoration a', { hasText: /Gate Completeness: pending · 2\/2 checked/ })
      .first()
      .waitFor({ timeout: 15000 });
  });

  await step('editor context menu toggles the checklist item under the cursor', async () => {
    await editorLines.locator('.view-line', { hasText: 'Trivy reports no critical finding' }).first().click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Toggle Gate Checklist Item' }).first();
    await item.waitFor({ timeout: 10000 });
    await shot('editor-context-menu');
    await item.click();
    await editorLines.filter({ hasText: '- [x] Trivy reports no critical finding' }).waitFor({ timeout: 15000 });
  });

  await step('Complete Handoff names the file it changes and the phases, before and after', async () => {
    // The defect again (the quick fix above restored the input): its line deleted and saved.
    await treeRow(/01-INPUT_HANDOFF\.md/)
      .first()
      .click();
    await page.locator('.tab.active', { hasText: path.basename(DEFECT.file) }).waitFor({ timeout: 15000 });
    await editorLines
      .locator('.view-line', { hasText: `${DEFECT.item}:` })
      .first()
      .click();
    await page.keyboard.press('Control+Shift+K');
    await editorLines.filter({ hasText: `${DEFECT.item}:` }).waitFor({ state: 'detached', timeout: 10000 });
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 10000 });
    // The view shows the defect before its context menu is used (a menu opened on rows that the view then
    // draws again runs its command on a node the view no longer holds); phase 3's gates, expanded above, are
    // expanded again if the view folded them meanwhile.
    await expand(treeRow(/^Gates/).first());
    await treeRow(/Approval\s*failed/)
      .first()
      .waitFor({ timeout: 30000 });
    await treeRow(/^phase-2/)
      .first()
      .click({ button: 'right' });
    await clickMenuItem(page.locator('.monaco-menu .action-item', { hasText: 'Complete Handoff to Next Phase' }).first());
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: 'Complete the handoff from phase-2 to phase-3?' }).waitFor({ timeout: 15000 });
    await dialog.filter({ hasText: `This changes ${DEFECT.file}, the input handoff of phase-3` }).waitFor({ timeout: 5000 });
    await shot('complete-handoff-confirm');
    await dialog.locator('.monaco-button', { hasText: 'Complete Handoff' }).first().click();
    await page
      .locator('.notification-toast', { hasText: `completed ${DEFECT.file}, the input handoff of phase-3, from the output handoff of phase-2` })
      .first()
      .waitFor({ timeout: 15000 });
    await editorLines.filter({ hasText: `${DEFECT.item}:` }).waitFor({ timeout: 15000 });
    await shot('complete-handoff-done');
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 10000 });
  });

  await step('palette command creates a phase from the templates', async () => {
    // The active editor is in phase-3, so the command knows the sequence and asks only for the title.
    await runCommand('Phasegate: New Phase…');
    await quickInput.filter({ hasText: /Title of phase 4 in audit-deployment/ }).waitFor({ timeout: 10000 });
    const input = quickInput.locator('input');
    await input.fill('Infra/Code');
    await quickInput.filter({ hasText: /leave out/ }).waitFor({ timeout: 5000 }); // validation message
    await input.fill('Infrastructure as Code');
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: '00-PHASE_BRIEF.md' }).waitFor({ timeout: 30000 });
    const brief = path.join(workspace, 'audit-deployment/phase-4/00-PHASE_BRIEF.md');
    if (!fs.existsSync(brief)) throw new Error(`${brief} was not written`);
    await treeRow(/^phase-4/)
      .first()
      .waitFor({ timeout: 30000 });
    await shot('new-phase');
  });

  await step('tree context menu creates a phase in an iAI workstream', async () => {
    await treeRow(/^Build/)
      .first()
      .click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'New Phase…' }).first();
    await item.waitFor({ timeout: 10000 });
    await shot('tree-context-menu');
    await item.click();
    await quickInput.filter({ hasText: /Title of phase 3 in Build/ }).waitFor({ timeout: 10000 });
    await quickInput.locator('input').fill('Advanced CI');
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'implementation_prompt.md' }).waitFor({ timeout: 30000 });
    const prompt = path.join(workspace, 'all_use_iai_project/workstreams/Build/Phase_3_Advanced_CI/implementation_prompt.md');
    if (!fs.existsSync(prompt)) throw new Error(`${prompt} was not written`);
    await treeRow(/Phase_3_Advanced_CI/)
      .first()
      .waitFor({ timeout: 30000 });
    await shot('new-iai-phase');
  });

  await step("an audit phase's Findings row lists its findings, and its + writes one that shows there at once", async () => {
    await expand(treeRow(/^phase-3/).first());
    const findings = treeRow(/^Findings/).first();
    await findings.waitFor({ timeout: 15000 });
    await expand(findings);
    await treeRow(/image-size-analysis\.md/)
      .first()
      .waitFor({ timeout: 10000 });
    await findings.hover();
    await findings.locator('.action-label[aria-label="New Finding…"]').click({ timeout: 10000 });
    await page.mouse.move(1, 1);
    await quickInput.filter({ hasText: /New Finding in phase-3/ }).waitFor({ timeout: 10000 });
    await quickInput.locator('input').fill('Cache warmup');
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'cache-warmup.md' }).waitFor({ timeout: 30000 });
    await treeRow(/cache-warmup\.md/)
      .first()
      .waitFor({ timeout: 30000 });
    await treeRow(/^Findings\s*2 in 03-FINDINGS/)
      .first()
      .waitFor({ timeout: 10000 });
    await shot('findings');
  });

  await step('editor context menu offers Toggle Gate Checklist Item in an iAI implementation prompt too', async () => {
    // Quick Open lists the prompt of Phase_3 (just opened) first: the row of Phase_1's is picked by its folder.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const rel = 'all_use_iai_project/workstreams/Build/Phase_1_Source_Code_Management/implementation_prompt.md';
    await quickInput.locator('input').fill(rel);
    await quickRows.filter({ hasText: 'Phase_1_Source_Code_Management' }).first().click({ timeout: 15000 });
    await page.locator('.tab.active', { hasText: 'implementation_prompt.md' }).waitFor({ timeout: 15000 });
    // The Phases view follows the editor without unfolding rows: the row of the prompt's phase (collapsed) is selected.
    await selectedRow('the prompt opened with Quick Open', /^Phase_1_Source_Code_Management/, /^Build/);
    // The editor counts as in a phase (phasegate.inPhase): the status bar shows its phase.
    await page
      .locator('.statusbar-item', { hasText: /Source Code Management|Phase_1_Source_Code_Management/ })
      .first()
      .waitFor({ timeout: 30000 });
    // The checklist is below the fold: Quick Open's `:LINE` brings it into view.
    const line = lineOf(rel, /A pull request with a lint error fails CI/);
    await page.keyboard.press('Control+P');
    await quickInput.locator('input').fill(`:${line}`);
    await page.keyboard.press('Enter');
    await cursorAt(line).waitFor({ timeout: 10000 });
    await editorLines.locator('.view-line', { hasText: 'A pull request with a lint error fails CI' }).first().click({ button: 'right' });
    await page.locator('.monaco-menu .action-item', { hasText: 'Toggle Gate Checklist Item' }).first().waitFor({ timeout: 10000 });
    await shot('iai-context-menu');
    await page.keyboard.press('Escape');
  });

  if (logsDir) {
    await step('closing the window logs no error of the extension', async () => {
      // Code actions asked for (Ctrl+.), then the cursor moved: the workbench asks for code actions again
      // while the window closes.
      await treeRow(/01-INPUT_HANDOFF\.md/)
        .first()
        .click();
      await page.locator('.tab.active', { hasText: path.basename(DEFECT.file) }).waitFor({ timeout: 15000 });
      await editorLines.locator('.view-line', { hasText: 'Inputs Received' }).first().click();
      await page.keyboard.press('Control+.');
      await page.locator('.action-widget, .monaco-editor-overlaymessage').first().waitFor({ timeout: 10000 });
      await page.keyboard.press('Escape');
      for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
      const before = extHostLogs();
      if (before.length === 0) throw new Error(`no extension host log in ${logsDir}`);
      const reloaded = page.waitForEvent('load', { timeout: 60000 });
      await runCommand('Developer: Reload Window');
      await reloaded;
      await workbench.waitFor({ timeout: 60000 });
      // The old extension host has deactivated the extension and exited.
      const deadline = Date.now() + 30000;
      while (!before.every((l) => /exiting with code/.test(fs.readFileSync(l, 'utf8')))) {
        if (Date.now() > deadline) throw new Error(`the extension host did not exit within 30 s (${before.join(', ')})`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // The new window's extension runs (the restored editor's phase on the status bar) before the next step leaves it.
      await page
        .locator('.statusbar-item', { hasText: /phase-3 · \d+\/6 gates/ })
        .first()
        .waitFor({ timeout: 60000 });
      const errors = before.flatMap(ourErrors);
      if (errors.length)
        throw new Error(
          `${errors.length} error(s) of the extension: ${errors
            .map((e) => e.split('\n').slice(0, 3).join(' | '))
            .join(' || ')
            .slice(0, 600)}`,
        );
    });
  }

  if (emptyWorkspace) {
    await step("the walkthrough shows its steps; a step's button runs its command, which marks the step done", async () => {
      await page.goto(`${base}/?folder=${encodeURIComponent(path.resolve(emptyWorkspace))}`);
      await workbench.waitFor({ timeout: 60000 });
      // The window opens code-server's Welcome page (a walkthrough page too) as it loads, when it does: closed first.
      await page
        .locator('.gettingStartedContainer')
        .first()
        .waitFor({ timeout: 15000 })
        .catch(() => undefined);
      await runCommand('View: Close All Editors');
      await page.locator('.gettingStartedContainer').first().waitFor({ state: 'hidden', timeout: 15000 });
      // The Phases view's welcome (no phase yet) opens it.
      await page
        .locator('.activitybar .action-item a[aria-label^="Phasegate"], .activitybar .action-item[aria-label^="Phasegate"]')
        .first()
        .click({ timeout: 30000 });
      const getStarted = page.locator('.welcome-view-content .monaco-button', { hasText: 'Get Started with Phasegate' });
      await getStarted.waitFor({ timeout: 30000 });
      await getStarted.click({ timeout: 15000 });
      const container = page.locator('.gettingStartedContainer');
      const stepRow = (title) => container.locator('.getting-started-step', { hasText: title }).first();
      const done = (title) => stepRow(title).locator('.codicon-pass-filled, .codicon-getting-started-step-checked').first();
      for (const title of [
        'Start your first phase',
        'See every phase and its gates',
        'Fix problems as you type',
        'Hand off to the next phase',
        'Run the same checks in CI',
      ])
        await stepRow(title).waitFor({ timeout: 30000 });
      await shot('walkthrough');
      // The first step's button asks for the layout, as Scaffold First Phase does; the step is then done.
      await stepRow('Start your first phase').click({ timeout: 15000 });
      await stepRow('Start your first phase').locator('.monaco-button', { hasText: 'Scaffold First Phase' }).first().click({ timeout: 10000 });
      await quickRows.filter({ hasText: 'Audit phases' }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Escape');
      await done('Start your first phase').waitFor({ timeout: 15000 });
      // The second opens the Phases view (its welcome: no phase yet), hidden behind the Explorer first.
      await page.keyboard.press('Control+Shift+E');
      await page.locator('.welcome-view-content .monaco-button', { hasText: 'Scaffold First Phase' }).waitFor({ state: 'hidden', timeout: 15000 });
      await stepRow('See every phase and its gates').click({ timeout: 15000 });
      await stepRow('See every phase and its gates').locator('.monaco-button', { hasText: 'Open the Phases View' }).first().click({ timeout: 10000 });
      await page.locator('.welcome-view-content .monaco-button', { hasText: 'Scaffold First Phase' }).waitFor({ state: 'visible', timeout: 15000 });
      await done('See every phase and its gates').waitFor({ timeout: 15000 });
      // The Explorer again, as the window below starts.
      await page.keyboard.press('Control+Shift+E');
    });

    await step('welcome view scaffolds a first phase', async () => {
      await page.goto(`${base}/?folder=${encodeURIComponent(path.resolve(emptyWorkspace))}`);
      await workbench.waitFor({ timeout: 60000 });
      await page
        .locator('.activitybar .action-item a[aria-label^="Phasegate"], .activitybar .action-item[aria-label^="Phasegate"]')
        .first()
        .click({ timeout: 30000 });
      const button = page.locator('.welcome-view-content .monaco-button', { hasText: 'Scaffold First Phase' });
      await button.waitFor({ timeout: 30000 });
      await shot('welcome-view');
      // New Implementation Prompt without iAI phases: straight to the workstream (no layout pick), which
      // refuses `..` as it is typed, before any title is asked for.
      await runCommand('Phasegate: New Implementation Prompt…');
      await quickInput.filter({ hasText: /Workstream of the first phase/ }).waitFor({ timeout: 15000 });
      await quickInput.locator('input').fill('..');
      await quickInput.filter({ hasText: /not a workstream name/ }).waitFor({ timeout: 5000 });
      await shot('workstream-validation');
      await page.keyboard.press('Escape');
      await quickInput.waitFor({ state: 'hidden', timeout: 5000 });
      await button.click();
      await quickRows.filter({ hasText: 'Audit phases' }).first().click({ timeout: 15000 });
      await quickInput.filter({ hasText: /Title of the first phase/ }).waitFor({ timeout: 10000 });
      await quickInput.locator('input').fill('Foundation Audit & Baseline');
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: '00-PHASE_BRIEF.md' }).waitFor({ timeout: 30000 });
      await treeRow(/^phase-1/)
        .first()
        .waitFor({ timeout: 30000 });
      if (!fs.existsSync(path.join(emptyWorkspace, 'phase-1/00-PHASE_BRIEF.md'))) throw new Error('phase-1/00-PHASE_BRIEF.md was not written');
      await shot('scaffolded');
    });
  }

  await close();
  console.log(`ui: ${outcome.passed} passed, ${outcome.failed} failed (${Date.now() - t0} ms)`);
  process.exit(outcome.failed ? 1 : 0);
})().catch((e) => {
  console.log(`FAIL ui: crashed: ${e && e.stack ? e.stack : e}`);
  process.exit(2);
});
