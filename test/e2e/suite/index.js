// Entry point the extension host calls (extensionTestsPath): runs every *.test.js here with Mocha,
// printing PASS/FAIL per test and `N passed, N failed`. Rejects when a test fails, so the host exits non-zero.
const fs = require('node:fs');
const path = require('node:path');
const { Mocha, Runner } = require('mocha');

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_RUN_END } = Runner.constants;

/** One line per test, in the format run.sh counts. */
class PassFailReporter {
  constructor(runner) {
    let passed = 0;
    let failed = 0;
    runner.on(EVENT_TEST_PASS, (t) => {
      passed++;
      console.log(`PASS ${t.fullTitle()} (${t.duration} ms)`);
    });
    runner.on(EVENT_TEST_FAIL, (t, err) => {
      failed++;
      console.log(
        `FAIL ${t.fullTitle()}: ${String(err && err.message)
          .split('\n')
          .slice(0, 6)
          .join(' | ')}`,
      );
    });
    runner.on(EVENT_RUN_END, () => console.log(`suite: ${passed} passed, ${failed} failed`));
  }
}

/** Runs every *.test.js of `dir` (the untrusted-folder suite runs its own folder's). */
async function runDir(dir) {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, reporter: PassFailReporter });
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(dir, f));
  await mocha.loadFilesAsync();
  const failures = await new Promise((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}

/** What the extension host calls (with arguments of its own, which this suite does not use). */
function run() {
  return runDir(__dirname);
}

module.exports = { run, runDir };
