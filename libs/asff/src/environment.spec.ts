import { awsTargetFromEnvironment, defaultProductArn, partitionForRegion } from './environment';

describe('awsTargetFromEnvironment', () => {
  it('reads account and Region from the environment without any API call', () => {
    expect(awsTargetFromEnvironment({ AWS_REGION: 'eu-west-1', AWS_ACCOUNT_ID: '111122223333' })).toEqual({
      awsAccountId: '111122223333',
      region: 'eu-west-1',
      partition: 'aws',
    });
  });

  it('takes the account and partition from the invoked function ARN', () => {
    // Act
    const target = awsTargetFromEnvironment({ AWS_REGION: 'us-gov-west-1' }, 'arn:aws-us-gov:lambda:us-gov-west-1:444455556666:function:sca-parser');
    // Assert
    expect(target).toEqual({ awsAccountId: '444455556666', region: 'us-gov-west-1', partition: 'aws-us-gov' });
    expect(defaultProductArn(target)).toBe('arn:aws-us-gov:securityhub:us-gov-west-1:444455556666:product/444455556666/default');
  });

  it('refuses to guess a missing account', () => {
    expect(() => awsTargetFromEnvironment({ AWS_REGION: 'us-east-1' })).toThrow(/AWS_ACCOUNT_ID/);
    expect(() => awsTargetFromEnvironment({})).toThrow(/AWS_REGION/);
  });

  it.each([
    ['us-east-1', 'aws'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['cn-northwest-1', 'aws-cn'],
  ])('puts %s in %s', (region, partition) => {
    expect(partitionForRegion(region)).toBe(partition);
  });
});
