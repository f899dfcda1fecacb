import { XMLValidator } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { parseXml } from './document';
import { ReportError } from './report-error';

/**
 * XML read as a stream without building a second XML parser's tree: saxes finds where each element at the claimed
 * path (e.g. `analysis > dependencies > dependency`) starts and ends, and that element's text alone goes through
 * `parseXml`, the in-memory path's fast-xml-parser with the same options, so each element's tree is the one the
 * whole document would have given. Everything outside those elements (the skeleton) is kept and parsed at the end.
 * Memory is one element's text plus the skeleton, whatever the report's size.
 */

const ENTITY_DECLARATION = /<!ENTITY/i;

/** The local name (`ns:dependency` → `dependency`), as parseXml's removeNSPrefix reads it. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** A fresh flat copy: a slice of a read piece would keep the whole piece alive in the skeleton. */
function detached(text: string): string {
  // The concatenation is flattened into a new string of its own; the slice then refers to that, not to the piece.
  return text.length === 0 ? '' : ` ${text}`.slice(1);
}

/** The root element's name in the head of an XML document (after the prolog, comments and doctype), if there. */
export function rootElementName(head: string): string | undefined {
  const re = /<(\?[\s\S]*?\?>|!--[\s\S]*?-->|!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>|([A-Za-z_][\w.:-]*))/g;
  for (let m = re.exec(head); m; m = re.exec(head)) if (m[3]) return localName(m[3]);
  return undefined;
}

export interface XmlItem {
  /** The element's tree as parseXml gives it (the value under its name). */
  value: unknown;
  /**
   * Where it is: the names from the root to its parent, each below the root followed by its index among siblings
   * of that name (`['OWASPZAPReport', 'site', 1, 'alerts', 0]`).
   */
  path: (string | number)[];
}

interface Frame {
  name: string;
  /** Children seen so far by name, for the indices in XmlItem.path. */
  children: Map<string, number>;
  index: number;
}

/**
 * A push splitter: `write(text)` as the report arrives, then `end()`, which returns the skeleton's tree. Errors are
 * ReportErrors naming the source (and the line where a fragment is malformed).
 */
export class StreamingXmlSplitter {
  private readonly sax = new SaxesParser({ position: true });
  private readonly stack: Frame[] = [];
  /** Text not yet given to the skeleton or to an item, starting at global offset `bufferStart`. */
  private buffer = '';
  private bufferStart = 0;
  private skeleton: string[] = [];
  /** Depth of the item element being read (its frame index), or -1. */
  private itemDepth = -1;
  private itemStart = 0;
  private linesBefore = 0;
  private failure: Error | undefined;

  constructor(
    private readonly source: string,
    private readonly itemPath: readonly string[],
    private readonly onItem: (item: XmlItem) => void,
  ) {
    this.sax.on('doctype', (doctype) => {
      if (ENTITY_DECLARATION.test(doctype)) this.fail(new ReportError(source, 'declares XML entities (<!ENTITY>); refused to prevent entity expansion and external entity attacks'));
    });
    this.sax.on('opentagstart', (tag) => this.open(localName(tag.name)));
    this.sax.on('closetag', () => this.close());
    // Well-formedness is judged by fast-xml-parser on each element and on the skeleton, as in memory; saxes only
    // finds the boundaries (it would also stop at HTML entities such as &nbsp;, which parseXml decodes).
    this.sax.on('error', () => undefined);
  }

  private fail(error: Error): void {
    this.failure ??= error;
  }

  private open(name: string): void {
    const parent = this.stack[this.stack.length - 1];
    const index = parent ? (parent.children.get(name) ?? 0) : 0;
    parent?.children.set(name, index + 1);
    const depth = this.stack.length;
    this.stack.push({ name, children: new Map(), index });
    if (this.itemDepth >= 0 || depth !== this.itemPath.length - 1 || name !== this.itemPath[depth]) return;
    for (let i = 0; i < depth; i += 1) if (this.stack[i]!.name !== this.itemPath[i]) return;
    // saxes reports the tag once its name is read: the element starts at the last `<` before that point (a `<`
    // cannot occur inside a name or an attribute value).
    const start = this.bufferStart + this.buffer.lastIndexOf('<', this.sax.position - this.bufferStart - 1);
    this.flushSkeleton(start);
    this.itemDepth = depth;
    this.itemStart = start;
  }

  private close(): void {
    const depth = this.stack.length - 1;
    this.stack.pop();
    if (depth !== this.itemDepth) return;
    this.itemDepth = -1;
    const end = this.sax.position;
    const text = this.buffer.slice(0, end - this.bufferStart);
    this.buffer = this.buffer.slice(end - this.bufferStart);
    this.bufferStart = end;
    this.item(text);
    this.linesBefore += countLines(text);
  }

  private path(): (string | number)[] {
    const path: (string | number)[] = [];
    this.stack.forEach((frame, i) => {
      path.push(frame.name);
      if (i > 0) path.push(frame.index);
    });
    return path;
  }

  private item(text: string): void {
    if (this.failure) return;
    const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
    if (valid !== true) {
      this.fail(new ReportError(this.source, `is not well-formed XML: ${valid.err.msg} at line ${this.linesBefore + valid.err.line}`));
      return;
    }
    const name = this.itemPath[this.itemPath.length - 1]!;
    const tree = parseXml(text, this.source) as Record<string, unknown>;
    this.onItem({ value: tree[name] ?? '', path: this.path() });
  }

  /** Moves the buffer up to global offset `upTo` into the skeleton. */
  private flushSkeleton(upTo: number): void {
    const piece = this.buffer.slice(0, upTo - this.bufferStart);
    this.buffer = this.buffer.slice(upTo - this.bufferStart);
    this.bufferStart = upTo;
    this.linesBefore += countLines(piece);
    // Whitespace between items is all a big report's skeleton holds; parseXml trims it away anyway.
    if (piece.trim() === '') {
      if (piece.length > 0 && this.skeleton[this.skeleton.length - 1] !== '\n') this.skeleton.push('\n');
    } else {
      this.skeleton.push(detached(piece));
    }
  }

  write(text: string): void {
    if (this.failure) throw this.failure;
    this.buffer += text;
    this.sax.write(text);
    if (this.failure) throw this.failure;
    if (this.itemDepth < 0) {
      // Keep only from the last `<`: it may open an item whose name arrives with the next piece.
      const last = this.buffer.lastIndexOf('<');
      this.flushSkeleton(this.bufferStart + (last < 0 ? this.buffer.length : last));
    }
  }

  /** The skeleton's tree (parseXml of the document without its items). */
  end(): unknown {
    this.sax.close();
    if (this.failure) throw this.failure;
    if (this.itemDepth >= 0) {
      throw new ReportError(this.source, `is not well-formed XML: the document ends early (truncated?) inside <${this.itemPath[this.itemPath.length - 1]}> from line ${this.linesBefore + 1}`);
    }
    if (this.stack.length > 0) {
      throw new ReportError(this.source, `is not well-formed XML: the document ends early (truncated?): <${this.stack[this.stack.length - 1]!.name}> is not closed`);
    }
    this.flushSkeleton(this.bufferStart + this.buffer.length);
    const skeleton = this.skeleton.join('');
    this.skeleton = [];
    return parseXml(skeleton, this.source);
  }

  /** Where the current item began (global character offset), for messages. */
  get currentItemStart(): number | undefined {
    return this.itemDepth >= 0 ? this.itemStart : undefined;
  }
}
