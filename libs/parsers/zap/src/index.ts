export { zapParser, reportToDrafts } from './zap-parser';
export { readZapReport, zapRoot } from './read';
export { alertKeys, siteKey, stripQuery } from './identity';
export { RISK_LABELS, CONFIDENCE, FALSE_POSITIVE_REASON } from './draft';
export type { ZapReport, ZapSite, ZapAlert, ZapInstance } from './model';
