/** Maps a JSON pointer (as ajv reports it) to the range of that value in a YAML document. */
import * as YAML from 'yaml';
import { Range } from './types';
import { yamlOffsetRange } from './markdown';

export function pointerSegments(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Range of the node at `pointer`. With `key` set, the range of the key of the last
 * segment instead (for errors about a property itself). `firstLine` is the line of the
 * Markdown file where the YAML text starts.
 */
export function pathRange(doc: YAML.Document.Parsed, lines: string[], firstLine: number, raw: string, pointer: string, key?: string): Range | undefined {
  const segs = pointerSegments(pointer);
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const seg of [...segs, ...(key !== undefined ? [key] : [])]) {
    if (YAML.isMap(node)) {
      const pair = node.items.find((p) => (YAML.isScalar(p.key) ? String(p.key.value) === String(seg) : p.key === seg));
      if (!pair) return nodeRange(node, lines, firstLine, raw);
      keyNode = pair.key;
      node = pair.value;
    } else if (YAML.isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) return nodeRange(node, lines, firstLine, raw);
      keyNode = undefined;
      node = item;
    } else {
      break;
    }
  }
  if (key !== undefined && keyNode) return nodeRange(keyNode, lines, firstLine, raw);
  return nodeRange(node ?? keyNode, lines, firstLine, raw);
}

function nodeRange(node: unknown, lines: string[], firstLine: number, raw: string): Range | undefined {
  const r = (node as { range?: [number, number, number] } | undefined)?.range;
  if (!r) return undefined;
  return yamlOffsetRange(lines, firstLine, raw, r[0], r[1]);
}
