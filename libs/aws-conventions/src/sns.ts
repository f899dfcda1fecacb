import { truncate } from '@devsecops/asff';

/** SNS: a Subject must be under 100 characters of printable ASCII without line breaks. */
export const SUBJECT_MAX = 99;

/** Printable ASCII only, one line, at most SUBJECT_MAX characters. */
export function snsSubject(text: string): string {
  const ascii = text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7E]/g, '?').replace(/\s+/g, ' ').trim();
  return truncate(ascii, SUBJECT_MAX, '...');
}
