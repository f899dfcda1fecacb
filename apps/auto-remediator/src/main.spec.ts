import { EnableKeyRotationCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { BatchUpdateFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { HandlerError } from '@devsecops/lambda-middleware';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { captureConsole, lambdaContext as contextFor } from '../../../libs/approval/src/__fixtures__/lambda';
import { ACCOUNT, controlFinding, findingsImported } from '../../../libs/remediation/src/__fixtures__/findings';

const lambdaContext = contextFor('auto-remediator');
const securityHub = mockClient(SecurityHubClient);
const kms = mockClient(KMSClient);
let main: typeof import('./main');

beforeAll(async () => {
  process.env.ALLOWED_PLAYBOOKS = 'KMS.4';
  process.env.ALLOWED_ACCOUNTS = ACCOUNT;
  main = await import('./main');
});

afterAll(() => {
  delete process.env.ALLOWED_PLAYBOOKS;
  delete process.env.ALLOWED_ACCOUNTS;
});

beforeEach(() => {
  securityHub.reset();
  kms.reset();
  securityHub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
});

describe('auto-remediator handler', () => {
  it('is a dry run by default: plans, marks NOTIFIED, changes nothing', async () => {
    // Act
    const { result } = await captureConsole(() => main.handler(findingsImported(controlFinding('KMS.4')), lambdaContext));
    // Assert
    expect(result).toEqual({ outcomes: [expect.objectContaining({ status: 'planned', controlId: 'KMS.4' })] });
    expect(kms).not.toHaveReceivedCommand(EnableKeyRotationCommand);
    expect(securityHub).toHaveReceivedCommandWith(BatchUpdateFindingsCommand, { Workflow: { Status: 'NOTIFIED' } });
  });

  it('skips findings of playbooks that are not allow-listed, without touching them', async () => {
    const { result } = await captureConsole(() => main.handler(findingsImported(controlFinding('S3.8')), lambdaContext));
    expect(result).toEqual({ outcomes: [expect.objectContaining({ status: 'skipped', reason: 'playbook S3.8 is not allow-listed' })] });
    expect(securityHub).not.toHaveReceivedCommand(BatchUpdateFindingsCommand);
  });

  it('refuses an event that is not a Security Hub import', async () => {
    const { error } = await captureConsole(() => main.handler({ ...findingsImported(controlFinding('KMS.4')), source: 'aws.config' }, lambdaContext));
    expect(error).toBeInstanceOf(HandlerError);
    expect(error).toMatchObject({ name: 'InvalidEvent', message: expect.stringContaining('source') });
  });

  it('fails the invocation with RemediationFailed when a playbook fails', async () => {
    // Arrange
    kms.on(GetKeyRotationStatusCommand).rejects(Object.assign(new Error('key is pending deletion'), { name: 'KMSInvalidStateException' }));
    // Act
    const { error } = await captureConsole(() => main.remediateEvent(findingsImported(controlFinding('KMS.4')) as never, lambdaContext));
    // Assert
    expect(error).toMatchObject({ name: 'RemediationFailed', message: expect.stringContaining('KMS.4 on arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab failed at plan: KMSInvalidStateException') });
    expect(securityHub).toHaveReceivedCommandWith(BatchUpdateFindingsCommand, { Note: expect.objectContaining({ UpdatedBy: 'devsecops-auto-remediator' }) });
  });
});
