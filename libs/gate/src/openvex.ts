import { parsePurlPattern, SuppressionFileError, type SuppressionEntry, type SuppressionProblem, type SuppressionSet } from './suppressions';

/** OpenVEX 0.2 justification labels for not_affected (OPENVEX-SPEC.md, "Status Justifications"). */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;

const STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'];
const CVE = /^CVE-\d{4}-\d{4,}$/i;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * The package purls a product statement is about: its subcomponents' when it lists any (the product is then the
 * application or image, and the scanners report the subcomponent), else its own @id or identifiers.purl.
 */
function productPurls(product: unknown): string[] {
  if (typeof product === 'string') return product.startsWith('pkg:') ? [product] : [];
  if (!isObject(product)) return [];
  const subs = Array.isArray(product['subcomponents']) ? product['subcomponents'].flatMap(productPurls) : [];
  if (subs.length > 0) return [...new Set(subs)];
  const own = [str(product['@id']), isObject(product['identifiers']) ? str(product['identifiers']['purl']) : undefined].filter(
    (p): p is string => p !== undefined && p.startsWith('pkg:'),
  );
  return [...new Set(own)];
}

/** CVE ids of a statement's vulnerability: 0.2 `{name, aliases}`, or the bare string of earlier versions. */
function vulnerabilityIds(value: unknown): string[] {
  if (typeof value === 'string') return CVE.test(value) ? [value.toUpperCase()] : [];
  if (!isObject(value)) return [];
  const names = [str(value['name']), str(value['@id']), ...(Array.isArray(value['aliases']) ? value['aliases'].map(str) : [])];
  return [...new Set(names.filter((n): n is string => n !== undefined && CVE.test(n)).map((n) => n.toUpperCase()))];
}

/**
 * Reads an OpenVEX document (0.2; 0.0.x vulnerability strings accepted). `not_affected` statements with a
 * justification (or an impact_statement, which the spec allows instead) and `fixed` statements become
 * suppressions of the CVE for each product purl; later statements (timestamp) override earlier ones for the same
 * CVE and product, so an `affected` or `under_investigation` statement lifts an earlier suppression.
 */
export function readOpenVex(content: string, source: string, options: { commit?: string } = {}): SuppressionSet {
  let doc: unknown;
  try {
    doc = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SuppressionFileError(source, `is not JSON (${(error as Error).message})`);
  }
  if (!isObject(doc) || typeof doc['@context'] !== 'string' || !doc['@context'].includes('openvex')) {
    throw new SuppressionFileError(source, 'is not an OpenVEX document (no openvex @context)');
  }
  if (!Array.isArray(doc['statements'])) throw new SuppressionFileError(source, 'has no "statements" list');
  const author = str(doc['author']) ?? 'OpenVEX author unknown';
  const docTime = str(doc['timestamp']) ?? '';
  const problems: SuppressionProblem[] = [];
  const latest = new Map<string, { time: string; order: number; entry?: SuppressionEntry }>();
  doc['statements'].forEach((statement, index) => {
    const where = `statements[${index}]`;
    const refuse = (message: string) => problems.push({ source, line: 0, message: `${where}: ${message}` });
    if (!isObject(statement)) return refuse('is not an object');
    const status = str(statement['status']);
    if (!status || !STATUSES.includes(status)) return refuse(`status ${JSON.stringify(statement['status'])} is not one of ${STATUSES.join(', ')}`);
    const cves = vulnerabilityIds(statement['vulnerability']);
    if (cves.length === 0) return refuse('vulnerability names no CVE id');
    const purls = (Array.isArray(statement['products']) ? statement['products'] : []).flatMap(productPurls);
    if (purls.length === 0) return refuse('no product is identified by a package URL');
    const justification = str(statement['justification']);
    const impact = str(statement['impact_statement']);
    if (status === 'not_affected') {
      if (!justification && !impact) return refuse('not_affected needs a justification (or an impact_statement)');
      if (justification && !(VEX_JUSTIFICATIONS as readonly string[]).includes(justification)) {
        return refuse(`justification "${justification}" is not one of ${VEX_JUSTIFICATIONS.join(', ')}`);
      }
    }
    const time = str(statement['timestamp']) ?? docTime;
    const reason =
      status === 'fixed' ? 'OpenVEX: fixed' : `OpenVEX: not_affected (${[justification, impact].filter(Boolean).join('; ')})`;
    for (const cve of cves) {
      for (const purlText of purls) {
        const purl = parsePurlPattern(purlText);
        if (typeof purl === 'string') {
          refuse(purl);
          continue;
        }
        const key = `${cve} ${purlText}`;
        const before = latest.get(key);
        if (before && before.time > time) continue;
        const suppresses = status === 'not_affected' || status === 'fixed';
        latest.set(key, {
          time,
          order: index,
          ...(suppresses
            ? {
                entry: {
                  origin: 'openvex',
                  source,
                  line: 0,
                  match: { kind: 'cve-package', cve, package: purl },
                  reason,
                  owner: author,
                  ...(options.commit ? { commit: options.commit } : {}),
                },
              }
            : {}),
        });
      }
    }
  });
  const entries = [...latest.values()].flatMap((v) => (v.entry ? [v.entry] : []));
  return { entries, problems };
}
