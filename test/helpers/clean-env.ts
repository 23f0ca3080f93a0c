/**
 * Loaded before the tests (.mocharc.json `require`): the CLI processes the tests start inherit this
 * environment, and in a GitHub Actions job `phasegate check` would add annotations to its text output and
 * write the job's summary. The tests that mean those give their environment themselves (test/cli/github.test.ts).
 */
for (const name of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'GITHUB_WORKSPACE']) delete process.env[name];
