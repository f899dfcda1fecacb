/**
 * Tripwires for external entity fetches: while armed, any network or file access records an attempt and throws.
 * Parsing a report must never touch either, so every attempt is a failure, even if the parser swallowed the throw.
 */
// Default imports: they are the module objects themselves, which the rest of the process calls through
// (a namespace import may be a copy, and patching a copy guards nothing).
import childProcess from 'node:child_process';
import dns from 'node:dns';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

export interface FetchAttempt {
  api: string;
  target: string;
  stack: string;
}

export interface FetchGuard {
  arm(): void;
  disarm(): void;
  /** Attempts recorded since the last call, emptied. */
  take(): FetchAttempt[];
  /** Restores every patched function. */
  uninstall(): void;
}

export class BlockedByFuzzGuard extends Error {
  override readonly name = 'BlockedByFuzzGuard';
}

type Patchable = Record<string, unknown>;

/**
 * Loading a module reads files through the same `fs` object; that is the runtime at work (a lazily required
 * dependency), not the parser fetching something, so calls made directly by a module loader pass.
 */
const MODULE_LOADER = /node:internal\/modules|[/\\]node_modules[/\\](?:tsx|jest-[\w-]+|@jest[/\\][\w-]+|graceful-fs|@swc[/\\][\w-]+)[/\\]/;

/** The frame that called the guarded function (line 0 is "Error", line 1 the guard itself). */
function callerFrame(stack: string): string {
  return stack.split('\n')[2] ?? '';
}

function describeTarget(args: readonly unknown[]): string {
  const first = args[0];
  if (typeof first === 'string' || first instanceof URL || Buffer.isBuffer(first)) return String(first).slice(0, 200);
  if (typeof first === 'number') return `fd ${first}`;
  if (first && typeof first === 'object') {
    const o = first as { href?: unknown; host?: unknown; hostname?: unknown; port?: unknown; path?: unknown };
    if (o.href) return String(o.href);
    return `${String(o.hostname ?? o.host ?? '')}:${String(o.port ?? '')}${o.path ? String(o.path) : ''}`;
  }
  return String(first);
}

const TARGETS: ReadonlyArray<{ label: string; module: Patchable; methods: readonly string[] }> = [
  { label: 'http', module: http as unknown as Patchable, methods: ['request', 'get'] },
  { label: 'https', module: https as unknown as Patchable, methods: ['request', 'get'] },
  { label: 'net', module: net as unknown as Patchable, methods: ['connect', 'createConnection'] },
  { label: 'net.Socket', module: net.Socket.prototype as unknown as Patchable, methods: ['connect'] },
  { label: 'tls', module: tls as unknown as Patchable, methods: ['connect'] },
  { label: 'dns', module: dns as unknown as Patchable, methods: ['lookup', 'resolve', 'resolve4', 'resolve6'] },
  { label: 'dns.promises', module: dns.promises as unknown as Patchable, methods: ['lookup', 'resolve'] },
  {
    label: 'fs',
    module: fs as unknown as Patchable,
    methods: ['openSync', 'open', 'readFileSync', 'readFile', 'createReadStream', 'readSync', 'statSync', 'existsSync', 'readdirSync', 'opendirSync', 'accessSync'],
  },
  { label: 'fs.promises', module: fs.promises as unknown as Patchable, methods: ['open', 'readFile', 'stat', 'readdir', 'access'] },
  { label: 'child_process', module: childProcess as unknown as Patchable, methods: ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] },
  { label: 'globalThis', module: globalThis as unknown as Patchable, methods: ['fetch'] },
];

/** Patches the network, DNS, file and process entry points; they behave normally until armed. */
export function installFetchGuard(): FetchGuard {
  let armed = false;
  let attempts: FetchAttempt[] = [];
  const restore: Array<() => void> = [];

  for (const { label, module, methods } of TARGETS) {
    for (const method of methods) {
      const original = module[method];
      if (typeof original !== 'function') continue;
      const descriptor = Object.getOwnPropertyDescriptor(module, method);
      if (descriptor && !descriptor.writable && !descriptor.set && !descriptor.configurable) continue;
      const guarded = function (this: unknown, ...args: unknown[]): unknown {
        if (armed) {
          const stack = new Error().stack ?? '';
          if (!MODULE_LOADER.test(callerFrame(stack))) {
            const api = `${label}.${method}`;
            attempts.push({ api, target: describeTarget(args), stack: stack.split('\n').slice(2, 12).join('\n') });
            throw new BlockedByFuzzGuard(`${api} blocked while parsing a report`);
          }
        }
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
      Object.defineProperty(module, method, { value: guarded, writable: true, configurable: true, enumerable: descriptor?.enumerable ?? true });
      restore.push(() => Object.defineProperty(module, method, descriptor ?? { value: original, writable: true, configurable: true }));
    }
  }

  return {
    arm: () => {
      armed = true;
    },
    disarm: () => {
      armed = false;
    },
    take: () => {
      const taken = attempts;
      attempts = [];
      return taken;
    },
    uninstall: () => {
      armed = false;
      for (const undo of restore.reverse()) undo();
      restore.length = 0;
    },
  };
}
