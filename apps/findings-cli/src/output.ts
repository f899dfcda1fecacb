import { createWriteStream, existsSync, statSync, unlinkSync } from 'node:fs';

/** Where a report goes: stdout or a file. `write` resolves once the chunk is handed to the OS (backpressure). */
export interface OutputSink {
  /** For messages: "stdout" or the file name. */
  name: string;
  write(chunk: string): Promise<void>;
  /** Flushes and closes; rejects like write. */
  end(): Promise<void>;
  /** After a failure: closes and removes a partly written file this sink created. */
  abort(): void;
}

/** Writing failed: the reader went away (EPIPE, e.g. `| head`) or the disk is full (ENOSPC) or the like. */
export class OutputError extends Error {
  constructor(
    readonly target: string,
    readonly code: string,
    detail: string,
  ) {
    super(`cannot write ${target}: ${detail}`);
  }
  /** The reader closed the pipe: not an error of ours, nothing left to say. */
  get readerGone(): boolean {
    return this.code === 'EPIPE' || this.code === 'ERR_STREAM_DESTROYED';
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
  ENOENT: 'no such directory',
  EISDIR: 'is a directory',
  EPIPE: 'the reader closed the pipe',
};

export function outputError(target: string, error: unknown): OutputError {
  const code = (error as NodeJS.ErrnoException)?.code ?? 'EIO';
  return new OutputError(target, code, REASONS[code] ?? (error as Error)?.message ?? String(error));
}

/** A sink over a Node stream (process.stdout, a file stream): each write waits for its callback, errors become OutputError. */
export function streamSink(stream: NodeJS.WritableStream, name: string, onAbort: () => void = () => undefined): OutputSink {
  let failure: OutputError | undefined;
  // Without a listener an EPIPE 'error' event would be thrown as an uncaught exception with a stack trace.
  stream.on('error', (error) => {
    failure ??= outputError(name, error);
  });
  return {
    name,
    write: (chunk) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        stream.write(chunk, (error?: Error | null) => {
          if (error) {
            failure ??= outputError(name, error);
            reject(failure);
          } else resolve();
        });
      }),
    end: () =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        if (stream === process.stdout || stream === process.stderr) return resolve();
        stream.end(() => (failure ? reject(failure) : resolve()));
      }),
    abort: () => {
      onAbort();
    },
  };
}

/** A file sink: created (or truncated) on first use; a file this run created is removed again when writing fails. */
export function fileSink(path: string): OutputSink {
  const existed = existsSync(path);
  const stream = createWriteStream(path);
  return streamSink(stream, path, () => {
    stream.destroy();
    try {
      if (!existed && statSync(path).isFile()) unlinkSync(path);
    } catch {
      // already gone
    }
  });
}

/** A sink that collects into a function (tests, and the CLI's io.stdout). */
export function functionSink(write: (text: string) => void, name = 'stdout'): OutputSink {
  return { name, write: async (chunk) => write(chunk), end: async () => undefined, abort: () => undefined };
}

/** Writes every chunk, batching small ones so a large report is a few thousand writes, not one per line. */
export async function writeAll(sink: OutputSink, chunks: Iterable<string>): Promise<void> {
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= 64 * 1024) {
      await sink.write(buffer);
      buffer = '';
    }
  }
  if (buffer) await sink.write(buffer);
  await sink.end();
}
