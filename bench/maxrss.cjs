// Preloaded with `node --require` when GNU time is not installed: writes the process's peak RSS (KB)
// and CPU seconds (user, system) to $PG_BENCH_RSS_FILE when it exits, in GNU time's `%M %U %S` format.
const fs = require('node:fs');

process.on('exit', () => {
  const file = process.env.PG_BENCH_RSS_FILE;
  if (!file) return;
  const u = process.resourceUsage();
  fs.writeFileSync(file, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\n`);
});
