/** ProductFields keys this project writes. Filters in GetFindings use them, so they are part of the contract. */
export const FIELD = {
  tool: 'devsecops/Tool',
  repository: 'devsecops/Repository',
  branch: 'devsecops/Branch',
  /** Part of the scan identity when set (several scans of one tool over one repository branch); absent = the no-category scope. */
  category: 'devsecops/Category',
  commit: 'devsecops/Commit',
  buildId: 'devsecops/BuildId',
  reportUri: 'devsecops/ReportUri',
  target: 'devsecops/Target',
  rule: 'devsecops/Rule',
  location: 'devsecops/Location',
  state: 'devsecops/State',
  stateReason: 'devsecops/StateReason',
  contentHash: 'devsecops/ContentHash',
  /** sha256(tool, rule, location): the same problem on every branch; `new` gate mode compares branches by it. */
  fingerprint: 'devsecops/Fingerprint',
  resourcesOmitted: 'devsecops/ResourcesOmitted',
} as const;

export const FIELD_PREFIX = 'devsecops/';
/** `devsecops/Evidence/<name>`: where the whole evidence text is (or `sha256:<hex>` when it was not stored); `…/Bytes`: its size. */
export const EVIDENCE_FIELD_PREFIX = 'devsecops/Evidence/';
