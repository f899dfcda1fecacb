export { sarifParser, NO_RULE, NO_LOCATION } from './sarif-parser';
export { sarifSeverity, securityScore, LEVEL_LABELS, DEFAULT_LEVEL, type SarifLevel } from './severity';
export { toolSlug, reportToolId, UNNAMED_SARIF_TOOL } from './tool-slug';
export { fingerprintOf } from './fingerprints';
export { ruleCwes, resultCwes, cveOf } from './taxonomy';
export { formatMessage, plainMessage } from './message';
export { resolveUri } from './locations';
