import { BatchImportFindingsCommand, BatchUpdateFindingsCommand, GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientFor, findings, later } from './__fixtures__/findings';
import { startSecurityHubLocal } from './index';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'securityhub-local-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('persistPath', () => {
  it('keeps the store, including customer edits, across a restart', async () => {
    // arrange
    const persistPath = join(dir, 'store.json');
    const batch = findings(120);
    const first = await startSecurityHubLocal({ throttling: false, persistPath });
    const client1 = clientFor(first.endpoint);
    await client1.send(new BatchImportFindingsCommand({ Findings: batch.slice(0, 100) }));
    await client1.send(new BatchImportFindingsCommand({ Findings: batch.slice(100) }));
    const target = batch[5]!;
    await client1.send(
      new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: target.Id!, ProductArn: target.ProductArn! }], Severity: { Label: 'CRITICAL' }, Workflow: { Status: 'NOTIFIED' } }),
    );
    const before = first.findings();
    client1.destroy();
    await first.close();

    // act
    const second = await startSecurityHubLocal({ throttling: false, persistPath });
    const client2 = clientFor(second.endpoint);
    const after = second.findings();
    await client2.send(new BatchImportFindingsCommand({ Findings: [later(target, '2026-11-30T00:00:00.000Z', { FindingProviderFields: { Severity: { Label: 'LOW' } } })] }));
    const { Findings } = await client2.send(new GetFindingsCommand({ Filters: { Id: [{ Value: target.Id!, Comparison: 'EQUALS' }] } }));
    client2.destroy();
    await second.close();

    // assert
    expect(after).toEqual(before);
    expect(Findings![0]!.Severity?.Label).toBe('CRITICAL'); // the customer's edit still wins after the restart
    expect(Findings![0]!.Workflow?.Status).toBe('NOTIFIED');
  });

  it('saves shortly after a change, without waiting for close()', async () => {
    // arrange
    const persistPath = join(dir, 'store.json');
    const local = await startSecurityHubLocal({ throttling: false, persistPath, persistDelayMs: 10 });
    const client = clientFor(local.endpoint);

    // act
    await client.send(new BatchImportFindingsCommand({ Findings: findings(3) }));
    // the save is debounced by persistDelayMs: wait for it (a busy machine may take long), without close()
    const readSaved = () => (existsSync(persistPath) ? (JSON.parse(readFileSync(persistPath, 'utf8')) as { findings: unknown[] }) : undefined);
    let saved = readSaved();
    for (let waited = 0; saved?.findings.length !== 3 && waited < 30_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      saved = readSaved();
    }
    client.destroy();
    await local.close();

    // assert
    expect(saved?.findings).toHaveLength(3);
  });

  it('refuses to start on a damaged store file instead of silently starting empty', async () => {
    // arrange
    const persistPath = join(dir, 'store.json');
    writeFileSync(persistPath, '{"format":"securityhub-local/1","findings":[{"finding":');

    // act / assert
    await expect(startSecurityHubLocal({ persistPath })).rejects.toThrow(/cannot read the store/);
  });

  it('starts empty when the file does not exist yet', async () => {
    // act
    const local = await startSecurityHubLocal({ persistPath: join(dir, 'new.json') });
    const count = local.stats().findings;
    await local.close();

    // assert
    expect(count).toBe(0);
    expect(existsSync(join(dir, 'new.json'))).toBe(true);
  });
});
