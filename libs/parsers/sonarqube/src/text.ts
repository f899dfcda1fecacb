import { LIMITS, truncate } from '@devsecops/asff';

const MAX_PLACE = 100;

/** `path:line`, shortened from the left so the file name stays visible. */
export function place(path: string | undefined, line: number | undefined): string | undefined {
  if (!path) return undefined;
  const full = line ? `${path}:${line}` : path;
  return full.length <= MAX_PLACE ? full : `…${full.slice(full.length - MAX_PLACE + 1)}`;
}

/** Title = message plus where, so that the same message in two files reads as two findings; the place is never cut. */
export function titleWithPlace(message: string, where: string | undefined): string {
  const flat = /\s\s|[\t\n\r\f\v]/.test(message) ? message.replace(/\s+/g, ' ').trim() : message;
  if (!where) return truncate(flat, LIMITS.title);
  const suffix = ` (${where})`;
  return truncate(flat, LIMITS.title - suffix.length) + suffix;
}

/** Lower-case words for display: `CODE_SMELL` → `code smell`. */
export function humanise(value: string): string {
  return value.toLowerCase().replace(/_/g, ' ');
}

/** Drops undefined and empty values (ASFF maps must hold non-empty strings). */
export function compact(entries: Record<string, string | number | undefined>, maxValue: number = LIMITS.detailsOtherValue): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in entries) {
    const value = entries[key];
    if (value === undefined) continue;
    const s = typeof value === 'string' ? value : String(value);
    if (s.length === 0) continue;
    out[key] = s.length > maxValue ? truncate(s, maxValue) : s;
  }
  return out;
}
