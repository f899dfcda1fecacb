import type { SecurityHubClient } from '@aws-sdk/client-securityhub';

/**
 * Import progress on stderr, one line redrawn in place: findings sent of those to send, throttles, ETA.
 * Only for a terminal (a CI log gets the summary line, not hundreds of \r updates); redrawn at most every 250 ms
 * of the injected clock, so tests need no real time.
 */
export class ImportProgress {
  private sent = 0;
  private total = 0;
  private throttles = 0;
  private reads = 0;
  private started: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly clock: () => number,
  ) {
    this.started = clock();
  }

  planned(total: number): void {
    this.total = total;
    this.started = this.clock();
    this.draw(true);
  }

  readPage(): void {
    this.reads += 1;
    this.draw(false);
  }

  batchSent(findings: number): void {
    this.sent += findings;
    this.draw(false);
  }

  throttled(): void {
    this.throttles += 1;
    this.draw(false);
  }

  /** The line as it stands; exported for tests. */
  line(): string {
    if (this.total === 0) return `import: reading stored findings (${this.reads} page(s))${this.throttles ? `, ${this.throttles} throttled` : ''}`;
    const elapsed = (this.clock() - this.started) / 1000;
    const rate = elapsed > 0 ? this.sent / elapsed : 0;
    const left = Math.max(0, this.total - this.sent);
    const eta = this.sent > 0 && rate > 0 ? `, ETA ${Math.ceil(left / rate)} s` : '';
    return `import: ${this.sent.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} findings sent, ${this.throttles} throttled${left > 0 ? eta : ''}`;
  }

  private draw(force: boolean): void {
    const now = this.clock();
    if (!force && now - this.lastDraw < 250) return;
    this.lastDraw = now;
    this.drawn = true;
    this.write(`\r\u001b[K${this.line()}`);
  }

  /** Ends the line so the summary starts on its own. */
  done(): void {
    if (!this.drawn) return;
    this.write(`\r\u001b[K${this.line()}\n`);
  }
}

/** Counts what the importer sends through the client, at the SDK's per-attempt step (retries included). */
export function watchClient(client: SecurityHubClient, progress: ImportProgress): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        const output = await next(args);
        if (context.commandName === 'BatchImportFindingsCommand') {
          const findings = (args.input as { Findings?: unknown[] }).Findings?.length ?? 0;
          progress.batchSent(findings);
        } else if (context.commandName === 'GetFindingsCommand') progress.readPage();
        return output;
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === 'ThrottlingException' || e.name === 'TooManyRequestsException' || e.$metadata?.httpStatusCode === 429) progress.throttled();
        throw error;
      }
    },
    { step: 'initialize', name: 'findingsCliProgress' },
  );
}
