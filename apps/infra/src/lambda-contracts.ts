/**
 * What the event Lambdas' libraries publish for their deployment, as data: IAM statements (with `${…}`
 * placeholders for renderStatements) and EventBridge patterns. One source: the library that uses them.
 */
export { renderStatements, type IamPolicyStatement } from '@devsecops/aws-conventions';
export { APPROVAL_NOTIFIER_PERMISSIONS, APPROVAL_NOTIFIER_TOPIC_KEY_PERMISSIONS, APPROVAL_PIPELINE_ATTRIBUTE } from '@devsecops/approval';
export {
  CLOUDTRAIL_ALERTER_EVENT_PATTERN,
  CLOUDTRAIL_ALERTER_PERMISSIONS,
  CLOUDTRAIL_ALERTER_TOPIC_KEY_PERMISSIONS,
  WATCHED_EVENT_NAMES,
} from '@devsecops/cloudtrail-alerts';
export {
  AUTO_REMEDIATOR_BASE_PERMISSIONS,
  AUTO_REMEDIATOR_PLAYBOOK_PERMISSIONS,
  AUTO_REMEDIATOR_REPORT_PERMISSIONS,
  DEFAULT_REMEDIATOR_NAME,
  FINDINGS_IMPORTED,
  PLAYBOOK_CONTROL_IDS,
  SECURITY_HUB_PRODUCT_SUFFIX,
  autoRemediatorEventPattern,
  type ControlId,
} from '@devsecops/remediation';
/** The parser functions' EMF metrics (libs/scan-ingest): the function stack alarms on failed findings. */
export { METRICS_NAMESPACE, FAILED_FINDINGS_METRIC } from '@devsecops/scan-ingest';
