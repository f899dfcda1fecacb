import { randomUUID } from 'node:crypto';

interface Cursor {
  keys: readonly string[];
  lastUsed: number;
}

const MAX_CURSORS = 200;

/**
 * GetFindings pagination. The first page snapshots the matching keys; a NextToken names the snapshot and an offset.
 * Pages therefore never skip or repeat a finding when findings change between pages (an archiver that archives
 * what it pages through still sees every finding), and later pages cost nothing. A page returns the findings'
 * current content. Tokens stay valid until evicted (least recently used beyond 200 snapshots) or `clear()`,
 * so a client may retry a page with the same token.
 */
export class Cursors {
  private readonly cursors = new Map<string, Cursor>();
  private tick = 0;

  /** A token for the page starting at `offset` of `keys`. */
  issue(keys: readonly string[], offset: number, reuseToken?: string): string {
    const existing = reuseToken ? this.decode(reuseToken) : undefined;
    let id = existing?.id;
    if (!id || !this.cursors.has(id)) {
      id = randomUUID();
      this.cursors.set(id, { keys, lastUsed: this.tick++ });
      this.evict();
    }
    return Buffer.from(`${id}:${offset}`, 'utf8').toString('base64url');
  }

  /** The snapshot and offset a token stands for; undefined when the token is unknown or expired. */
  resolve(token: string): { keys: readonly string[]; offset: number; token: string } | undefined {
    const decoded = this.decode(token);
    const cursor = decoded && this.cursors.get(decoded.id);
    if (!decoded || !cursor || decoded.offset > cursor.keys.length) return undefined;
    cursor.lastUsed = this.tick++;
    return { keys: cursor.keys, offset: decoded.offset, token };
  }

  clear(): void {
    this.cursors.clear();
  }

  private decode(token: string): { id: string; offset: number } | undefined {
    const match = /^([0-9a-f-]{36}):(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    return match ? { id: match[1]!, offset: Number(match[2]) } : undefined;
  }

  private evict(): void {
    if (this.cursors.size <= MAX_CURSORS) return;
    const oldest = [...this.cursors.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [id] of oldest.slice(0, this.cursors.size - MAX_CURSORS)) this.cursors.delete(id);
  }
}
