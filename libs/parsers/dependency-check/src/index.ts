export { dependencyCheckParser, dependencyCheckStreaming, dependencyCheckXmlStreaming, parseDependencyCheck, isDependencyCheckReport, reportStats, DEPENDENCY_CHECK_TOOL, DEPENDENCY_CHECK_XML_OPTIONS } from './parser';
export { readDependencyCheckReport, readDependencies, locateDependencies, readVulnerability, type ReadCounts, type LocatedReport } from './read';
export { toDrafts, DraftCollector, referenceUrls, isHttpUrl, cweIds, findingTypes, advisoryUrl, manifestPath, joinLimited, CVE_TYPE, type DraftOptions, type DraftResult } from './drafts';
export { decideSeverity, type SeverityDecision } from './severity';
export { readCvssV2, readCvssV3, readCvssV4, readLegacyCvss, toAsffCvss, vectorFromMetrics, calculatedBaseScore } from './cvss';
export { fixedInVersion, softwareEntry, compareVersions, inRange } from './fix-version';
export { packageIdentity, packageLabel, parsePurl, parseCpe, cpeProduct, purlFromMavenCoordinates, bestIdentifier, comparableName, type PackageIdentity } from './package-identity';
export { asArray, text, num, flag, isRecord } from './values';
export type * from './model';
