/**
 * Bounds the work spent on a JSON body BEFORE it is parsed.
 *
 * `JSON.parse` of a 6 MB body of half a million small attributes allocates every one of them, and the
 * validation, the marshalling and the DynamoDB request that follow all walk them again: seconds of work
 * for a request that can only fail. {@link measureJsonShape} is a single left-to-right pass over the
 * text that only looks at structural characters (strings are skipped with `indexOf`), counts values and
 * tracks nesting, and stops at the first value or level over the limit. So the work done on a body that
 * is refused is bounded by where its (limit + 1)-th value starts, not by its size.
 *
 * It is a counter, not a validator: for valid JSON the counts are exact; invalid JSON that slips
 * through is rejected by `JSON.parse` afterwards.
 *
 * The same pass checks that every number literal survives `JSON.parse` unchanged: JSON numbers become
 * IEEE doubles, so `1e-400` would be stored as 0 and `0.1234567890123456789` rounded. Such a literal
 * throws {@link JsonNumberError} (a 400) instead of being stored as another value.
 */

export interface JsonShapeLimits {
  /** Deepest nesting of objects and arrays; the top-level object is depth 1. */
  readonly maxDepth: number;
  /** Most values at any depth: every object member and every array element. */
  readonly maxValues: number;
}

export interface JsonShape {
  /** Object members plus array elements, at any depth. */
  readonly values: number;
  /** Deepest nesting seen. */
  readonly depth: number;
  /** UTF-16 code units examined (the work done). */
  readonly scanned: number;
}

/** Thrown when a limit is exceeded; `scanned` is how far the pass got before it stopped. */
export class JsonShapeLimitError extends Error {
  constructor(
    public readonly limit: 'depth' | 'values',
    public readonly max: number,
    public readonly scanned: number,
  ) {
    super(limit === 'depth' ? `nesting exceeds ${max} levels` : `more than ${max} values`);
    this.name = 'JsonShapeLimitError';
  }
}

/** Thrown for a number literal that `JSON.parse` cannot represent exactly. */
export class JsonNumberError extends Error {
  constructor(public readonly literal: string) {
    super(`number ${literal.length > 40 ? `${literal.slice(0, 40)}…` : literal} cannot be represented exactly`);
    this.name = 'JsonNumberError';
  }
}

/** A JSON number literal (linear: no ambiguous nested quantifiers). */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * A decimal string reduced to `<sign><significant digits>e<exponent>` (value = 0.digits × 10^exponent),
 * or '0'. Loops, not regexes, strip the zeros: a 6 MB literal must not backtrack.
 */
function canonicalDecimal(text: string): string {
  let s = text.toLowerCase();
  let sign = '';
  if (s.startsWith('-')) {
    sign = '-';
    s = s.slice(1);
  }
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  let exponent = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const digits = dot < 0 ? mantissa : intPart + mantissa.slice(dot + 1);
  exponent += intPart.length;
  let start = 0;
  while (start < digits.length && digits.charCodeAt(start) === 0x30) {
    start += 1;
  }
  let end = digits.length;
  while (end > start && digits.charCodeAt(end - 1) === 0x30) {
    end -= 1;
  }
  if (start === end) {
    return '0';
  }
  return `${sign}${digits.slice(start, end)}e${exponent - start}`;
}

/** True when JSON.parse turns the literal into a double with exactly the literal's decimal value. */
export function isExactNumber(literal: string): boolean {
  const value = Number(literal);
  return Number.isFinite(value) && canonicalDecimal(literal) === canonicalDecimal(String(value));
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function measureJsonShape(text: string, limits: JsonShapeLimits): JsonShape {
  const n = text.length;
  // 1 = the container at that depth is an array, 0 = an object.
  const isArray = new Uint8Array(limits.maxDepth + 2);
  let depth = 0;
  let maxSeen = 0;
  let values = 0;
  let awaitingElement = false;
  let i = 0;

  const countValue = (): void => {
    values += 1;
    if (values > limits.maxValues) {
      throw new JsonShapeLimitError('values', limits.maxValues, i);
    }
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c)) {
      i += 1;
      continue;
    }
    if (awaitingElement && c !== CLOSE_ARRAY) {
      awaitingElement = false;
      countValue();
    }
    if (c === QUOTE) {
      // Skip the string: find the next quote not escaped by an odd run of backslashes.
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) {
          return { values, depth: maxSeen, scanned: n }; // unterminated: JSON.parse will refuse it
        }
        let backslashes = 0;
        while (text.charCodeAt(j - 1 - backslashes) === BACKSLASH) {
          backslashes += 1;
        }
        if (backslashes % 2 === 0) {
          break;
        }
        j += 1;
      }
      i = j + 1;
      continue;
    }
    if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (match === null) {
        i += 1; // not a number: JSON.parse will refuse the text
        continue;
      }
      if (!isExactNumber(match[0])) {
        throw new JsonNumberError(match[0]);
      }
      i += match[0].length;
      continue;
    }
    switch (c) {
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        depth += 1;
        if (depth > limits.maxDepth) {
          throw new JsonShapeLimitError('depth', limits.maxDepth, i);
        }
        maxSeen = Math.max(maxSeen, depth);
        isArray[depth] = c === OPEN_ARRAY ? 1 : 0;
        awaitingElement = c === OPEN_ARRAY;
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        awaitingElement = false;
        depth = Math.max(0, depth - 1);
        break;
      case COLON:
        if (depth > 0 && isArray[depth] === 0) {
          countValue();
        }
        break;
      case COMMA:
        awaitingElement = depth > 0 && isArray[depth] === 1;
        break;
      default:
        break;
    }
    i += 1;
  }
  return { values, depth: maxSeen, scanned: i };
}
