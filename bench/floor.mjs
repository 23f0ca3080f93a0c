// The raw floor: what any checker of these files must at least do. Walk the tree, read every Markdown
// file, decode it, parse its front matter with yaml and its body with markdown-it configured as the
// engine configures it (server/src/service/markdown.ts). Nothing is kept. Prints one JSON line.
//
//   node bench/floor.mjs <workspace> [--mode engine|full]
//   engine: the parse the engine runs (block structure; inline markup is not tokenised, see markdown.ts)
//   full:   markdown-it's complete parse (block + inline), for reference
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import * as YAML from 'yaml';

const t0 = performance.now();
const ws = path.resolve(process.argv[2]);
const mi = process.argv.indexOf('--mode');
const mode = mi > 0 ? process.argv[mi + 1] : 'engine';
const md = new MarkdownIt('commonmark', { html: true }).enable('table');
// As the engine: no inline tokenisation, and markdown-it's 'normalize' rule only when there is a CR or NUL to replace.
if (mode === 'engine') md.core.ruler.disable(['inline', 'text_join', 'normalize']);
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
      YAML.parseDocument(text.slice(4, end), { uniqueKeys: true, prettyErrors: false, strict: true }).toJS({ maxAliasCount: 100 });
      body = '\n'.repeat(text.slice(0, end + 5).split('\n').length - 1) + text.slice(end + 5);
    }
  }
  if (mode === 'engine' && (body.includes('\r') || body.includes('\0'))) body = body.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
  tokens += md.parse(body, {}).length;
}
const tEnd = performance.now();
process.stdout.write(
  JSON.stringify({
    mode,
    files: files.length,
    bytes,
    tokens,
    walkMs: tWalk - t0,
    parseMs: tEnd - tWalk,
    totalMs: tEnd - t0,
    maxRssKB: process.resourceUsage().maxRSS,
  }) + '\n',
);
