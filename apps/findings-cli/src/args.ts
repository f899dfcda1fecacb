/**
 * The command line's grammar, as data: every option is one entry of OPTIONS (name, type, repeatable, the
 * subcommands it applies to, help text), every subcommand one entry of COMMANDS. Parsing, per-command help,
 * refusal of options that do not apply and "did you mean" all come from these two tables.
 */

export const COMMAND_NAMES = ['convert', 'gate', 'import', 'zap-scan', 'sonarqube-export'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface OptionSpec {
  /** Long name without the dashes. */
  name: string;
  type: 'string' | 'boolean';
  /** May be given more than once; the values are collected in order. */
  repeatable?: boolean;
  short?: string;
  commands: readonly CommandName[];
  /** Placeholder in the help, e.g. LEVEL. */
  value?: string;
  /** Allowed values (case-insensitive); checked here, with a suggestion for a near miss. */
  choices?: readonly string[];
  help: string;
}

export interface CommandSpec {
  name: CommandName;
  /** Positional arguments in the usage line. */
  args: string;
  summary: string;
  /** Extra lines of the command's own help. */
  notes?: readonly string[];
}

export const REPORT_COMMANDS: readonly CommandName[] = ['convert', 'gate', 'import'];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'convert',
    args: '<report...|->',
    summary: 'print the findings of one scan (ASFF by default; --format for SARIF, JUnit, Markdown, CSV, OCSF, HTML)',
    notes: ['Several SonarQube pages (issues and hotspots) given together form one scan.', 'Makes no AWS call: without --account or $AWS_ACCOUNT_ID the ProductArns use the placeholder 123456789012.'],
  },
  {
    name: 'gate',
    args: '<report...|-> --fail-on LEVEL',
    summary: 'exit 1 when an active finding is at or above LEVEL; the verdict on stdout (or --format)',
  },
  {
    name: 'import',
    args: '<report...|->',
    summary: 'convert and import into Security Hub: new and changed findings sent, vanished ones archived',
    notes: [
      'The account is --account, else $AWS_ACCOUNT_ID, else the one in $CODEBUILD_BUILD_ARN, else one STS GetCallerIdentity call.',
      'The Region is --region, else the SDK chain ($AWS_REGION, the profile). Credentials come from the SDK chain.',
      'Progress (findings sent, throttles, ETA) goes to stderr when it is a terminal; --quiet silences it.',
    ],
  },
  {
    name: 'zap-scan',
    args: '--target URL --zap URL --out FILE',
    summary: 'run one OWASP ZAP scan through its API and write the JSON report',
    notes: [
      'The API key comes from the SSM parameter (--api-key-parameter), else $ZAP_API_KEY, and travels only in a header.',
      '--timeout MIN bounds the scan: at its limit the scan is stopped on the daemon and the report of what was found is written, marked partial.',
    ],
  },
  {
    name: 'sonarqube-export',
    args: '--out FILE',
    summary: 'after SonarScanner: wait for the analysis, export every issue and hotspot of the project as one report',
    notes: [
      'Reads .scannerwork/report-task.txt (--report-task): task, project, server URL and version (for the search parameters of that version).',
      'The token comes from $SONAR_TOKEN only. --quality-gate-out writes the quality gate of this analysis.',
    ],
  },
];

const R = REPORT_COMMANDS;
/** The commands that gate. */
const G: readonly CommandName[] = ['gate', 'import'];

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'tool', type: 'string', commands: R, value: 'TOOL', help: 'the report\'s tool: auto (detected from the content, the default) or a tool id' },
  { name: 'format', type: 'string', commands: R, value: 'FORMAT', help: 'output format (convert: asff by default; gate: the verdict line; import: the result JSON)' },
  { name: 'output', type: 'string', commands: R, value: 'FILE', help: 'write the --format output to FILE instead of stdout' },
  { name: 'base', type: 'string', commands: R, value: 'FILE', help: 'ASFF findings of an earlier scan (from convert), for "new" and "fixed" in the report' },
  { name: 'repository-url-template', type: 'string', commands: R, value: 'URL', help: 'html: file:line links, e.g. https://github.com/org/repo/blob/{commit}/{path}#L{line}' },
  { name: 'repository', type: 'string', commands: R, value: 'R', help: 'repository of the scan (default: from $CODEBUILD_SOURCE_REPO_URL, else local-repository)' },
  { name: 'branch', type: 'string', commands: R, value: 'B', help: 'branch (default: from $CODEBUILD_SOURCE_VERSION, else main)' },
  { name: 'commit', type: 'string', commands: R, value: 'C', help: 'commit (default: $CODEBUILD_RESOLVED_SOURCE_VERSION)' },
  { name: 'build-id', type: 'string', commands: R, value: 'ID', help: 'build id (default: $CODEBUILD_BUILD_ID)' },
  { name: 'target', type: 'string', commands: [...R, 'zap-scan'], value: 'URL', help: 'the URL that was (or is to be) scanned (DAST)' },
  { name: 'category', type: 'string', commands: R, value: 'NAME', help: 'scan identity: tells apart several scans of one tool over one branch, e.g. backend (default none; ZAP: the target\'s origin)' },
  { name: 'account', type: 'string', commands: R, value: 'ID', help: '12-digit AWS account of the findings (overrides $AWS_ACCOUNT_ID, $CODEBUILD_BUILD_ARN and STS)' },
  { name: 'region', type: 'string', commands: R, value: 'REGION', help: 'AWS Region, e.g. eu-west-1 (default: the SDK chain; us-east-1 for convert and gate)' },
  { name: 'partition', type: 'string', commands: R, value: 'P', choices: ['aws', 'aws-us-gov', 'aws-cn'], help: 'aws, aws-us-gov or aws-cn (default: from the Region)' },
  { name: 'include-code-smells', type: 'boolean', commands: R, help: 'SonarQube: also report code smells' },
  { name: 'server-url', type: 'string', commands: [...R, 'sonarqube-export'], value: 'URL', help: 'SonarQube: link findings to this server (sonarqube-export: the server to read, default from report-task.txt)' },
  { name: 'source-root', type: 'string', repeatable: true, commands: R, value: 'DIR', help: 'strip DIR from absolute paths (repeatable)' },
  { name: 'fail-on', type: 'string', commands: ['gate', 'import'], value: 'LEVEL', choices: ['NONE', 'INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'], help: 'the gate threshold (NONE: no threshold; KEV, EPSS and SLA still apply); with import, gate on Security Hub\'s decisions too' },
  { name: 'gate', type: 'string', commands: G, value: 'MODE', choices: ['all', 'new'], help: 'new: block only findings not open on --base-branch (default all)' },
  { name: 'base-branch', type: 'string', commands: G, value: 'B', help: 'the branch new mode compares with (default main)' },
  { name: 'suppressions', type: 'string', repeatable: true, commands: G, value: 'FILE', help: 'suppressions file (repeatable; default .devsecops/suppressions.yaml when present)' },
  { name: 'vex', type: 'string', repeatable: true, commands: G, value: 'FILE', help: 'OpenVEX 0.2 document (repeatable): not_affected and fixed statements suppress' },
  { name: 'kev', type: 'string', commands: G, value: 'FILE|s3://…', help: "CISA's Known Exploited Vulnerabilities catalogue (JSON): KEV findings block at any severity" },
  { name: 'ignore-kev', type: 'boolean', commands: G, help: 'KEV findings do not block by themselves' },
  { name: 'epss', type: 'string', commands: G, value: 'FILE|s3://…', help: 'FIRST EPSS scores (CSV or .csv.gz)' },
  { name: 'fail-on-epss', type: 'string', commands: G, value: 'SCORE', help: 'block findings whose EPSS score is at or above SCORE (0–1); needs --epss' },
  { name: 'sla', type: 'string', commands: G, value: 'CRITICAL=7,HIGH=30', help: 'block findings open longer than their SLA (days, from FirstObservedAt)' },
  { name: 'on-decision-read-error', type: 'string', commands: G, value: 'fail|ignore', choices: ['fail', 'ignore'], help: "when Security Hub's decisions cannot be read (default fail: the gate fails closed)" },
  { name: 'json', type: 'boolean', commands: G, help: 'print the gate result as JSON ({…, "gate": {passed, blocking, findings}})' },
  { name: 'incomplete', type: 'string', repeatable: true, commands: G, value: 'REASON', help: 'the scan is not whole (scanner failed, report cut): the gate fails closed and import archives nothing (repeatable)' },
  { name: 'evidence', type: 'string', commands: R, value: 'DIR|s3://bucket/prefix', help: 'store whole evidence the findings cannot carry (a ZAP alert\'s long other info, its requests and responses) there as sha256/<hex>, linked from the findings (default: its digest and size only)' },
  { name: 'state', type: 'string', commands: ['import'], value: 'DIR|s3://bucket/prefix', help: "keep the scan identity's state in a ledger there instead of reading the whole scope back (default: read back)" },
  { name: 'endpoint', type: 'string', commands: ['import'], value: 'URL', help: 'Security Hub endpoint, e.g. tools/securityhub-local (default: $SECURITYHUB_ENDPOINT, else AWS)' },
  { name: 'zap', type: 'string', commands: ['zap-scan'], value: 'URL', help: 'the ZAP API' },
  { name: 'out', type: 'string', commands: ['zap-scan', 'sonarqube-export'], value: 'FILE', help: 'where the report is written' },
  { name: 'timeout', type: 'string', commands: ['zap-scan', 'sonarqube-export'], value: 'MIN', help: 'zap-scan: minutes for the whole scan; sonarqube-export: minutes to wait for the analysis (default 10)' },
  { name: 'report-task', type: 'string', commands: ['sonarqube-export'], value: 'FILE', help: "SonarScanner's report-task.txt (default .scannerwork/report-task.txt)" },
  { name: 'quality-gate-out', type: 'string', commands: ['sonarqube-export'], value: 'FILE', help: 'write the analysis\'s quality gate status (OK, ERROR, NONE) as JSON' },
  { name: 'baseline', type: 'boolean', commands: ['zap-scan'], help: 'spider and passive scan only' },
  { name: 'new-session', type: 'boolean', commands: ['zap-scan'], help: 'start a new ZAP session first' },
  { name: 'api-key-parameter', type: 'string', commands: ['zap-scan'], value: 'NAME', help: 'SSM parameter holding the ZAP API key' },
  { name: 'quiet', type: 'boolean', short: 'q', commands: [...R, 'zap-scan'], help: 'no progress and no summary on stderr (errors still print)' },
  { name: 'help', type: 'boolean', short: 'h', commands: COMMAND_NAMES, help: 'this help' },
];

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  /** undefined for `findings`, `findings --help`, `findings --version`. */
  command?: CommandName;
  values: OptionValues;
  positionals: string[];
  /** `findings --version` */
  version?: boolean;
}

/** A usage problem: one line on stderr, exit 2. */
export class UsageError extends Error {}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) d[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate when it is close enough to be a typo (or the candidate starts with what was typed). */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(lower, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  const limit = Math.max(1, Math.floor(best.name.length / 3));
  if (best.distance <= limit) return best.name;
  const prefixed = candidates.filter((c) => lower.length >= 3 && c.toLowerCase().startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function suggestion(input: string, candidates: readonly string[], prefix = ''): string {
  const hit = didYouMean(input, candidates);
  return hit ? ` (did you mean ${prefix}${hit}?)` : '';
}

function optionsOf(command: CommandName): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}

/** Parses argv against the tables; throws UsageError with one line for anything it refuses. */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const args = [...argv];
  const first = args[0];
  if (first === undefined) return { values: {}, positionals: [] };
  if (first === '--version' || first === '-V') {
    if (args.length > 1) throw new UsageError('--version takes nothing else');
    return { values: {}, positionals: [], version: true };
  }
  if (first === '--help' || first === '-h') return { values: { help: true }, positionals: [] };
  if (first === 'help') {
    const topic = args[1];
    if (topic === undefined) return { values: { help: true }, positionals: [] };
    if (!(COMMAND_NAMES as readonly string[]).includes(topic)) throw new UsageError(`unknown command "${topic}"${suggestion(topic, COMMAND_NAMES)}`);
    return { command: topic as CommandName, values: { help: true }, positionals: [] };
  }
  if (first.startsWith('-') && first !== '-') throw new UsageError(`${first.split('=')[0]} comes after the command: findings <command> [options] (commands: ${COMMAND_NAMES.join(', ')})`);
  if (!(COMMAND_NAMES as readonly string[]).includes(first)) throw new UsageError(`unknown command "${first}"${suggestion(first, COMMAND_NAMES)} (commands: ${COMMAND_NAMES.join(', ')})`);
  const command = first as CommandName;
  const allowed = optionsOf(command);
  const values: OptionValues = {};
  const positionals: string[] = [];
  for (let i = 1; i < args.length; i += 1) {
    const token = args[i]!;
    if (token === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (token === '-' || !token.startsWith('-')) {
      positionals.push(token);
      continue;
    }
    const long = token.startsWith('--');
    const eq = long ? token.indexOf('=') : -1;
    const rawName = long ? token.slice(2, eq === -1 ? undefined : eq) : token.slice(1);
    const spec = long ? allowed.find((o) => o.name === rawName) : allowed.find((o) => o.short === rawName);
    const shown = long ? `--${rawName}` : token;
    if (!spec) {
      const elsewhere = OPTIONS.find((o) => (long ? o.name === rawName : o.short === rawName));
      if (elsewhere) throw new UsageError(`${shown} does not apply to ${command} (only to ${elsewhere.commands.join(', ')})`);
      throw new UsageError(`unknown option ${shown}${long ? suggestion(rawName, allowed.map((o) => o.name), '--') : ''}`);
    }
    let value: string | boolean;
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${spec.name} takes no value`);
      value = true;
    } else if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${spec.name} needs a value${spec.value ? ` (${spec.value})` : ''}`);
      value = next;
      i += 1;
    }
    if (typeof value === 'string' && spec.choices) {
      const match = spec.choices.find((c) => c.toLowerCase() === value.toString().toLowerCase());
      if (!match) throw new UsageError(`--${spec.name} must be ${spec.choices.join(', ')}, got "${value}"${suggestion(value, spec.choices)}`);
      value = match;
    }
    if (spec.repeatable) values[spec.name] = [...((values[spec.name] as string[] | undefined) ?? []), value as string];
    else if (values[spec.name] !== undefined) throw new UsageError(`--${spec.name} is given twice`);
    else values[spec.name] = value;
  }
  return { command, values, positionals };
}

/** Checks a string value against a list computed elsewhere (tool ids, formats), with a suggestion. */
export function checkChoice(option: string, value: string, choices: readonly string[]): string {
  const match = choices.find((c) => c.toLowerCase() === value.toLowerCase());
  if (match) return match;
  throw new UsageError(`--${option} must be ${choices.join(', ')}, got "${value}"${suggestion(value, choices)}`);
}

function optionLine(o: OptionSpec): string {
  const name = `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` ${o.value}` : ''}`;
  return `  ${name.padEnd(30)} ${o.help}${o.choices ? ` (${o.choices.join('|')})` : ''}`;
}

export const EXIT_CODES = 'exit codes: 0 ok, 1 gate failed, 2 bad input, usage or output that cannot be written, 3 import incomplete (partial)';

/** `findings --help`: every command with one line each. */
export function generalHelp(): string {
  return [
    'usage: findings <command> [options]      findings help <command>      findings --version',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Reports are files, or - for stdin. Run findings <command> --help for its options.',
    EXIT_CODES,
    '',
  ].join('\n');
}

/** `findings <command> --help`: its usage, notes and options, from the tables. */
export function commandHelp(name: CommandName, extra: Readonly<Record<string, string>> = {}): string {
  const spec = COMMANDS.find((c) => c.name === name)!;
  return [
    `usage: findings ${name} ${spec.args} [options]`,
    '',
    spec.summary,
    ...(spec.notes ?? []).map((n) => `  ${n}`),
    '',
    'options:',
    ...optionsOf(name).map((o) => `${optionLine(o)}${extra[o.name] ? ` (${extra[o.name]})` : ''}`),
    '',
    EXIT_CODES,
    '',
  ].join('\n');
}
