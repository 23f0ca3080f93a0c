// Entry point of the untrusted-folder run (extensionTestsPath): the shared runner over this folder's tests.
const { run } = require('../suite/index');

module.exports = { run: () => run(__dirname) };
