import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { createSonarQubeClient, isSonarQubeError, parseReportTask } from '@devsecops/sonarqube-client';
import type { CliIo } from './cli';

export interface SonarQubeExportValues {
  'report-task'?: string;
  'server-url'?: string;
  out?: string;
  /** Minutes to wait for the analysis to be processed (default 10). */
  timeout?: string;
  'quality-gate-out'?: string;
}

export interface SonarQubeExportDeps {
  readFile: (path: string) => Promise<string>;
  writeFile: (path: string, text: string) => Promise<void>;
  appendFile: (path: string, text: string) => Promise<void>;
  createSonarQubeClient: typeof createSonarQubeClient;
}

const defaultDeps: SonarQubeExportDeps = {
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, text) => writeFile(path, text),
  appendFile: (path, text) => appendFile(path, text),
  createSonarQubeClient,
};

/**
 * `findings sonarqube-export --report-task .scannerwork/report-task.txt --out report.json [--server-url URL]
 * [--timeout MIN] [--quality-gate-out FILE]`: after a SonarScanner run, waits for the analysis task, exports every
 * issue and hotspot of the project (past the 10,000-result cap, with the parameters of the server's version) into
 * one report the SonarQube parser reads, and optionally writes the analysis's quality gate. The token comes from
 * $SONAR_TOKEN only. Exit 0 with the report written, 2 for usage, 1 when SonarQube fails.
 */
export async function runSonarQubeExportCommand(values: SonarQubeExportValues, io: CliIo, deps: SonarQubeExportDeps = defaultDeps): Promise<number> {
  if (!values.out) {
    io.stderr('findings: sonarqube-export needs --out\n');
    return 2;
  }
  const token = io.env.SONAR_TOKEN;
  if (!token || token.trim() === '') {
    io.stderr('findings: sonarqube-export reads the token from $SONAR_TOKEN, which is not set\n');
    return 2;
  }
  const minutes = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
    io.stderr(`findings: --timeout must be whole minutes between 1 and 1440, got "${values.timeout}"\n`);
    return 2;
  }
  const taskFile = values['report-task'] ?? '.scannerwork/report-task.txt';
  let taskText: string;
  try {
    taskText = await deps.readFile(taskFile);
  } catch (error) {
    io.stderr(`findings: ${taskFile}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): did the scanner run?\n`);
    return 2;
  }
  try {
    const task = parseReportTask(taskText);
    const serverUrl = values['server-url'] ?? task.serverUrl;
    if (!serverUrl) {
      io.stderr(`findings: ${taskFile} names no serverUrl; pass --server-url\n`);
      return 2;
    }
    if (!task.projectKey) {
      io.stderr(`findings: ${taskFile} names no projectKey\n`);
      return 2;
    }
    const log = (message: string, ...attributes: Array<Record<string, unknown>>) =>
      io.stderr(`sonarqube: ${message}${attributes.length > 0 ? ` ${JSON.stringify(Object.assign({}, ...attributes))}` : ''}\n`);
    const sonar = deps.createSonarQubeClient({ serverUrl, token, serverVersion: task.serverVersion, logger: { debug: () => undefined, info: log, warn: log } });
    io.stderr(`sonarqube: waiting for analysis task ${task.ceTaskId} (server ${task.serverVersion ?? 'version unknown'})\n`);
    const processed = await sonar.waitForAnalysis(task.ceTaskId, { timeoutMs: minutes * 60_000 });
    const exported = await sonar.fetchFindings({ projectKey: task.projectKey, branch: task.branch, pullRequest: task.pullRequest });
    await deps.writeFile(values.out, JSON.stringify(exported));
    io.stderr(`sonarqube: ${exported.issues.issues.length} issue(s) and ${exported.hotspots.hotspots.length} hotspot(s) of ${task.projectKey} written to ${values.out}\n`);
    for (const warning of exported.warnings) io.stderr(`warning: ${warning}\n`);
    if (io.env.SCAN_WARNINGS_FILE && exported.warnings.length > 0) {
      await deps.appendFile(io.env.SCAN_WARNINGS_FILE, exported.warnings.map((w) => `SonarQube export: ${w}\n`).join(''));
    }
    if (values['quality-gate-out']) {
      const gate = processed.analysisId ? await sonar.fetchQualityGate(processed.analysisId) : { status: 'NONE', conditions: [] };
      await deps.writeFile(values['quality-gate-out'], JSON.stringify({ analysisId: processed.analysisId, ...gate }));
      io.stderr(`sonarqube: quality gate ${gate.status}\n`);
    }
    return 0;
  } catch (error) {
    if (isSonarQubeError(error)) {
      io.stderr(`findings: SonarQube: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
