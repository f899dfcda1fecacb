import { arrayAt, isArray, isObject, objectAt, textAt } from './json';

const isInteger = Number.isInteger;

/** `external/cwe/cwe-079` (CodeQL, zero-padded), `CWE-276: Incorrect Default Permissions` (Semgrep), `cwe-22`. */
const CWE_TAG = /^(?:external\/cwe\/)?cwe[-_: ]?0*(\d+)(?![\d])/i;
/** Where a number alone is known to be a CWE id (properties.cwe, a target in the CWE taxonomy). */
const CWE_OR_NUMBER = /^\s*(?:cwe[-_: ]?)?0*(\d+)(?![\d])/i;
const CVE = /\bCVE-(\d{4})-(\d{4,})\b/i;

function cweFrom(value: unknown, pattern: RegExp): string | undefined {
  if (typeof value === 'number') return isInteger(value) && value > 0 ? `CWE-${value}` : undefined;
  if (typeof value !== 'string') return undefined;
  const match = pattern.exec(value.trim());
  return match && Number(match[1]) > 0 ? `CWE-${Number(match[1])}` : undefined;
}

function isCweComponent(reference: unknown): boolean {
  const component = objectAt(reference, 'toolComponent');
  return /cwe/i.test(textAt(component, 'name') ?? '');
}

/** CWE ids named by a list of reportingDescriptorReferences (rule relationships' targets, result taxa). */
function cwesFromReferences(references: readonly unknown[], add: (cwe: string | undefined) => void): void {
  for (const reference of references) {
    const id = isObject(reference) ? reference['id'] : undefined;
    add(isCweComponent(reference) ? cweFrom(id, CWE_OR_NUMBER) : cweFrom(id, CWE_TAG));
  }
}

function cwesFromProperty(value: unknown, add: (cwe: string | undefined) => void): void {
  for (const item of isArray(value) ? value : [value]) add(cweFrom(item, CWE_OR_NUMBER));
}

/** CWE ids a rule names, in order of appearance without duplicates: tags, relationships, then properties.cwe. */
export function ruleCwes(rule: unknown): string[] {
  const found = new Set<string>();
  const add = (cwe: string | undefined): void => {
    if (cwe) found.add(cwe);
  };
  const properties = objectAt(rule, 'properties');
  for (const tag of arrayAt(properties, 'tags')) add(cweFrom(tag, CWE_TAG));
  cwesFromReferences(
    arrayAt(rule, 'relationships').map((relationship) => objectAt(relationship, 'target')),
    add,
  );
  cwesFromProperty(properties?.['cwe'], add);
  return [...found];
}

/** The rule's CWE ids followed by the result's own (properties.cwe, taxa); the first is the primary one. */
export function resultCwes(ruleCweIds: readonly string[], result: unknown): readonly string[] {
  const properties = objectAt(result, 'properties');
  const taxa = arrayAt(result, 'taxa');
  if (properties?.['cwe'] === undefined && taxa.length === 0) return ruleCweIds;
  const found = new Set<string>(ruleCweIds);
  const add = (cwe: string | undefined): void => {
    if (cwe) found.add(cwe);
  };
  cwesFromProperty(properties?.['cwe'], add);
  cwesFromReferences(taxa, add);
  return [...found];
}

/** Rule tags other than CWE ones (those are reported as CWE). */
export function plainTags(rule: unknown): string[] {
  return arrayAt(objectAt(rule, 'properties'), 'tags').filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '' && !CWE_TAG.test(tag.trim()));
}

/** The first CVE id in a rule id (Trivy, Grype and other SCA tools use the CVE as the rule). */
export function cveOf(ruleId: string | undefined): string | undefined {
  const match = ruleId ? CVE.exec(ruleId) : null;
  return match ? `CVE-${match[1]}-${match[2]}` : undefined;
}
