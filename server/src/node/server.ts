/**
 * Entry point of the language server process. `createConnection(ProposedFeatures.all)`
 * picks the transport from the command line (--stdio, --node-ipc, --socket=N).
 * Over stdio, stdout is the protocol: console output goes to the client's log instead.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../lsp/server';
import { loadAssets } from './assets';
import { IdleCollector } from './idle-gc';
import { TreeWatcher } from './tree-watch';
import { ServerFileSystem } from './server-fs';
import { youngGenerationCap } from './v8-tuning';

const connection = createConnection(ProposedFeatures.all);

const format = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? a.message) : JSON.stringify(a))).join(' ');
console.log = (...a: unknown[]) => connection.console.log(format(a));
console.info = (...a: unknown[]) => connection.console.info(format(a));
console.warn = (...a: unknown[]) => connection.console.warn(format(a));
console.error = (...a: unknown[]) => connection.console.error(format(a));
console.debug = (...a: unknown[]) => connection.console.log(format(a));

// Never crash on a stray error: log it and keep serving. Once the connection is closed (the client
// went away while the server was still writing) nothing can be logged and nothing is left to serve:
// the process ends with 1, as at the end of its input without a shutdown, not with a fatal error.
const report = (message: string) => {
  try {
    connection.console.error(message);
  } catch {
    process.exit(1);
  }
};
process.on('uncaughtException', (e) => report(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => report(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));

startServer(connection, {
  fs: new ServerFileSystem({ log: (m) => connection.console.info(m) }),
  assets: loadAssets(),
  watchTree: (options) => new TreeWatcher(options),
});

// Memory back once idle after heavy work (idle-gc.ts).
new IdleCollector().start();

// V8's young generation no larger than Node 20's, as in the CLI (v8-tuning.ts): looked at on a timer until it
// is, since the server reads and checks in slices between which timers run.
const probeYoung = youngGenerationCap({ stride: 1 });
const youngTimer = setInterval(() => {
  if (probeYoung()) clearInterval(youngTimer);
}, 50);
youngTimer.unref();
