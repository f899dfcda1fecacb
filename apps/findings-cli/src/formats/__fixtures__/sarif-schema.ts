import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { workspaceRoot } from '@devsecops/test-support';

/**
 * The OASIS SARIF 2.1.0 schema as @microsoft/jest-sarif ships it (draft-04). Ajv 8 reads draft-04 once the
 * top-level `id` is renamed `$id`; nothing else in this schema differs between the drafts.
 */
export function sarifValidator(): (doc: unknown) => string[] {
  const schema = JSON.parse(readFileSync(join(workspaceRoot, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }) // the schema's language pattern is not valid with the u flag;
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}
