import { DEFAULT_REMEDIATOR_NAME, PLAYBOOK_CONTROL_IDS } from './config';
import { FINDINGS_IMPORTED } from './event';
import { SECURITY_HUB_PRODUCT_SUFFIX } from './eligibility';

/**
 * The EventBridge rule pattern of the auto-remediator: ACTIVE, NEW, FAILED Security Hub control findings of the
 * controls with a playbook, whose note was not written by the remediator (the update of a failed run keeps Workflow
 * NEW, so the note is what stops the loop). The handler checks the same again (checkEligibility), and more: with
 * consolidated control findings off, the PCI DSS and CIS copies of a check carry the same SecurityControlId and match
 * here, and the handler skips them by GeneratorId (controlIdOf) so that only the FSBP finding is remediated.
 */
export function autoRemediatorEventPattern(remediatorName: string = DEFAULT_REMEDIATOR_NAME, controlIds: readonly string[] = PLAYBOOK_CONTROL_IDS) {
  return {
    source: ['aws.securityhub'],
    'detail-type': [FINDINGS_IMPORTED],
    detail: {
      findings: {
        ProductArn: [{ suffix: SECURITY_HUB_PRODUCT_SUFFIX }],
        RecordState: ['ACTIVE'],
        Workflow: { Status: ['NEW'] },
        Compliance: { Status: ['FAILED'], SecurityControlId: [...controlIds] },
        $or: [{ Note: { UpdatedBy: [{ exists: false }] } }, { Note: { UpdatedBy: [{ 'anything-but': [remediatorName] }] } }],
      },
    },
  };
}

export const AUTO_REMEDIATOR_EVENT_PATTERN = autoRemediatorEventPattern();
