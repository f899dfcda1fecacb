import { EnableKeyRotationCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { remediationConfigFromEnv } from '@devsecops/remediation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { captureConsole, lambdaContext as contextFor } from '../../../libs/approval/src/__fixtures__/lambda';
import { ACCOUNT, controlFinding, findingsImported } from '../../../libs/remediation/src/__fixtures__/findings';

/** The worker with the real Security Hub client against securityhub-local; KMS and S3 are mocked. */
const lambdaContext = contextFor('auto-remediator');
const kms = mockClient(KMSClient);
const s3 = mockClient(S3Client);
let local: SecurityHubLocal;
let main: typeof import('./main');

const allowing = (env: Record<string, string> = {}) => ({ config: remediationConfigFromEnv({ ALLOWED_PLAYBOOKS: 'KMS.4,S3.5', ALLOWED_ACCOUNTS: ACCOUNT, ...env }) });

beforeAll(async () => {
  local = await startSecurityHubLocal({ port: 0, throttling: false });
  process.env.SECURITYHUB_ENDPOINT = local.endpoint;
  main = await import('./main');
});

afterAll(async () => {
  await local.close();
  delete process.env.SECURITYHUB_ENDPOINT;
});

beforeEach(() => {
  local.reset();
  kms.reset();
  s3.reset();
});

/** Runs the worker on the event Security Hub would emit for `finding`. */
async function run(finding: ReturnType<typeof controlFinding>, overrides = allowing()) {
  return captureConsole(() => main.remediateEvent(findingsImported(finding) as never, lambdaContext, overrides));
}

function stored() {
  const [finding] = local.findings();
  return finding!;
}

describe('auto-remediator against securityhub-local', () => {
  it('in dry run marks the stored finding NOTIFIED with the plan', async () => {
    // Arrange
    local.importFindings([controlFinding('KMS.4')]);
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    // Act
    const { result } = await run(controlFinding('KMS.4'));
    // Assert
    expect(result).toEqual({ outcomes: [expect.objectContaining({ status: 'planned' })] });
    expect(stored()).toMatchObject({
      Workflow: { Status: 'NOTIFIED' },
      Note: { Text: expect.stringMatching(/^\[dry run\] KMS\.4: would 1\) enable automatic rotation/), UpdatedBy: 'devsecops-auto-remediator' },
    });
  });

  it('applies S3.5, verifies, and marks the stored finding RESOLVED with what was done', async () => {
    // Arrange
    local.importFindings([controlFinding('S3.5')]);
    let policy: string | undefined;
    s3.on(GetBucketPolicyCommand).callsFake(() => {
      if (!policy) throw Object.assign(new Error('none'), { name: 'NoSuchBucketPolicy' });
      return { Policy: policy };
    });
    s3.on(PutBucketPolicyCommand).callsFake((input: { Policy: string }) => ((policy = input.Policy), {}));
    // Act
    const { result } = await run(controlFinding('S3.5'), allowing({ DRY_RUN: 'false' }));
    // Assert
    expect(result).toEqual({ outcomes: [expect.objectContaining({ status: 'resolved' })] });
    expect(stored()).toMatchObject({ Workflow: { Status: 'RESOLVED' }, Note: { Text: expect.stringContaining('S3.5 remediated by devsecops-auto-remediator. Done: 1) add statement DenyInsecureTransport') } });
  });

  it('leaves a failed finding NEW with a note, and the update it causes does not trigger it again', async () => {
    // Arrange
    local.importFindings([controlFinding('KMS.4')]);
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    kms.on(EnableKeyRotationCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    // Act
    const first = await run(controlFinding('KMS.4'), allowing({ DRY_RUN: 'false' }));
    const afterFailure = stored();
    const updatesAfterFailure = local.stats().updates.processed;
    // The BatchUpdateFindings above emits a new "Findings - Imported" event carrying the finding as stored now.
    const second = await run(afterFailure, allowing({ DRY_RUN: 'false' }));
    // Assert
    expect(first.error).toMatchObject({ name: 'RemediationFailed' });
    expect(afterFailure).toMatchObject({ Workflow: { Status: 'NEW' }, Note: { Text: expect.stringContaining('failed (apply): AccessDeniedException: not allowed'), UpdatedBy: 'devsecops-auto-remediator' } });
    expect(second.result).toEqual({ outcomes: [expect.objectContaining({ status: 'skipped', reason: 'last updated by the remediator itself' })] });
    expect(local.stats().updates.processed).toBe(updatesAfterFailure);
    expect(kms).toHaveReceivedCommandTimes(EnableKeyRotationCommand, 1);
  });
});
