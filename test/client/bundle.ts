/** Bundles a module of client/src with `vscode` replaced by test/client/vscode-mock.ts, for tests of the client outside VS Code. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');

const built = new Map<string, Promise<unknown>>();

/** The exports of the modules `rels` (relative to the repository), and the mock `vscode` they were bundled with. */
export function clientModule<T>(...rels: string[]): Promise<{ mod: T; vscode: typeof import('./vscode-mock') }> {
  const rel = rels.join('+');
  let p = built.get(rel);
  if (!p) {
    p = (async () => {
      const esbuild = await import('esbuild');
      const out = path.join(REPO, 'out', 'client-test', `${rel.replace(/[/\\+]/g, '_')}.js`);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      // The module and the mock in one bundle, so that both see the same `vscode`.
      const entry = path.join(path.dirname(out), `${path.basename(out, '.js')}.entry.ts`);
      const mods = path.join(path.dirname(out), `${path.basename(out, '.js')}.mods.ts`);
      fs.writeFileSync(mods, rels.map((r) => `export * from ${JSON.stringify(path.join(REPO, r))};\n`).join(''));
      fs.writeFileSync(
        entry,
        `export * as mod from ${JSON.stringify(mods)};\nexport * as vscode from ${JSON.stringify(path.join(REPO, 'test', 'client', 'vscode-mock.ts'))};\n`,
      );
      await esbuild.build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        outfile: out,
        logLevel: 'error',
        alias: { vscode: path.join(REPO, 'test', 'client', 'vscode-mock.ts') },
      });
      return require(out);
    })();
    built.set(rel, p);
  }
  return p as Promise<{ mod: T; vscode: typeof import('./vscode-mock') }>;
}
