import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type BatchImportFindingsCommandInput,
  type BatchImportFindingsCommandOutput,
  type GetFindingsCommandInput,
  type GetFindingsCommandOutput,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { fullBucket, reserveToken, type TokenBucketConfig, type TokenBucketState } from '../rate-limit';

type PerFindingFailure = { ErrorCode: string; ErrorMessage: string };

/**
 * An in-memory Security Hub behind aws-sdk-client-mock: applies imports with the documented rules (lookup by Id,
 * older or equal UpdatedAt ignored, customer-owned fields kept), answers GetFindings with filters and paging,
 * and lets a test inject request errors and per-finding failures.
 */
export class FakeSecurityHub {
  readonly store = new Map<string, AwsSecurityFinding>();
  readonly importBatches: AwsSecurityFinding[][] = [];
  readonly getInputs: GetFindingsCommandInput[] = [];
  /** Imports dropped because their UpdatedAt was not newer than the stored one. */
  staleIgnored = 0;
  /** Return an Error to reject the whole request, or per-Id failures; called once per BatchImportFindings call. */
  onImport: (batch: AwsSecurityFinding[], call: number) => Error | Map<string, PerFindingFailure> | undefined = () => undefined;
  onGet: (input: GetFindingsCommandInput, call: number) => Error | undefined = () => undefined;

  /** 429s answered because a server-side quota was exceeded. */
  quotaRejections = 0;
  private readonly buckets = new Map<string, { config: TokenBucketConfig; state: TokenBucketState }>();

  constructor(
    private readonly pageSize = 100,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** Enforces a per-operation quota the way Security Hub does: a token bucket, 429 when empty. */
  enforceQuota(operation: 'BatchImportFindings' | 'GetFindings', config: TokenBucketConfig): void {
    this.buckets.set(operation, { config, state: fullBucket(config, this.clock()) });
  }

  private admit(operation: string): void {
    const bucket = this.buckets.get(operation);
    if (!bucket) return;
    const attempt = reserveToken(bucket.config, bucket.state, this.clock());
    if (attempt.waitMs > 0) {
      this.quotaRejections += 1;
      throw throttled();
    }
    bucket.state = attempt.state;
  }

  /** Puts findings in the store as Security Hub would hold them after an import. */
  seed(findings: AwsSecurityFinding[]): void {
    for (const f of findings) this.store.set(f.Id!, this.asStored(f, undefined));
  }

  install(mock: AwsClientStub<SecurityHubClient>): void {
    mock.on(GetFindingsCommand).callsFake(async (input: GetFindingsCommandInput) => this.getFindings(input));
    mock.on(BatchImportFindingsCommand).callsFake(async (input: BatchImportFindingsCommandInput) => this.batchImport(input));
  }

  private asStored(incoming: AwsSecurityFinding, previous: AwsSecurityFinding | undefined): AwsSecurityFinding {
    const stored: AwsSecurityFinding = structuredClone(incoming);
    stored.ProductFields = { ...stored.ProductFields, 'aws/securityhub/FindingId': `${incoming.ProductArn}/${incoming.Id}`, 'aws/securityhub/ProductName': 'Default' };
    stored.ProcessedAt = '2099-01-01T00:00:00.000Z';
    stored.Region = 'us-east-1';
    if (stored.Severity?.Label) stored.Severity = { ...stored.Severity, Normalized: 70 };
    // Customer-owned fields survive a provider update (asff.md §6).
    stored.Workflow = previous?.Workflow ?? incoming.Workflow ?? { Status: 'NEW' };
    if (previous?.Note) stored.Note = previous.Note;
    if (previous?.UserDefinedFields) stored.UserDefinedFields = previous.UserDefinedFields;
    if (previous?.VerificationState) stored.VerificationState = previous.VerificationState;
    return stored;
  }

  private async batchImport(input: BatchImportFindingsCommandInput): Promise<BatchImportFindingsCommandOutput> {
    const batch = input.Findings ?? [];
    this.importBatches.push(batch);
    this.admit('BatchImportFindings');
    const injected = this.onImport(batch, this.importBatches.length);
    if (injected instanceof Error) throw injected;
    const failed = [];
    for (const finding of batch) {
      const failure = injected?.get(finding.Id!);
      if (failure) {
        failed.push({ Id: finding.Id!, ...failure });
        continue;
      }
      const previous = this.store.get(finding.Id!);
      if (previous && Date.parse(finding.UpdatedAt!) <= Date.parse(previous.UpdatedAt!)) {
        this.staleIgnored += 1;
        continue;
      }
      this.store.set(finding.Id!, this.asStored(finding, previous));
    }
    return { FailedCount: failed.length, SuccessCount: batch.length - failed.length, FailedFindings: failed, $metadata: { httpStatusCode: 200, attempts: 1 } };
  }

  private matches(finding: AwsSecurityFinding, input: GetFindingsCommandInput): boolean {
    const filters = input.Filters ?? {};
    const arnOk = (filters.ProductArn ?? []).every((f) => finding.ProductArn === f.Value);
    const fieldsOk = (filters.ProductFields ?? []).every((f) => finding.ProductFields?.[f.Key!] === f.Value);
    // EQUALS filters on one attribute are ORed (GetFindings API reference).
    const anyOf = (values: { Value?: string }[] | undefined, actual: string | undefined) => values === undefined || values.some((f) => f.Value === actual);
    return (
      arnOk &&
      fieldsOk &&
      anyOf(filters.Id, finding.Id) &&
      anyOf(filters.RecordState, finding.RecordState ?? 'ACTIVE') &&
      anyOf(filters.WorkflowStatus, finding.Workflow?.Status ?? 'NEW')
    );
  }

  private async getFindings(input: GetFindingsCommandInput): Promise<GetFindingsCommandOutput> {
    this.getInputs.push(input);
    this.admit('GetFindings');
    const injected = this.onGet(input, this.getInputs.length);
    if (injected) throw injected;
    const all = [...this.store.values()].filter((f) => this.matches(f, input));
    const size = Math.min(input.MaxResults ?? 100, this.pageSize);
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = all.slice(start, start + size).map((f) => structuredClone(f));
    const next = start + size < all.length ? String(start + size) : undefined;
    return { Findings: page, ...(next ? { NextToken: next } : {}), $metadata: { httpStatusCode: 200, attempts: 1 } };
  }

  /** Every finding Id the fake received in imports, with how many times. */
  importCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const batch of this.importBatches) for (const f of batch) counts.set(f.Id!, (counts.get(f.Id!) ?? 0) + 1);
    return counts;
  }
}

export function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'LimitExceededException', $fault: 'client', $metadata: { httpStatusCode: 429 } });
}

export function serverError(): Error {
  return Object.assign(new Error('Internal error'), { name: 'InternalException', $fault: 'server', $metadata: { httpStatusCode: 500 } });
}

export function invalidAccess(): Error {
  return Object.assign(new Error('Account is not subscribed to AWS Security Hub'), {
    name: 'InvalidAccessException',
    $fault: 'client',
    $metadata: { httpStatusCode: 401 },
  });
}

export type { SecurityHubClient };
