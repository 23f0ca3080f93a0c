/**
 * Metric values and thresholds: `> 80%`, `>= 99.9%`, `< 5 minutes`, `0 critical`, `30 days`, `4m 30s`, `6:45`.
 * Durations are normalised to seconds; percentages keep their number. Anything else is not a quantity,
 * and a metric whose value is not a quantity is not judged (no false positives).
 */
import { Memo } from '../memo';

export type Unit = '%' | 's' | 'B' | '';

export interface Quantity {
  value: number;
  unit: Unit;
  /** For a quantity without a unit, the word that names what it counts (`high` of `3 high`), lowercased. */
  word?: string;
}

export type Op = '>' | '>=' | '<' | '<=' | '=';

export interface Threshold extends Quantity {
  op: Op;
}

const SECONDS: Record<string, number> = {
  ms: 0.001,
  msec: 0.001,
  millisecond: 0.001,
  milliseconds: 0.001,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  wk: 604800,
  week: 604800,
  weeks: 604800,
};

/** Sizes, in bytes: decimal (`KB`, `MB`) and binary (`KiB`, `MiB`) multiples. */
const BYTES: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)`;
const PART_RE = new RegExp(String.raw`^\s*${NUMBER}\s*(%|[a-z]+)?`, 'i');

const WORD_OPS: [RegExp, Op][] = [
  [/^(?:at least|min(?:imum)?|no less than|not less than)\b/i, '>='],
  [/^(?:at most|max(?:imum)?|up to|no more than|not more than|within)\b/i, '<='],
  [/^(?:under|below|less than|fewer than)\b/i, '<'],
  [/^(?:over|above|more than|greater than)\b/i, '>'],
];

const SYMBOL_OPS: [RegExp, Op][] = [
  [/^(?:>=|≥|=>)/, '>='],
  [/^(?:<=|≤|=<)/, '<='],
  [/^>/, '>'],
  [/^</, '<'],
  [/^==?/, '='],
];

/** Markdown emphasis, code ticks and a leading `~`/`≈` are not part of a value. */
function clean(text: string): string {
  return text
    .replace(/[*_`]/g, '')
    .replace(/^\s*[~≈]\s*/, '')
    .trim();
}

/**
 * Whatever follows the quantity: words are fine ("critical", "of public APIs"), also words with digits in them
 * ("e2e", "p95"), and so is a note in parentheses (`12 min (p95)`, `99.5% (30-day)`, `7 (all in dev
 * dependencies)`); more numbers or comparisons are not.
 */
function tailOk(rest: string): boolean {
  const bare = rest.includes('(') ? rest.replace(/\([^()]*\)/g, ' ') : rest;
  return !/[\d<>=≤≥,;]/.test(/\d/.test(bare) ? bare.replace(/\p{L}[\p{L}\p{N}]*/gu, ' ') : bare);
}

/** Parses a value such as `76%`, `4m 30s`, `3 minutes`, `2`, `99.95 %`. */
export function parseQuantity(text: string): Quantity | undefined {
  const r = quantityAndTail(clean(text));
  return r && tailOk(r.tail) ? r.q : undefined;
}

/** A duration written as a clock: `6:45` (minutes:seconds), `00:06:12` (hours:minutes:seconds), seconds maybe with a fraction. */
const CLOCK = /^\s*(\d{1,3}):([0-5]\d)(?::([0-5]\d))?(\.\d+)?(?![\d:]|\.\d)/;
/** What makes a clock a time of day, not a duration: `2:30 PM`, `14:30 UTC`, `9:00 CET`, `14:30 local`, `12:00 noon`. */
const TIME_OF_DAY =
  /^\s*(?:[ap]\.?m\b\.?|utc|gmt|z|local|o'?clock|noon|midnight|[a-z]{1,2}[sd]t|cet|cest|eet|eest|wet|west|bst|ist|jst|kst|aest|aedt|sgt|hkt)\b/i;

/**
 * A duration written as a clock (`6:45`, `00:06:12`) and what follows it; a unit after it says what its
 * first part counts (`1:30 h` is an hour and a half, `6:45 min` minutes and seconds). Undefined for a time of
 * day (`14:30 UTC`, `2:30 PM`), or digits and colons that are no clock (`1:2`, `1:2:3:4`, `10:75`).
 */
function clockAndTail(s: string): { q: Quantity; tail: string } | undefined {
  const m = CLOCK.exec(s);
  if (!m) return undefined;
  let tail = s.slice(m[0].length);
  if (TIME_OF_DAY.test(tail)) return undefined;
  const [a, b, c] = [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
  const fraction = m[4] ? Number(m[4]) : 0;
  const unit = /^\s*([a-z]+)\b/i.exec(tail);
  const per = unit ? SECONDS[unit[1].toLowerCase()] : undefined;
  let value: number;
  if (per === 3600 && !fraction) value = a * 3600 + b * 60 + (c ?? 0);
  else if (per === undefined || (per === 60 && c === undefined)) value = c === undefined ? a * 60 + b + fraction : a * 3600 + b * 60 + c + fraction;
  else return undefined;
  if (per !== undefined) tail = tail.slice(unit![0].length);
  return { q: { value, unit: 's' }, tail };
}

/** The quantity at the start of `text` (cleaned) and what follows it. */
function quantityAndTail(text: string): { q: Quantity; tail: string } | undefined {
  let s = text;
  if (s === '') return undefined;
  // Digits and a colon: a clock (`6:45`), or no quantity at all.
  if (/^\s*\d+:/.test(s)) return clockAndTail(s);
  let total = 0;
  let unit: Unit | undefined;
  let parts = 0;
  for (;;) {
    const m = PART_RE.exec(s);
    if (!m) break;
    const n = Number(m[1].replace(/,/g, ''));
    const word = (m[2] ?? '').toLowerCase();
    let u: Unit;
    let v = n;
    let consumed = m[0].length;
    // `M` is a million (`1.5M users`), not minutes (`5m`, `5 min`): not read.
    if (m[2] === 'M') return undefined;
    if (word === '%') u = '%';
    else if (word && SECONDS[word] !== undefined) {
      u = 's';
      v = n * SECONDS[word];
    } else if (word && BYTES[word] !== undefined) {
      u = 'B';
      v = n * BYTES[word];
    } else {
      u = '';
      // A suffix on the number that is no unit (`1.2k`, `3x`) is not read: the value is not a quantity.
      if (word && /[a-z]/i.test(m[0][m[0].indexOf(m[1]) + m[1].length] ?? '')) return undefined;
      // A word that is not a unit ("critical", "high") stays in the tail.
      if (word) consumed = m[0].length - m[2].length;
    }
    if (parts > 0 && (u !== 's' || unit !== 's')) break;
    total += v;
    unit = u;
    parts++;
    s = s.slice(consumed);
    // Only durations compound (`4m 30s`, `1 h 5 min`).
    if (u !== 's') break;
  }
  if (parts === 0 || unit === undefined) return undefined;
  // The word whole, digits in it too (`3 e2e` counts e2e, not e).
  const word = unit === '' ? /^\s*([a-z][a-z\d]*)/i.exec(s)?.[1].toLowerCase() : undefined;
  return { q: word ? { value: total, unit, word } : { value: total, unit }, tail: s };
}

const ALL_OPS: [RegExp, Op][] = [...SYMBOL_OPS, ...WORD_OPS];

/**
 * The thresholds written without a comparison and other than 0 (`5 minutes`, `5 high`): their `op` is a guess, at
 * least, that the threshold of their metric may turn (see directionOpen). `0` is at most 0 whatever the metric.
 */
const inferred = new WeakSet<Readonly<Threshold>>();

/** Thresholds by their text (performance only: a workspace repeats a handful of targets thousands of times). */
const thresholds = new Memo<Readonly<Threshold> | undefined>(10_000, (text) => {
  const r = computeThreshold(text);
  if (!r) return undefined;
  const t = Object.freeze(r.t);
  if (r.inferred && t.value !== 0) inferred.add(t);
  return t;
});

/**
 * Parses a threshold: an operator (symbol or words) and a quantity. Without one, `0` means "at most 0",
 * anything else "at least". The result is shared between equal texts: never change it.
 */
export function parseThreshold(text: string): Readonly<Threshold> | undefined {
  return thresholds.get(text);
}

/**
 * Whether threshold `t` (of parseThreshold, or a part of parseLabelledThresholds) was written without a comparison
 * and is not 0 (`5 minutes`, `85%`, `5 high`): its direction is the one of its metric's threshold, when there is one.
 */
export function directionOpen(t: Readonly<Threshold>): boolean {
  return inferred.has(t);
}

function computeThreshold(text: string): { t: Threshold; inferred: boolean } | undefined {
  const r = thresholdAndTail(clean(text));
  return r && tailOk(r.tail) ? r : undefined;
}

function thresholdAndTail(text: string): { t: Threshold; tail: string; inferred: boolean } | undefined {
  let s = text;
  let op: Op | undefined;
  for (const [re, o] of ALL_OPS) {
    const m = re.exec(s);
    if (m) {
      op = o;
      s = s.slice(m[0].length);
      break;
    }
  }
  const r = quantityAndTail(s);
  if (!r) return undefined;
  const { q } = r;
  const inferredOp = !op;
  if (!op) op = q.value === 0 ? '<=' : '>=';
  return { t: { ...q, op }, tail: r.tail, inferred: inferredOp };
}

/** A part of a compound value or target, named by its words: `2 critical`, `< 5 high`, `high: 9`. */
export interface Labelled<T> {
  label: string;
  value: T;
}

/** Parts of a compound text: `, ` (not a thousands comma), `;`, ` and ` and ` / ` separate them (not `/` within a unit: `req/s`). */
export const PART_SEPARATOR = /(?:(?<!\s)\s+)?;\s*|,\s+|(?<!\s)\s+(?:and|\/)\s+/i;
export const LABEL_FIRST = /^(\p{L}(?:[\p{L}\p{N}\s-]*[\p{L}\p{N}-])?)\s*:\s*(\S.*|[^\S\n\r\u2028\u2029])$/u;

function labelKey(words: string): string {
  return words
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Longer than any compound value or target a table cell holds: not read as one. */
const MAX_COMPOUND = 1000;

function labelledParts<T extends object>(
  text: string,
  parse: (s: string) => { value: T; tail: string; inferred?: boolean } | undefined,
): Labelled<T>[] | undefined {
  if (text.length > MAX_COMPOUND) return undefined;
  // One space for each run of white space: the separators' `\s*` would go over a long run again at each of its places.
  const parts = clean(text).replace(/\s+/g, ' ').split(PART_SEPARATOR);
  if (parts.length < 2 || parts.length > 20) return undefined;
  const out: Labelled<T>[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    const first = LABEL_FIRST.exec(part);
    const r = parse(first ? first[2] : part);
    if (!r) return undefined;
    const label = labelKey(first ? first[1] : r.tail);
    // Every part names what it counts, with words only, once.
    if (!label || (first ? !/^\s*$/.test(r.tail) : !tailOk(r.tail)) || out.some((o) => o.label === label)) return undefined;
    // The label names what the part counts: its value keeps no word of its own.
    const value = r.value as T & { word?: string };
    let own = r.value;
    if (value.word !== undefined) {
      const { word: _word, ...rest } = value;
      own = rest as T;
    }
    // A threshold part written without a comparison (`5 high`): see directionOpen.
    if (r.inferred && (own as Threshold).value !== 0) inferred.add(own as Threshold);
    out.push({ label, value: own });
  }
  return out;
}

/** A compound value, every part a quantity with its words: `2 critical, 9 high`; undefined otherwise. */
export function parseLabelledQuantities(text: string): Labelled<Quantity>[] | undefined {
  return labelledParts(text, (s) => {
    const r = quantityAndTail(s);
    return r && { value: r.q, tail: r.tail };
  });
}

/** A compound target, every part a threshold with its words: `0 critical, < 5 high`; undefined otherwise. */
export function parseLabelledThresholds(text: string): Labelled<Threshold>[] | undefined {
  return labelledParts(text, (s) => {
    const r = thresholdAndTail(s);
    return r && { value: r.t, tail: r.tail, inferred: r.inferred };
  });
}

/**
 * Whether `actual` meets `threshold`; undefined when they cannot be compared (a duration against a
 * bare number, a percentage against a duration).
 */
export function meets(actual: Quantity, threshold: Threshold): boolean | undefined {
  // `76` against `> 80%` reads as a percentage; a duration never compares with a bare number.
  const compatible = actual.unit === threshold.unit || (threshold.unit === '%' && actual.unit === '');
  if (!compatible) return undefined;
  // Counts of different things (`3 high` against `0 critical`, `1.2k req/s` against `1000 req/s`) are not compared.
  if (actual.word && threshold.word && actual.word.replace(/s$/, '') !== threshold.word.replace(/s$/, '')) return undefined;
  const a = actual.value;
  const t = threshold.value;
  const eps = 1e-9;
  switch (threshold.op) {
    case '>':
      return a > t + eps;
    case '>=':
      return a >= t - eps;
    case '<':
      return a < t - eps;
    case '<=':
      return a <= t + eps;
    case '=':
      return Math.abs(a - t) <= eps;
  }
}
