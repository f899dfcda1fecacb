import type { Partition } from '@devsecops/asff';

/** The AWS Management Console's host in each partition (commercial, GovCloud, China). */
export function consoleHost(partition: Partition): string {
  switch (partition) {
    case 'aws-us-gov':
      return 'console.amazonaws-us-gov.com';
    case 'aws-cn':
      return 'console.amazonaws.cn';
    default:
      return 'console.aws.amazon.com';
  }
}

/**
 * Console URL that opens one finding in Security Hub. The console's search fragment expects
 * `Id=\operator\:EQUALS\:<id>` URL-encoded twice (the value once more than the operator), as the console itself links it.
 */
export function findingConsoleUrl(findingId: string, region: string, partition: Partition): string {
  const value = encodeURIComponent(encodeURIComponent(findingId));
  return `https://${consoleHost(partition)}/securityhub/home?region=${encodeURIComponent(region)}#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A${value}`;
}

/** Console URL of a pipeline's page, where the Review button of a pending approval sits. */
export function pipelineConsoleUrl(pipelineName: string, region: string, partition: Partition): string {
  return `https://${consoleHost(partition)}/codesuite/codepipeline/pipelines/${encodeURIComponent(pipelineName)}/view?region=${encodeURIComponent(region)}`;
}
