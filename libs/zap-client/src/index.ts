export { runZapScan, type ZapScanOptions, type ZapScanResult } from './run';
export { planZapScan, originOf, DEFAULT_TIMEOUTS, type ZapStep, type ZapPlanOptions, type ZapScanMode, type ZapTimeouts } from './plan';
export { readZapApiKey, type ApiKeySource, type GetParameter } from './api-key';
export { reportForOrigin, type TargetReport } from './report';
export { ZapApi, API_KEY_HEADER, type FetchLike } from './api';
export { waitUntilDone, type Clock, type WaitOptions } from './poll';
export { ZapScanError, redact, displayUrl, type ZapPhase } from './errors';
