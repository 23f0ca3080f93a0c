// Entry point of the large-workspace run (extensionTestsPath): the shared runner over this folder's tests.
const { runDir } = require('../suite/index');

module.exports = { run: () => runDir(__dirname) };
