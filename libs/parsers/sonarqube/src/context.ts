import type { FindingDraft, SeverityLabel } from '@devsecops/asff';
import { ComponentIndex } from './components';

/** Counts gathered while reading; turned into ParsedReport.stats and warnings at the end (one line per kind, not per item). */
export interface Counters {
  issues: number;
  hotspots: number;
  vulnerabilities: number;
  bugs: number;
  codeSmells: number;
  codeSmellsExcluded: number;
  /** Hotspots reported as issues (type SECURITY_HOTSPOT, SonarQube ≤ 8.1). */
  hotspotIssues: number;
  unknownTypes: number;
  active: number;
  suppressed: number;
  resolved: number;
  /** The same issue seen twice (pages overlapping while the server changed): kept once. */
  duplicates: number;
  /** One key on two different issues (hand-edited or anonymised exports): both kept, the later one with a derived identity. */
  keyCollisions: number;
  /** Entries that are not objects or have no key. */
  skipped: number;
  defaultedSeverity: number;
  unknownStatus: number;
}

export function emptyCounters(): Counters {
  return {
    issues: 0,
    hotspots: 0,
    vulnerabilities: 0,
    bugs: 0,
    codeSmells: 0,
    codeSmellsExcluded: 0,
    hotspotIssues: 0,
    unknownTypes: 0,
    active: 0,
    suppressed: 0,
    resolved: 0,
    duplicates: 0,
    keyCollisions: 0,
    skipped: 0,
    defaultedSeverity: 0,
    unknownStatus: 0,
  };
}

export interface ParseContext {
  components: ComponentIndex;
  /** Normalised server base URL for links, when known. */
  serverUrl?: string;
  /** Branch or pull request the pages were fetched for (from the client's export), for links when an entry names none. */
  branch?: string;
  pullRequest?: string;
  includeCodeSmells: boolean;
  defaultSeverity: SeverityLabel;
  counters: Counters;
  /** Remediation per rule, computed once per rule (URLs are built with regular expressions). */
  remediationByRule: Map<string, FindingDraft['remediation']>;
}
