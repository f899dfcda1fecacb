import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { BasicLogger } from '@devsecops/aws-conventions';
import type { AwsSecurityFinding, ScanScope } from '@devsecops/asff';
import { DEFAULT_BASE_BRANCH, enrichWithExploitData, evaluateGate, GATE_NOTE_AUTHOR, type GateData, type GateSettings, type GateVerdict } from '@devsecops/gate';
import {
  applyDecisionUpdates,
  decisionsFromImport,
  importFindings,
  openBeforeImport,
  readOpenFingerprints,
  type ApplyDecisionsResult,
  type ImportOptions,
  type ImportResult,
} from '@devsecops/securityhub';

export const DEFAULT_GATE_SETTINGS: GateSettings = { failOn: 'HIGH', mode: 'all', failOnKev: true, onDecisionReadError: 'fail' };

export interface GateScanInput {
  scope: ScanScope;
  findings: AwsSecurityFinding[];
  settings: GateSettings;
  data: GateData;
  /**
   * Why the scan is not whole (the tool said so — ParsedReport.incomplete —, the event says `complete: false`, the
   * scanner reported errors): the gate fails closed and the import archives nothing.
   */
  incomplete?: string;
  now: Date;
}

function gateOptions(input: GateScanInput) {
  const { settings, data } = input;
  return {
    failOn: settings.failOn,
    mode: settings.mode,
    ...(settings.mode === 'new' ? { baseBranch: settings.baseBranch ?? DEFAULT_BASE_BRANCH } : {}),
    ...(settings.slaDays ? { slaDays: settings.slaDays } : {}),
    failOnKev: settings.failOnKev,
    ...(settings.failOnEpss !== undefined ? { failOnEpss: settings.failOnEpss } : {}),
    onDecisionReadError: settings.onDecisionReadError,
    ...(data.kev ? { kev: data.kev } : {}),
    ...(data.epss ? { epss: data.epss } : {}),
    ...(data.suppressions ? { suppressions: data.suppressions } : {}),
    suppressionProblems: data.suppressionProblems,
    ...(input.incomplete ? { incomplete: input.incomplete } : {}),
    now: input.now,
    region: input.scope.region,
    partition: input.scope.partition,
  };
}

/** The base branch's open fingerprints for `new` mode, or why they are unknown. */
async function baseOpen(
  client: SecurityHubClient | undefined,
  input: GateScanInput,
  sameBranch: () => Set<string> | undefined,
  deadline?: number,
  logger?: BasicLogger,
): Promise<{ baseOpen?: Set<string>; baseUnavailable?: string }> {
  if (input.settings.mode !== 'new') return {};
  const base = input.settings.baseBranch ?? DEFAULT_BASE_BRANCH;
  if (base === input.scope.branch) {
    const open = sameBranch();
    return open ? { baseOpen: open } : { baseUnavailable: 'the scan is on the base branch and was not imported' };
  }
  if (!client) return { baseUnavailable: 'no Security Hub endpoint to read it from' };
  const read = await readOpenFingerprints(client, { ...input.scope, branch: base }, { ...(deadline ? { deadline } : {}), ...(logger ? { logger } : {}) });
  return read.status === 'ok' ? { baseOpen: read.fingerprints } : { baseUnavailable: read.reason };
}

/**
 * The gate without an import (`findings gate`): repository suppressions, KEV, EPSS, SLA from the findings' own
 * FirstObservedAt; Security Hub's decisions are not consulted. `new` mode reads the base branch when a client is given.
 */
export async function gateWithoutImport(input: GateScanInput, client?: SecurityHubClient): Promise<GateVerdict> {
  enrichWithExploitData(input.findings, input.data);
  const base = await baseOpen(client, input, () => undefined);
  return evaluateGate(input.findings, { ...gateOptions(input), ...base });
}

export interface ImportAndGateOptions extends GateScanInput {
  client: SecurityHubClient;
  deadline?: number;
  logger?: BasicLogger;
  /** Archive stored findings this scan did not report (default true; false for a partial scan, which may not have reached them). */
  archiveMissing?: boolean;
  /** Importer options for tests (clock, rate limits…). */
  /** Further importer options: the ledger, the rate share, and for tests the clock, rate limits… */
  importOptions?: Partial<ImportOptions>;
}

export interface ImportAndGateResult {
  result: ImportResult;
  verdict: GateVerdict;
  /** What was written with BatchUpdateFindings (repository suppressions, expiries, re-openings). */
  decisions: ApplyDecisionsResult;
}

/**
 * One scan end to end: KEV/EPSS into Vulnerabilities[], import (whose read-back carries Security Hub's decisions),
 * the gate over those decisions and the repository's suppressions, then the Workflow changes the gate decided
 * (only for findings whose decision must change) through BatchUpdateFindings.
 */
export async function importAndGate(options: ImportAndGateOptions): Promise<ImportAndGateResult> {
  enrichWithExploitData(options.findings, options.data);
  const result = await importFindings({
    client: options.client,
    scope: options.scope,
    findings: options.findings,
    now: () => options.now,
    ...(options.deadline ? { deadline: options.deadline } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.archiveMissing === undefined ? {} : { archiveMissing: options.archiveMissing }),
    ...(options.incomplete ? { incomplete: [options.incomplete] } : {}),
    ...options.importOptions,
  });
  const fromImport = decisionsFromImport(result, options.findings);
  const base = await baseOpen(options.client, options, () => (fromImport.unavailable ? undefined : openBeforeImport(result, options.findings, options.now)), options.deadline, options.logger);
  const verdict = evaluateGate(options.findings, {
    ...gateOptions(options),
    ...base,
    decisions: fromImport.decisions,
    changedIds: fromImport.changedIds,
    ...(fromImport.unavailable ? { decisionsUnavailable: fromImport.unavailable } : {}),
  });
  const decisions = await applyDecisionUpdates({
    client: options.client,
    changes: verdict.updates,
    updatedBy: GATE_NOTE_AUTHOR,
    ...(options.deadline ? { deadline: options.deadline } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.importOptions?.clock ? { clock: options.importOptions.clock } : {}),
    ...(options.importOptions?.sleep ? { sleep: options.importOptions.sleep } : {}),
  });
  return { result, verdict, decisions };
}
