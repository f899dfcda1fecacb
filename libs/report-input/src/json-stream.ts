import { jsonParser } from 'stream-json/parser.js';

/**
 * JSON read token by token (stream-json's tokenizer), assembled like `JSON.parse` except for the arrays a route
 * claims: their elements are handed over one at a time and never kept, so a report's memory is that of one
 * element plus whatever the receiver keeps.
 */

/** stream-chain's `none` (a registered symbol, part of its public protocol): "no value" / "end of input". */
const NONE: unique symbol = Symbol.for('object-stream.none') as never;

type Token =
  | { name: 'startObject' | 'endObject' | 'startArray' | 'endArray' }
  | { name: 'keyValue' | 'stringValue' | 'numberValue'; value: string }
  | { name: 'nullValue'; value: null }
  | { name: 'trueValue'; value: true }
  | { name: 'falseValue'; value: false };

type Tokenizer = (input: string | typeof NONE) => { values: Token[] } | typeof NONE;

/** Where a streamed array's elements go. */
export interface ItemRoute {
  /** Receives each element of the array, in order. */
  onItem(value: unknown): void;
  /** Keys dropped from each element while reading (never assembled, e.g. Dependency-Check's `evidenceCollected`). */
  skipKeys?: ReadonlySet<string>;
  /** Strings of each element are copied off the text they were read from (see `detach`). */
  detachStrings?: boolean;
}

/** V8 makes a substring this long or longer a view of its parent string (SlicedString::kMinLength). */
const MIN_SLICED_LENGTH = 13;

/**
 * A copy of `text` that does not keep the text it was cut from alive: the tokenizer's values are views of the
 * fed text, so a finding that keeps one 20-character path keeps its whole 8 KiB piece, and a report with a
 * finding every few hundred bytes (SARIF results) would keep all of its text. Flattening a concatenation copies.
 */
function detach(text: string): string {
  return text.length < MIN_SLICED_LENGTH ? text : (' ' + text).slice(1);
}

/**
 * Asked when an array starts at a shallow depth (`path` from the root: keys and array indices) whether its
 * elements are streamed; `root` is the top-level object as read so far (the members before this one), `container`
 * the object that holds the array, as read so far (a SARIF run before its `results`: usually its `tool`). Both
 * are the very objects the skeleton ends with: their later members arrive in them as they are read.
 */
export type RouteArray = (path: readonly (string | number)[], root: unknown, container: unknown) => ItemRoute | undefined;

/** How deep an array may start and still be routed (`runs[0].results` is depth 3). Several arrays may be routed, one after the other, never one inside another. */
const MAX_ROUTE_DEPTH = 3;

interface Frame {
  value: Record<string, unknown> | unknown[];
  isArray: boolean;
  key: string | undefined;
  route: ItemRoute | undefined;
}

export class JsonSyntaxError extends Error {}

/**
 * A push parser: `write(text)` as often as needed, then `end()`. Throws JsonSyntaxError (a message without
 * position; the caller knows which text it fed).
 */
export class StreamingJsonAssembler {
  private readonly tokenizer: Tokenizer = jsonParser({ packValues: true, streamValues: false }) as unknown as Tokenizer;
  private readonly stack: Frame[] = [];
  private current: Frame | undefined;
  /** Depth of a value being skipped (0: none); `skipNext`: the next value is skipped. */
  private skipDepth = 0;
  private skipNext = false;
  private routed = 0;
  private detaching = 0;
  private rootValue: unknown;
  /** True once the top-level value is complete. */
  done = false;
  /** True once a route took over an array. */
  claimed = false;

  constructor(private readonly route?: RouteArray) {}

  get root(): unknown {
    return this.done ? this.rootValue : this.stack[0]?.value;
  }

  write(text: string): void {
    this.feed(text);
  }

  end(): void {
    this.feed(NONE);
  }

  private feed(input: string | typeof NONE): void {
    let out: ReturnType<Tokenizer>;
    try {
      out = this.tokenizer(input);
    } catch (error) {
      throw new JsonSyntaxError(String((error as Error).message ?? error).replace(/^Parser (cannot parse input: |has )/, ''));
    }
    if (out === NONE) return;
    const tokens = out.values;
    for (let i = 0; i < tokens.length; i += 1) this.token(tokens[i]!);
  }

  private token(token: Token): void {
    if (this.skipDepth > 0) {
      const name = token.name;
      if (name === 'startObject' || name === 'startArray') this.skipDepth += 1;
      else if (name === 'endObject' || name === 'endArray') this.skipDepth -= 1;
      return;
    }
    if (this.skipNext && token.name !== 'keyValue') {
      this.skipNext = false;
      if (token.name === 'startObject' || token.name === 'startArray') this.skipDepth = 1;
      return;
    }
    switch (token.name) {
      case 'keyValue': {
        const frame = this.current!;
        frame.key = token.value;
        const parent = this.stack.length >= 2 ? this.stack[this.stack.length - 2] : undefined;
        if (parent?.route?.skipKeys?.has(token.value)) this.skipNext = true;
        return;
      }
      case 'startObject':
        this.open({}, false, undefined);
        return;
      case 'startArray': {
        let route: ItemRoute | undefined;
        if (this.route && this.routed === 0 && this.stack.length <= MAX_ROUTE_DEPTH) {
          route = this.route(this.path(), this.stack[0]?.value, this.current?.value);
          if (route) this.claimed = true;
        }
        this.open([], true, route);
        if (route) this.routed += 1;
        if (route?.detachStrings) this.detaching += 1;
        return;
      }
      case 'endObject':
      case 'endArray': {
        const frame = this.stack.pop()!;
        if (frame.route) this.routed -= 1;
        if (frame.route?.detachStrings) this.detaching -= 1;
        this.current = this.stack[this.stack.length - 1];
        this.add(frame.value);
        return;
      }
      case 'stringValue':
        this.add(this.detaching > 0 ? detach(token.value) : token.value);
        return;
      case 'numberValue':
        this.add(Number(token.value));
        return;
      default:
        this.add(token.value);
    }
  }

  private path(): (string | number)[] {
    const path: (string | number)[] = [];
    for (const frame of this.stack) path.push(frame.isArray ? (frame.value as unknown[]).length : frame.key!);
    return path;
  }

  private open(value: Record<string, unknown> | unknown[], isArray: boolean, route: ItemRoute | undefined): void {
    const frame: Frame = { value, isArray, key: undefined, route };
    this.stack.push(frame);
    this.current = frame;
  }

  private add(value: unknown): void {
    const frame = this.current;
    if (!frame) {
      this.rootValue = value;
      this.done = true;
      return;
    }
    if (frame.isArray) {
      if (frame.route) frame.route.onItem(value);
      else (frame.value as unknown[]).push(value);
      return;
    }
    const key = frame.key!;
    // Like JSON.parse: `__proto__` is an own property, never the prototype.
    if (key === '__proto__') Object.defineProperty(frame.value, key, { value, writable: true, enumerable: true, configurable: true });
    else (frame.value as Record<string, unknown>)[key] = value;
  }
}
