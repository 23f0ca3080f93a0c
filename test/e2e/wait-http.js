// Waits until a URL answers 2xx (code-server's /healthz), polling with a deadline. Usage: node wait-http.js URL [ms]
const http = require('node:http');
const [, , url, ms = '60000'] = process.argv;
const deadline = Date.now() + Number(ms);
function probe() {
  const req = http.get(url, (res) => {
    res.resume();
    if (res.statusCode >= 200 && res.statusCode < 300) process.exit(0);
    retry();
  });
  req.on('error', retry);
  req.setTimeout(2000, () => req.destroy());
}
function retry() {
  if (Date.now() > deadline) {
    console.error(`timeout waiting for ${url}`);
    process.exit(1);
  }
  setTimeout(probe, 200);
}
probe();
