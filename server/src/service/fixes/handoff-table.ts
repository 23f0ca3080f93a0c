/**
 * Complete handoff into a table of inputs (`| Input | Location | Description |`): each input phase N hands
 * off, as a row in the receiving table's own columns, appended after its last row (its header and alignment
 * row, and the rows already there, left as they are). An input handed off as a row keeps its cells; one
 * handed off as a list item (`- Name: \`path\` - description`) is split into a name, a location and a
 * description.
 */
import type { ParsedDocument, Section, Table } from '../markdown';
import { CopiedRow, NUMBER_CELL, NUMBER_HEADER, isRealItem, maskRefs, prerequisiteColumns, textKey, withoutComments } from '../handoff';
import type { TextEdit } from '../types';
import type { Insertion } from './phase-edit';
import { range } from '../types';

/** What a column holds: read from its header. */
type Role = 'number' | 'name' | 'location' | 'description' | 'other';

/** One value of an input, for a cell: its header in the table it comes from (none for a list item's parts), its role, its Markdown. */
export interface CellValue {
  header: string | undefined;
  role: Role;
  text: string;
}

const LOCATION_HEADER = /\b(?:locations?|paths?|files?|links?|where|urls?|sources?|references?)\b/;
const DESCRIPTION_HEADER = /\b(?:descriptions?|notes?|purpose|details?|summary|comments?|usage|use|why|contents?|remarks?)\b/;
const NAME_HEADER = /\b(?:inputs?|names?|artifacts?|items?|deliverables?|outputs?|documents?|titles?)\b/;

/**
 * The role of each column of a table, by its header: a first column that numbers the rows (its header `#`
 * or `No.`, and no row with anything but a number in it), a location, a description, a name; when no header
 * names the name, the first column of no other role holds it.
 */
function columnRoles(headers: string[], firstCells: string[]): Role[] {
  const roles = headers.map((h, i): Role => {
    const k = textKey(h);
    if (i === 0 && NUMBER_HEADER.test(k) && firstCells.every((c) => c.trim() === '' || NUMBER_CELL.test(c))) return 'number';
    if (LOCATION_HEADER.test(k)) return 'location';
    if (DESCRIPTION_HEADER.test(k)) return 'description';
    if (NAME_HEADER.test(k)) return 'name';
    return 'other';
  });
  if (!roles.includes('name')) {
    const j = roles.indexOf('other');
    if (j >= 0) roles[j] = 'name';
  }
  return roles;
}

/** A text for a table cell: every `|` not escaped yet escaped (`\|` stands for `|` in a cell as in a list item). */
function escapePipes(s: string): string {
  return s.replace(/\\?\|/g, (m) => (m.length === 2 ? m : '\\|'));
}

/** The values of a row handed off in a table: its non-empty cells, each with its column's header and role (a number cell left out). */
export function rowValues(row: CopiedRow): CellValue[] {
  const roles = columnRoles(row.headers, row.firstCells);
  const out: CellValue[] = [];
  row.cells.forEach((text, i) => {
    if (text === '' || roles[i] === 'number' || (i === 0 && NUMBER_CELL.test(text))) return;
    out.push({ header: row.headers[i], role: roles[i] ?? 'other', text });
  });
  return out;
}

/** The text before and after the first match of `re` in `text` outside its links and code spans, or undefined. */
function splitAt(text: string, re: RegExp): [string, string] | undefined {
  // Masked with a letter, not a space: a separator's spaces are not sought inside a link.
  const m = re.exec(maskRefs(text, 'x'));
  return m ? [text.slice(0, m.index), text.slice(m.index + m[0].length)] : undefined;
}

/** A text that holds a path: a relative link, a code span or a bare path. */
function holdsPath(text: string): boolean {
  return /\]\(|`|\S\/\S/.test(text);
}

/**
 * The values of an input handed off as a list item (`Name: location - description`, its first line as copied,
 * `more` its further lines): the text before the first colon (outside links and code) its name, then its
 * location up to a ` - ` and its description after it; further lines joined to the last value with `<br>`.
 */
export function itemValues(line: string, more: string[]): CellValue[] {
  const text = withoutComments(line).trim();
  let name = '';
  let rest = text;
  const named = splitAt(text, /:(?=\s|$)/);
  if (named && named[0].trim() !== '') [name, rest] = [named[0].trim(), named[1].trim()];
  let location = '';
  let description = '';
  // From the start of a run of blanks only (the same first match; each run gone over once, not from each of its places).
  const parts = splitAt(rest, /(?<!\s)\s+[-–—]\s+/);
  if (parts && (holdsPath(parts[0]) || name !== '')) [location, description] = [parts[0].trim(), parts[1].trim()];
  else if (parts) [name, description] = [parts[0].trim(), parts[1].trim()];
  else if (holdsPath(rest)) location = rest;
  else if (name === '') name = rest;
  else description = rest;
  // A location without a path (`Roadmap: approved - see the wiki`) is what the item says of the input.
  if (location !== '' && !holdsPath(location)) [location, description] = ['', description === '' ? location : `${location} - ${description}`];
  const out: CellValue[] = [];
  if (name !== '') out.push({ header: undefined, role: 'name', text: escapePipes(name) });
  if (location !== '') out.push({ header: undefined, role: 'location', text: escapePipes(location) });
  if (description !== '') out.push({ header: undefined, role: 'description', text: escapePipes(description) });
  const further = more.map((l) => l.trim()).filter((l) => l !== '');
  if (further.length) {
    const tail = escapePipes(further.join('<br>'));
    if (out.length) out[out.length - 1].text += `<br>${tail}`;
    else out.push({ header: undefined, role: 'description', text: tail });
  }
  return out;
}

/** The values of an item whose whole text is one value (an open question: `Which registry?`), further lines joined with `<br>`. */
export function textValues(line: string, more: string[]): CellValue[] {
  const text = [withoutComments(line).trim(), ...more.map((l) => l.trim())].filter((l) => l !== '').join('<br>');
  return text === '' ? [] : [{ header: undefined, role: 'name', text: escapePipes(text) }];
}

/**
 * The cells of a new row of `table` holding `values`: each value in the column of its own header, else in the
 * first free column of its role; a value no column takes joins its neighbour's cell (` - ` between them), so
 * that nothing handed off is left out. `number` fills a numbering column.
 */
function cellsFor(values: CellValue[], headers: string[], roles: Role[], number: string): string[] {
  const keys = headers.map(textKey);
  const col: (number | undefined)[] = values.map(() => undefined);
  const taken = new Set<number>();
  const place = (pick: (v: CellValue) => number) =>
    values.forEach((v, i) => {
      if (col[i] !== undefined) return;
      const j = pick(v);
      if (j >= 0) {
        col[i] = j;
        taken.add(j);
      }
    });
  place((v) => {
    const k = v.header === undefined ? '' : textKey(v.header);
    return k === '' ? -1 : keys.findIndex((x, j) => x === k && roles[j] !== 'number' && !taken.has(j));
  });
  place((v) => roles.findIndex((r, j) => r === v.role && r !== 'number' && !taken.has(j)));
  place((v) => (v.role === 'other' ? roles.findIndex((r, j) => r === 'other' && !taken.has(j)) : -1));
  // A location or description no column is named for: the first free column of no role (`| Input | Notes |`).
  place((v) => (v.role !== 'name' ? roles.findIndex((r, j) => r === 'other' && !taken.has(j)) : -1));
  // Values left over join the next placed value's cell, else the previous one's, else the last column; never
  // the name's cell when another will do: the row is read back as `name: the other cells`, and a name cell
  // holding more would no longer name the input it was written for (the fix would not see it done).
  const nameCol = roles.indexOf('name');
  let fallback = headers.length - 1;
  while (fallback > 0 && (roles[fallback] === 'number' || fallback === nameCol)) fallback--;
  if (roles[fallback] === 'number') fallback = Math.max(0, nameCol);
  const home = values.map((v, i) => {
    if (col[i] !== undefined) return col[i]!;
    const fits = (j: number | undefined) => j !== undefined && (j !== nameCol || v.role === 'name' || fallback === nameCol);
    for (let k = i + 1; k < values.length; k++) if (fits(col[k])) return col[k]!;
    for (let k = i - 1; k >= 0; k--) if (fits(col[k])) return col[k]!;
    return fallback;
  });
  const cells = headers.map((_h, j) =>
    values
      .filter((_v, i) => home[i] === j)
      .map((v) => v.text)
      .join(' - '),
  );
  roles.forEach((r, j) => {
    if (r === 'number' && cells[j] === '') cells[j] = number;
  });
  return cells;
}

/** A first cell that would start a block of its own on a row without a leading pipe (`1. Step`, `- x`, `# x`, `> x`, a fence, HTML), ending the table. */
const BLOCK_START = /^(?:[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|#{1,6}(?:\s|$)|>|<|`{3}|~{3}|(?:[-*_]\s*){3,}$)/;

/**
 * A row written as the table's header is: its indentation (and `>` in a quote), and a leading and a trailing pipe
 * if the header has them; a leading pipe also when its first cell would otherwise start a block (`1. Step |`).
 */
function renderRow(header: string, cells: string[]): string {
  const indent = /^(?:[ \t]*>)*[ \t]*/.exec(header)![0];
  const t = header.slice(indent.length).trim();
  const lead = t.startsWith('|') || BLOCK_START.test(cells[0] ?? '');
  const trail = t.length > 1 && t.endsWith('|') && !t.endsWith('\\|');
  const body = cells.join(' | ');
  return `${indent}${lead ? '| ' : ''}${body}${trail ? ' |' : ''}`.trimEnd();
}

/** The last table of a section (its subsections' included), the one the rule reads received inputs from. */
export function sectionTable(doc: ParsedDocument, sec: Section): Table | undefined {
  let found: Table | undefined;
  for (const t of doc.tables) if (t.line > sec.heading.line && t.line < sec.end) found = t;
  return found;
}

/** Whether a table's rows hold nothing but template placeholders (`| [Input] | [Location] | [Description] |`). */
function onlyPlaceholderRows(doc: ParsedDocument, table: Table): boolean {
  return (
    table.rows.length > 0 &&
    table.rows.every(
      (r) =>
        !isRealItem(
          r.cells
            .filter((c, i) => !(i === 0 && NUMBER_CELL.test(c.text)))
            .map((c) => c.text)
            .join(' '),
        ) && !(doc.lines[r.line] ?? '').includes('<!--'),
    )
  );
}

/** The edit writing `rows` (cells each) after a table's last row, or in place of its rows of placeholders. */
function writeRows(doc: ParsedDocument, table: Table, rows: string[][]): { insertion?: Insertion; replace?: TextEdit } {
  const header = doc.lines[table.line] ?? '';
  const lines = rows.map((cells) => renderRow(header, cells));
  const last = table.endLine;
  const end = (doc.lines[last] ?? '').length;
  if (onlyPlaceholderRows(doc, table)) return { replace: { range: range(table.rows[0].line, 0, last, end), newText: lines.join(doc.eol) } };
  return { insertion: { line: last, character: end, text: doc.eol + lines.join(doc.eol) } };
}

/** A value noted on a question (`Owner: Infra`): after its header, when that has words. */
function noted(v: CellValue): string {
  return v.header !== undefined && textKey(v.header) !== '' ? `${v.header.trim()}: ${v.text}` : v.text;
}

/** Header words (`textKey`) of the column that holds the questions of a table of open questions. */
const QUESTION_HEADER = /\b(?:questions?|issues?|topics?|asks?)\b/;

/** The question of an open question's values (its Question column's, else its name column's, else its first), and its other values. */
function questionParts(values: CellValue[]): { question: CellValue | undefined; rest: CellValue[] } {
  const question = values.find((v) => v.header !== undefined && QUESTION_HEADER.test(textKey(v.header))) ?? values.find((v) => v.role === 'name') ?? values[0];
  return { question, rest: values.filter((v) => v !== question) };
}

/** The question an open question's values ask (`\|` read as `|`). */
export function questionOf(values: CellValue[]): string {
  return (questionParts(values).question?.text ?? '').replace(/\\\|/g, '|');
}

/**
 * Whether a row of a table of open questions asks one: its question cell (the column headed Question, else its name
 * column) holds something. A row without it (`|  | Infra | 2025-03-01 |`) asks nothing: its owner is no question.
 */
export function asksQuestion(row: CopiedRow): boolean {
  const asked = row.headers.findIndex((h) => QUESTION_HEADER.test(textKey(h)));
  const col = asked >= 0 ? asked : columnRoles(row.headers, row.firstCells).indexOf('name');
  return col < 0 || withoutComments(row.cells[col] ?? '').trim() !== '';
}

/** An open question handed off as a table row, as a list item's text: `Which registry? (Owner: Infra; Due: 2025-02-01)`. */
export function rowAsQuestion(row: CopiedRow): string {
  const { question, rest } = questionParts(rowValues(row));
  if (!question) return '';
  return (rest.length ? `${question.text} (${rest.map(noted).join('; ')})` : question.text).replace(/\\\|/g, '|');
}

/**
 * The question of an item or row that reads as one written by the fix, with notes in parentheses after it
 * (`Which registry? (Owner: Infra)`, a row `Which registry? (Due: 2025-02-01): Infra`): the text before them.
 */
export function notedQuestion(text: string): string | undefined {
  const i = text.indexOf(' (');
  const j = i < 0 ? -1 : text.indexOf(')', i);
  return j > i && text.slice(i + 2, j).includes(': ') ? text.slice(0, i) : undefined;
}

/**
 * Rows for open questions in a table of questions: each value in the column of its own header, the question in
 * the name column with the values no column is headed for noted after it (`Which registry? (Due: 2025-02-01)`),
 * a numbering column numbered on; after the table's last row, or in place of its rows of placeholders.
 */
export function appendQuestionRows(doc: ParsedDocument, table: Table, questions: CellValue[][]): { insertion?: Insertion; replace?: TextEdit } {
  if (!questions.length) return {};
  const headers = table.header.map((c) => c.text);
  const keys = headers.map(textKey);
  const roles = columnRoles(
    headers,
    table.rows.map((r) => r.cells[0]?.text ?? ''),
  );
  const asked = keys.findIndex((k) => QUESTION_HEADER.test(k));
  const nameCol = asked >= 0 ? asked : Math.max(0, roles.indexOf('name'));
  const { sample, last } = numbering(doc, table);
  let n = last;
  return writeRows(
    doc,
    table,
    questions.map((values) => {
      const cells = headers.map(() => '');
      const { question, rest } = questionParts(values);
      const extra: string[] = [];
      for (const v of rest) {
        const k = v.header === undefined ? '' : textKey(v.header);
        const j = k === '' ? -1 : keys.findIndex((x, i) => x === k && i !== nameCol && roles[i] !== 'number' && cells[i] === '');
        if (j >= 0) cells[j] = v.text;
        else extra.push(noted(v));
      }
      cells[nameCol] = (question?.text ?? '') + (extra.length ? ` (${extra.join('; ')})` : '');
      n++;
      roles.forEach((r, j) => {
        if (r === 'number' && cells[j] === '') cells[j] = numberLike(sample, n);
      });
      return cells;
    }),
  );
}

/**
 * Where a table's numbering goes on from: the highest number in column `col` of its rows (0 when they hold only
 * template placeholders, which new rows replace), and the last row's cell there, whose shape new numbers take.
 */
function numbering(doc: ParsedDocument, table: Table, col = 0): { last: number; sample: string | undefined } {
  if (onlyPlaceholderRows(doc, table)) return { last: 0, sample: undefined };
  return {
    last: Math.max(0, ...table.rows.map((r) => Number(/\d+/.exec(r.cells[col]?.text ?? '')?.[0] ?? 0))),
    sample: table.rows[table.rows.length - 1]?.cells[col]?.text,
  };
}

/** Number `n` written as `sample`, a numbering cell, writes its own (`3`, `#3`, `3.`); else plain. */
function numberLike(sample: string | undefined, n: number): string {
  return sample && NUMBER_CELL.test(sample) ? sample.replace(/\d+/, String(n)) : String(n);
}

/**
 * Rows for prerequisites (their Markdown) in a table of prerequisites: each in the table's name column, its
 * status left empty (not met: only the team confirms one), a numbering column numbered on.
 */
export function appendPrerequisiteRows(doc: ParsedDocument, table: Table, texts: string[]): { insertion?: Insertion; replace?: TextEdit } {
  if (!texts.length) return {};
  const { name, number } = prerequisiteColumns(table);
  if (name < 0) return {};
  let n = number >= 0 ? numbering(doc, table, number).last : 0;
  return writeRows(
    doc,
    table,
    texts.map((t) => {
      const cells = table.header.map(() => '');
      cells[name] = escapePipes(t);
      if (number >= 0) cells[number] = String(++n);
      return cells;
    }),
  );
}

/**
 * The edit adding rows for `inputs` to `table`: appended after its last row, or in place of its rows when they
 * hold nothing but template placeholders (`| [Input] | [Location] | [Description] |`).
 */
export function appendRows(doc: ParsedDocument, table: Table, inputs: CellValue[][]): { insertion?: Insertion; replace?: TextEdit } {
  if (!inputs.length) return {};
  const headers = table.header.map((c) => c.text);
  const roles = columnRoles(
    headers,
    table.rows.map((r) => r.cells[0]?.text ?? ''),
  );
  // The next number after the rows' highest, written as the last row writes its own (`3`, `#3`, `3.`).
  const { sample, last } = numbering(doc, table);
  let n = last;
  return writeRows(
    doc,
    table,
    inputs.map((values) => {
      n++;
      const number = numberLike(sample, n);
      return cellsFor(values, headers, roles, number);
    }),
  );
}
