// The raw floor, as the benchmark's issue defines it: reading the files and parsing them with the
// Markdown parser the engine uses. Walk the tree, read and decode every Markdown file, parse its body
// with markdown-it configured as the engine configures it (server/src/service/markdown.ts; the front
// matter lines are left empty, as the engine leaves them). Nothing is kept. Prints one JSON line.
//
//   node bench/floor.mjs <workspace> [--mode engine|full] [--yaml]
//   engine: the parse the engine runs (block structure; inline markup is not tokenised, see markdown.ts)
//   full:   markdown-it's complete parse (block + inline), for reference
//   tuned:  for reference, markdown-it with the engine's own replacements of some of its pieces
//           (server/src/service/block-state.ts, from out/: its block state's line tables, and paragraph
//           and table rules that make no tokens the engine does not read). The floor proper is
//           markdown-it as published: the parser the engine uses, not the engine's work on it.
//   --yaml: also parse every front matter with the yaml package's full Document parse, for reference
//           (the engine reads flat `key: value` front matter without it: service/frontmatter-fast.ts)
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';

const t0 = performance.now();
const ws = path.resolve(process.argv[2]);
const mi = process.argv.indexOf('--mode');
const mode = mi > 0 ? process.argv[mi + 1] : 'engine';
const withYaml = process.argv.includes('--yaml');
// Loaded only when asked for: the floor proper does not pay for a module it does not use.
const YAML = withYaml ? await import('yaml') : undefined;
const md = new MarkdownIt('commonmark', { html: true }).enable('table');
// As the engine: no inline tokenisation, and markdown-it's 'normalize' rule only when there is a CR or NUL to replace.
if (mode === 'engine' || mode === 'tuned') md.core.ruler.disable(['inline', 'text_join', 'normalize']);
if (mode === 'tuned') {
  const { createRequire } = await import('node:module');
  const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const tuned = createRequire(import.meta.url)(path.join(repo, 'out/server/src/service/block-state.js'));
  tuned.useFastBlockState(md);
  tuned.useParagraphWithoutTokens(md);
  tuned.useTableWithoutCells(md);
}
const utf8 = new TextDecoder('utf-8', { fatal: true });

const files = [];
const stack = [ws];
while (stack.length) {
  const dir = stack.pop();
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) stack.push(p);
    else if (e.isFile() && e.name.endsWith('.md')) files.push(p);
  }
}
const tWalk = performance.now();
let bytes = 0;
let tokens = 0;
for (const f of files) {
  const buf = fs.readFileSync(f);
  bytes += buf.length;
  const text = utf8.decode(buf);
  let body = text;
  if (text.startsWith('---\n')) {
    const end = text.indexOf('\n---\n', 4);
    if (end > 0) {
      if (YAML) YAML.parseDocument(text.slice(4, end), { uniqueKeys: true, prettyErrors: false, strict: true }).toJS({ maxAliasCount: 100 });
      body = '\n'.repeat(text.slice(0, end + 5).split('\n').length - 1) + text.slice(end + 5);
    }
  }
  if (mode !== 'full' && (body.includes('\r') || body.includes('\0'))) body = body.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
  tokens += md.parse(body, {}).length;
}
const tEnd = performance.now();
process.stdout.write(
  JSON.stringify({
    mode,
    yaml: withYaml,
    files: files.length,
    bytes,
    tokens,
    walkMs: tWalk - t0,
    parseMs: tEnd - tWalk,
    totalMs: tEnd - t0,
    maxRssKB: process.resourceUsage().maxRSS,
  }) + '\n',
);
