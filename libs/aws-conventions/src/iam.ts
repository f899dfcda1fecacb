/**
 * One IAM policy statement as data, in IAM's own JSON shape so the CDK app can pass it to
 * `PolicyStatement.fromJson` after substituting the `${…}` placeholders (CloudFormation `Fn::Sub` syntax:
 * `${AWS::Partition}`, `${AWS::Region}`, `${AWS::AccountId}` and the named ones each list documents).
 */
export interface IamPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** Replaces `${Name}` placeholders with the given values; throws on a placeholder left without a value. */
export function renderStatements(
  statements: readonly IamPolicyStatement[],
  values: Readonly<Record<string, string>>,
): IamPolicyStatement[] {
  const fill = (text: string): string =>
    text.replace(/\$\{([A-Za-z0-9:]+)\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`No value for the placeholder \${${name}}`);
      return value;
    });
  return statements.map((s) => ({
    ...s,
    Resource: s.Resource.map(fill),
    ...(s.Condition
      ? {
          Condition: Object.fromEntries(
            Object.entries(s.Condition).map(([op, entries]) => [
              op,
              Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, typeof v === 'string' ? fill(v) : v.map(fill)])),
            ]),
          ),
        }
      : {}),
  }));
}
