import type { DraftState } from '@devsecops/asff';

export interface StateDecision {
  state: DraftState;
  /** Short human reason shown in the finding (undefined for plain open issues). */
  reason?: string;
  /** False when the status was not one SonarQube documents (the finding is kept ACTIVE and a warning is raised). */
  known: boolean;
}

const ACTIVE: StateDecision = { state: 'ACTIVE', known: true };

/** `issueStatus` (SonarQube 10.4+), the simplified lifecycle; wins over status/resolution when present and known. */
const ISSUE_STATUS: Readonly<Record<string, StateDecision>> = {
  OPEN: ACTIVE,
  CONFIRMED: { state: 'ACTIVE', reason: 'confirmed in SonarQube', known: true },
  REOPENED: ACTIVE,
  // Sandboxed issues (2025.x) come from new rules after an upgrade and are not triaged yet: still real problems.
  IN_SANDBOX: ACTIVE,
  ACCEPTED: { state: 'SUPPRESSED', reason: 'accepted in SonarQube', known: true },
  FALSE_POSITIVE: { state: 'SUPPRESSED', reason: 'marked false positive in SonarQube', known: true },
  FIXED: { state: 'RESOLVED', reason: 'fixed', known: true },
  CLOSED: { state: 'RESOLVED', reason: 'closed', known: true },
};

/** Legacy `resolution` of issues (and of hotspots reported as issues before SonarQube 8.2). */
const ISSUE_RESOLUTION: Readonly<Record<string, StateDecision>> = {
  FIXED: { state: 'RESOLVED', reason: 'fixed', known: true },
  REMOVED: { state: 'RESOLVED', reason: 'removed (the rule or the code is gone)', known: true },
  'FALSE-POSITIVE': { state: 'SUPPRESSED', reason: 'marked false positive in SonarQube', known: true },
  // Shown as "Accepted" since SonarQube 10.3.
  WONTFIX: { state: 'SUPPRESSED', reason: "accepted in SonarQube (won't fix)", known: true },
  SAFE: { state: 'RESOLVED', reason: 'reviewed as safe', known: true },
  ACKNOWLEDGED: { state: 'ACTIVE', reason: 'acknowledged in SonarQube', known: true },
};

const OPEN_STATUSES = new Set(['OPEN', 'CONFIRMED', 'REOPENED', 'TO_REVIEW', 'IN_REVIEW']);
const CLOSED_STATUSES = new Set(['CLOSED', 'RESOLVED', 'REVIEWED']);

/**
 * State of an issue: only open/confirmed/reopened issues are live. Closed/fixed/removed → RESOLVED,
 * false positive/accepted (won't fix) → SUPPRESSED. Unknown values keep the finding ACTIVE (never hide a problem).
 */
export function issueState(status: string | undefined, resolution: string | undefined, issueStatus: string | undefined): StateDecision {
  const simplified = issueStatus ? ISSUE_STATUS[issueStatus] : undefined;
  const legacy = resolution ? ISSUE_RESOLUTION[resolution] : undefined;
  if (simplified) {
    // issueStatus FIXED covers both FIXED and REMOVED: the legacy resolution says which.
    return legacy && legacy.state === simplified.state ? legacy : simplified;
  }
  if (legacy) return legacy;
  if (status && CLOSED_STATUSES.has(status)) {
    return { state: 'RESOLVED', reason: resolution ? `closed (${resolution.toLowerCase()})` : 'closed', known: true };
  }
  if (status && OPEN_STATUSES.has(status)) return status === 'CONFIRMED' ? ISSUE_STATUS.CONFIRMED! : ACTIVE;
  return { state: 'ACTIVE', known: status === undefined && resolution === undefined && issueStatus === undefined };
}

/**
 * State of a hotspot from /api/hotspots/search: TO_REVIEW → ACTIVE; REVIEWED as ACKNOWLEDGED (a confirmed risk still
 * to fix) → ACTIVE; REVIEWED as SAFE or FIXED → RESOLVED.
 */
export function hotspotState(status: string | undefined, resolution: string | undefined): StateDecision {
  if (status === 'TO_REVIEW' || status === 'IN_REVIEW') return ACTIVE;
  if (status === 'REVIEWED' || status === 'CLOSED') {
    if (resolution === 'ACKNOWLEDGED') return ISSUE_RESOLUTION.ACKNOWLEDGED!;
    if (resolution === 'SAFE') return ISSUE_RESOLUTION.SAFE!;
    if (resolution === 'FIXED') return { state: 'RESOLVED', reason: 'reviewed as fixed', known: true };
    if (resolution === undefined) return { state: 'RESOLVED', reason: 'reviewed', known: true };
    return { state: 'ACTIVE', known: false };
  }
  return { state: 'ACTIVE', known: status === undefined };
}
