import { PackageURL } from 'packageurl-js';
import type { DcDependency, DcIdentifier } from './model';

/**
 * Which package a dependency is, for the finding Id, the title and ASFF VulnerablePackages.
 * Order: package URL, else Maven coordinates (as a purl), else CPE, else the file name.
 */
export interface PackageIdentity {
  kind: 'purl' | 'cpe' | 'file';
  /** The stable key in the finding Id: canonical purl, CPE string or file name. */
  key: string;
  /** Human name: `group:artifact` (Maven), `@scope/name` (npm), `namespace/name`, CPE product or file name. */
  name: string;
  version?: string;
  /** purl type (maven, npm, golang, javascript, nuget…). */
  packageManager?: string;
  purl?: string;
  cpe?: string;
  /** Names to compare with CPE products when guessing the fixed version. */
  productNames: string[];
}

const CONFIDENCE_RANK: Readonly<Record<string, number>> = { HIGHEST: 4, HIGH: 3, MEDIUM: 2, LOW: 1 };

/** Highest confidence first, then alphabetical: the choice does not depend on the order in the report. */
export function bestIdentifier(identifiers: readonly DcIdentifier[]): DcIdentifier | undefined {
  let best: DcIdentifier | undefined;
  let bestRank = -1;
  for (const candidate of identifiers) {
    const rank = CONFIDENCE_RANK[candidate.confidence?.toUpperCase() ?? ''] ?? 0;
    if (rank > bestRank || (rank === bestRank && best !== undefined && candidate.id < best.id)) {
      best = candidate;
      bestRank = rank;
    }
  }
  return best;
}

export interface ParsedPurl {
  canonical: string;
  type: string;
  name: string;
  version?: string;
}

const purlCache = new Map<string, ParsedPurl | null>();
const PURL_CACHE_LIMIT = 10_000;

/** Parses a package URL with packageurl-js; undefined when it is not a valid purl. */
export function parsePurl(raw: string): ParsedPurl | undefined {
  const cached = purlCache.get(raw);
  if (cached !== undefined) return cached ?? undefined;
  let parsed: ParsedPurl | null = null;
  try {
    const purl = PackageURL.fromString(raw);
    const separator = purl.type === 'maven' ? ':' : '/';
    parsed = {
      canonical: purl.toString(),
      type: purl.type,
      name: purl.namespace ? `${purl.namespace}${separator}${purl.name}` : purl.name,
      ...(purl.version ? { version: purl.version } : {}),
    };
  } catch {
    parsed = null;
  }
  if (purlCache.size >= PURL_CACHE_LIMIT) purlCache.clear();
  purlCache.set(raw, parsed);
  return parsed ?? undefined;
}

/** `group:artifact:version` → purl; undefined for any other shape. */
export function purlFromMavenCoordinates(coordinates: string): string | undefined {
  const parts = coordinates.split(':');
  if (parts.length !== 3 || parts.some((p) => p.trim() === '')) return undefined;
  const [group, artifact, version] = parts as [string, string, string];
  try {
    return new PackageURL('maven', group.trim(), artifact.trim(), version.trim(), undefined, undefined).toString();
  } catch {
    return undefined;
  }
}

/** Old-style identifier types (schema 1.x) whose name is `<package>:<version>`, and their purl types. */
const OLD_STYLE_PURL_TYPES: Readonly<Record<string, string>> = { npm: 'npm', nuget: 'nuget', composer: 'composer', gem: 'gem', pypi: 'pypi', python: 'pypi' };

/**
 * `<identifier type="npm"><name>braces:1.8.5</name>` (Dependency-Check schema 1.x) as a purl, so the name and version
 * read like the `packages` of newer schemas: `pkg:npm/braces@1.8.5`, `@scope/name:1.0.0` → `pkg:npm/%40scope/name@1.0.0`.
 */
export function purlFromOldStyleIdentifier(type: string | undefined, name: string): string | undefined {
  const purlType = type ? OLD_STYLE_PURL_TYPES[type.toLowerCase()] : undefined;
  const separator = name.lastIndexOf(':');
  if (!purlType || separator <= 0 || separator === name.length - 1) return undefined;
  const fullName = name.slice(0, separator).trim();
  const version = name.slice(separator + 1).trim();
  const slash = fullName.lastIndexOf('/');
  const namespace = slash > 0 ? fullName.slice(0, slash) : undefined;
  const shortName = slash > 0 ? fullName.slice(slash + 1) : fullName;
  if (!shortName || !version) return undefined;
  try {
    return new PackageURL(purlType, namespace, shortName, version, undefined, undefined).toString();
  } catch {
    return undefined;
  }
}

export interface ParsedCpe {
  vendor?: string;
  product?: string;
  version?: string;
}

function cpeValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const unescaped = value.includes('\\') ? value.replace(/\\(.)/g, '$1') : value;
  return unescaped === '' || unescaped === '*' || unescaped === '-' ? undefined : unescaped;
}

/** Splits on `:` not escaped by a backslash (CPE 2.3 escapes `\:` `\/` …). */
function splitCpe(value: string): string[] {
  if (!value.includes('\\')) return value.split(':');
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) {
      current += ch + value[i + 1];
      i += 1;
    } else if (ch === ':') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Vendor, product and version of a CPE 2.3 (`cpe:2.3:a:v:p:ver:…`) or 2.2 URI (`cpe:/a:v:p:ver`). */
export function parseCpe(cpe: string): ParsedCpe | undefined {
  const trimmed = cpe.trim();
  let parts: string[];
  if (trimmed.startsWith('cpe:2.3:')) parts = splitCpe(trimmed.slice('cpe:2.3:'.length));
  else if (trimmed.startsWith('cpe:/')) parts = splitCpe(trimmed.slice('cpe:/'.length));
  else return undefined;
  const vendor = cpeValue(parts[1]);
  const product = cpeValue(parts[2]);
  const version = cpeValue(parts[3]);
  return { ...(vendor ? { vendor } : {}), ...(product ? { product } : {}), ...(version ? { version } : {}) };
}

/**
 * The product of a CPE without splitting the whole string: fix-version guessing looks at every CPE of every
 * vulnerability, so this is on the hot path.
 */
export function cpeProduct(cpe: string): string | undefined {
  let start: number;
  if (cpe.startsWith('cpe:2.3:')) start = 'cpe:2.3:'.length;
  else if (cpe.startsWith('cpe:/')) start = 'cpe:/'.length;
  else return parseCpe(cpe)?.product;
  const afterPart = cpe.indexOf(':', start);
  const afterVendor = afterPart < 0 ? -1 : cpe.indexOf(':', afterPart + 1);
  if (afterVendor < 0 || cpe.lastIndexOf('\\', afterVendor) >= 0) return parseCpe(cpe)?.product;
  const end = cpe.indexOf(':', afterVendor + 1);
  const product = cpe.slice(afterVendor + 1, end < 0 ? undefined : end);
  return product.includes('\\') ? parseCpe(cpe)?.product : cpeValue(product);
}

/** Lowercase letters and digits only, so `jquery-ui`, `jquery_ui` and `jQuery UI` compare equal. */
export function comparableName(name: string): string {
  const cached = comparableCache.get(name);
  if (cached !== undefined) return cached;
  const comparable = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (comparableCache.size >= PURL_CACHE_LIMIT) comparableCache.clear();
  comparableCache.set(name, comparable);
  return comparable;
}

// CPE products repeat across every vulnerability of a report.
const comparableCache = new Map<string, string>();

function allProductNames(dependency: DcDependency): string[] {
  const names: string[] = [];
  for (const pkg of dependency.packages) {
    const parsed = parsePurl(pkg.id);
    if (parsed) names.push(parsed.name.split(/[/:]/).pop() ?? parsed.name);
  }
  for (const coordinates of dependency.mavenCoordinates) {
    const artifact = coordinates.id.split(':')[1];
    if (artifact) names.push(artifact);
  }
  for (const cpe of dependency.cpes) {
    const product = parseCpe(cpe.id)?.product;
    if (product) names.push(product);
  }
  // `underscore.js` is the CPE product `underscore`: also try each name without a trailing "js".
  const comparable = names.map(comparableName).filter((n) => n.length > 0);
  const withoutJs = comparable.filter((n) => n.length > 2 && n.endsWith('js')).map((n) => n.slice(0, -2));
  return [...new Set([...comparable, ...withoutJs])];
}

/** The identity of a dependency; `fallbackName` is used when it has neither identifiers nor a file name. */
export function packageIdentity(dependency: DcDependency, fallbackName = 'unknown dependency'): PackageIdentity {
  const productNames = allProductNames(dependency);
  const purlId = bestIdentifier(dependency.packages);
  if (purlId) {
    const parsed = parsePurl(purlId.id);
    return parsed
      ? { kind: 'purl', key: parsed.canonical, name: parsed.name, ...(parsed.version ? { version: parsed.version } : {}), packageManager: parsed.type, purl: parsed.canonical, productNames }
      : { kind: 'purl', key: purlId.id, name: purlId.id, purl: purlId.id, productNames };
  }
  const maven = bestIdentifier(dependency.mavenCoordinates);
  const mavenPurl = maven ? purlFromMavenCoordinates(maven.id) : undefined;
  const parsedMaven = mavenPurl ? parsePurl(mavenPurl) : undefined;
  if (parsedMaven) {
    return {
      kind: 'purl',
      key: parsedMaven.canonical,
      name: parsedMaven.name,
      ...(parsedMaven.version ? { version: parsedMaven.version } : {}),
      packageManager: parsedMaven.type,
      purl: parsedMaven.canonical,
      productNames,
    };
  }
  const cpeId = bestIdentifier(dependency.cpes);
  if (cpeId) {
    const parsed = parseCpe(cpeId.id);
    return {
      kind: 'cpe',
      key: cpeId.id,
      name: parsed?.product ?? dependency.fileName ?? cpeId.id,
      ...(parsed?.version ? { version: parsed.version } : {}),
      cpe: cpeId.id,
      productNames,
    };
  }
  const fileName = dependency.fileName ?? fallbackName;
  return { kind: 'file', key: fileName, name: fileName, productNames };
}

/** `name@version`, or the name alone. */
export function packageLabel(identity: Pick<PackageIdentity, 'name' | 'version'>): string {
  return identity.version ? `${identity.name}@${identity.version}` : identity.name;
}
