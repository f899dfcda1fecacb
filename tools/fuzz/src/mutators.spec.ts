import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport, ReportError } from '@devsecops/report-input';
import {
  ALL_MUTATOR_NAMES,
  ARBITRARY_GENERATORS,
  BOMS,
  BYTE_MUTATORS,
  DEFAULT_PROFILE,
  JSON_MUTATORS,
  XML_MUTATORS,
  generateInput,
  serialiseJson,
  type JsonDraft,
  type MutationContext,
  type Seed,
} from './mutators';
import { createRng, runSeed } from './rng';
import { toSeed } from './seeds';

const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name));
const jsonSeed = toSeed('mini-sarif.json', fixture('mini-sarif.json'));
const xmlSeed = toSeed('mini-zap.xml', fixture('mini-zap.xml'));
const SEEDS: Seed[] = [jsonSeed, xmlSeed];
const MB = 1024 * 1024;
/** Several PRNG seeds per property, so a property holds for the mutator, not for one lucky draw. */
const TRIALS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

function ctx(seed: number): MutationContext {
  return { rng: createRng(seed), profile: DEFAULT_PROFILE, seeds: SEEDS };
}

function mutator<T extends { name: string }>(list: readonly T[], name: string): T {
  const found = list.find((m) => m.name === name);
  if (!found) throw new Error(`no mutator ${name}`);
  return found;
}

function mutateJson(name: string, seed: number): { text: string; description: string | undefined } {
  const draft: JsonDraft = { root: structuredClone(jsonSeed.json), splices: new Map() };
  const description = mutator(JSON_MUTATORS, name).apply(draft, ctx(seed));
  return { text: serialiseJson(draft, undefined), description };
}

function mutateXml(name: string, seed: number): { text: string; description: string } {
  const result = mutator(XML_MUTATORS, name).apply(xmlSeed.xml!, ctx(seed));
  if (!result) throw new Error(`${name} did not apply`);
  return result;
}

function mutateBytes(name: string, seed: number, bytes: Buffer = jsonSeed.bytes): { bytes: Buffer; description: string } {
  const result = mutator(BYTE_MUTATORS, name).apply(bytes, ctx(seed));
  if (!result) throw new Error(`${name} did not apply`);
  return result;
}

/** Deepest bracket nesting of a JSON text, strings skipped. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth -= 1;
  }
  return max;
}

type Kinded = { path: string; kind: string };
function kinds(value: unknown, path = '$', out: Kinded[] = []): Kinded[] {
  out.push({ path, kind: value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value });
  if (Array.isArray(value)) value.forEach((v, i) => kinds(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) kinds(v, `${path}.${k}`, out);
  return out;
}

function longestString(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return Math.max(0, ...value.map(longestString));
  if (value && typeof value === 'object') return Math.max(0, ...Object.entries(value).map(([k, v]) => Math.max(k.length, longestString(v))));
  return 0;
}

function countNodes(value: unknown): number {
  return kinds(value).length;
}

describe('rng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    // Arrange
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => rng.int(1000));
    };
    // Act
    const first = draw(42);
    const again = draw(42);
    const other = draw(43);
    // Assert
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('keeps between() inside its bounds and gives each run its own seed', () => {
    // Arrange
    const rng = createRng(7);
    // Act
    const values = Array.from({ length: 2000 }, () => rng.between(3, 5));
    // Assert
    expect(new Set(values)).toEqual(new Set([3, 4, 5]));
    expect(runSeed(1, 2)).toBe(runSeed(1, 2));
    expect(runSeed(1, 2)).not.toBe(runSeed(1, 3));
    expect(runSeed(1, 2)).not.toBe(runSeed(2, 2));
  });
});

describe('generateInput', () => {
  it('reproduces an input exactly from (campaign seed, run number)', () => {
    // Arrange
    const runs = Array.from({ length: 40 }, (_, i) => i + 2);
    // Act
    const first = runs.map((run) => generateInput(SEEDS, 99, run));
    const again = runs.map((run) => generateInput(SEEDS, 99, run));
    const otherSeed = runs.map((run) => generateInput(SEEDS, 100, run));
    // Assert
    expect(again.map((i) => [i.description, i.bytes.toString('base64')])).toEqual(first.map((i) => [i.description, i.bytes.toString('base64')]));
    expect(otherSeed.map((i) => i.description)).not.toEqual(first.map((i) => i.description));
  });

  it('starts with the unmutated seeds as a baseline', () => {
    // Act
    const inputs = [0, 1].map((run) => generateInput(SEEDS, 5, run));
    // Assert
    expect(inputs.map((i) => i.bytes)).toEqual([jsonSeed.bytes, xmlSeed.bytes]);
    expect(inputs.map((i) => i.mutators)).toEqual([['original'], ['original']]);
  });

  it.each(ALL_MUTATOR_NAMES)('applies only %s when asked to', (name) => {
    // Act
    const inputs = [10, 11, 12, 13].map((run) => generateInput(SEEDS, 3, run, { mutators: [name], profile: { ...DEFAULT_PROFILE, hugeChars: [MB, MB] } }));
    // Assert
    for (const input of inputs) {
      expect(input.mutators.length).toBeGreaterThan(0);
      expect(input.mutators.every((m) => m === name)).toBe(true);
      expect(input.description).toContain(name);
    }
  });

  it('mixes arbitrary inputs and both seed formats over a campaign', () => {
    // Act
    const inputs = Array.from({ length: 300 }, (_, i) => generateInput(SEEDS, 11, i + 2, { profile: { ...DEFAULT_PROFILE, hugeChars: [1024, 2048] } }));
    // Assert
    const arbitrary = inputs.filter((i) => !i.seed).length;
    expect(arbitrary).toBeGreaterThan(20);
    expect(arbitrary).toBeLessThan(90);
    expect(inputs.filter((i) => i.seed?.format === 'xml').length).toBeGreaterThan(30);
    expect(inputs.filter((i) => i.seed?.format === 'json').length).toBeGreaterThan(100);
  });
});

describe('JSON mutators', () => {
  it('wrong-type: one node takes a value of another type', () => {
    for (const seed of TRIALS) {
      // Act
      const { text, description } = mutateJson('wrong-type', seed);
      // Assert
      const before = new Map(kinds(jsonSeed.json).map((k) => [k.path, k.kind]));
      const changed = kinds(JSON.parse(text)).filter((k) => before.has(k.path) && before.get(k.path) !== k.kind);
      expect(changed.map((k) => k.path)).toContain(description!.split(':')[0]);
      expect(description).toMatch(/^\$\S*: \w+ → /);
    }
  });

  it('raw-number: writes number literals JSON.stringify never writes (1e999 reads as Infinity)', () => {
    const raws = new Set<string>();
    for (const seed of TRIALS) {
      // Act
      const { text, description } = mutateJson('raw-number', seed);
      // Assert
      const raw = description!.split(' → ')[1]!;
      raws.add(raw);
      expect(text).toMatch(new RegExp(`[:\\[,]${raw.replace(/[.+-]/g, '\\$&')}[,\\]}]`));
      expect(() => JSON.parse(text)).not.toThrow();
    }
    expect(raws.size).toBeGreaterThan(3);
  });

  it('delete-key: removes a member or an item', () => {
    for (const seed of TRIALS) {
      // Act
      const { text, description } = mutateJson('delete-key', seed);
      // Assert
      expect(countNodes(JSON.parse(text))).toBeLessThan(countNodes(jsonSeed.json));
      expect(description).toMatch(/^deleted \$/);
    }
  });

  it('duplicate-items: repeats an array item as many times as it says', () => {
    for (const seed of TRIALS) {
      // Act
      const { text, description } = mutateJson('duplicate-items', seed);
      // Assert
      const copies = Number(/× (\d+)$/.exec(description!)![1]);
      expect(copies).toBeGreaterThanOrEqual(2);
      expect(text.length).toBeGreaterThan(JSON.stringify(jsonSeed.json).length);
    }
  });

  it('huge-string: puts a 1–5 MB string in the document', () => {
    for (const seed of TRIALS.slice(0, 4)) {
      // Act
      const { text } = mutateJson('huge-string', seed);
      // Assert
      const longest = longestString(JSON.parse(text));
      expect(longest).toBeGreaterThanOrEqual(MB);
      expect(longest).toBeLessThanOrEqual(5 * MB + 64);
    }
  });

  it('huge-key: gives an object a 1–5 MB key', () => {
    // Act
    const { text } = mutateJson('huge-key', 1);
    // Assert
    const parsed = JSON.parse(text) as unknown;
    const keys = kinds(parsed).map((k) => k.path.length);
    expect(Math.max(...keys)).toBeGreaterThanOrEqual(MB);
  });

  it('deep-nesting and wrap-deep: nest as deep as they say', () => {
    for (const name of ['deep-nesting', 'wrap-deep']) {
      for (const seed of TRIALS) {
        // Act
        const { text, description } = mutateJson(name, seed);
        // Assert
        const depth = Number(/ (\d+) (?:levels|arrays|objects)/.exec(description!)![1]);
        expect(DEFAULT_PROFILE.depths).toContain(depth);
        expect(jsonDepth(text)).toBeGreaterThanOrEqual(depth);
      }
    }
  });

  it('wrap-deep: keeps the wrapped node inside the nesting', () => {
    // Act
    const { text, description } = mutateJson('wrap-deep', 2);
    // Assert
    expect(description).toMatch(/wrapped in/);
    expect(text).toContain('"ruleId":"sqli"');
  });

  it('swap-array-object: turns an array into an object or an object into an array', () => {
    for (const seed of TRIALS) {
      // Act
      const { text, description } = mutateJson('swap-array-object', seed);
      // Assert
      const path = description!.split(':')[0]!;
      const before = kinds(jsonSeed.json).find((k) => k.path === path)!;
      const after = kinds(JSON.parse(text)).find((k) => k.path === path)!;
      expect(before.kind).not.toBe(after.kind);
      expect([before.kind, after.kind]).toContain('array');
    }
  });

  it('arbitrary-value and arbitrary-members: change values, keep valid JSON', () => {
    for (const name of ['arbitrary-value', 'arbitrary-members']) {
      for (const seed of TRIALS) {
        // Act
        const { text } = mutateJson(name, seed);
        // Assert
        expect(() => JSON.parse(text)).not.toThrow();
      }
    }
    // arbitrary-members on the root keeps every top-level key
    const rootRun = TRIALS.map((seed) => mutateJson('arbitrary-members', seed)).find((r) => r.description!.startsWith('$:'))!;
    expect(Object.keys(JSON.parse(rootRun.text) as object).sort()).toEqual(Object.keys(jsonSeed.json as object).sort());
  });

  it('special-string: writes tricky strings such as lone surrogates and __proto__', () => {
    for (const seed of TRIALS) {
      // Act
      const { text, description } = mutateJson('special-string', seed);
      // Assert
      expect(text).not.toBe(JSON.stringify(jsonSeed.json));
      expect(description).toMatch(/→/);
    }
  });

  it('prototype-key: leaves an own member named like a prototype property', () => {
    const dangerous = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'length'];
    for (const seed of TRIALS) {
      // Act
      const { text } = mutateJson('prototype-key', seed);
      // Assert
      const ownKeys = kinds(JSON.parse(text)).map((k) => k.path.split('.').pop()!);
      expect(ownKeys.some((key) => dangerous.includes(key))).toBe(true);
    }
  });
});

describe('XML mutators', () => {
  const refused = (text: string) => () => readReport(text, 'mutated.xml');

  it('xml-entity-bomb: declares nested or large internal entities, references them, and is refused', () => {
    for (const seed of TRIALS) {
      // Act
      const { text } = mutateXml('xml-entity-bomb', seed);
      // Assert
      expect(text).toMatch(/<!DOCTYPE OWASPZAPReport \[/);
      expect(text).toMatch(/<!ENTITY (lol0|big) "(FUZZLOL)+">/);
      expect(text).toMatch(/&(lol\d|big);/);
      expect(refused(text)).toThrow(ReportError);
    }
  });

  it('xml-external-entity: declares a SYSTEM/PUBLIC entity pointing outside and references it', () => {
    for (const seed of TRIALS) {
      // Act
      const { text } = mutateXml('xml-external-entity', seed);
      // Assert
      expect(text).toMatch(/<!ENTITY xxe (SYSTEM|PUBLIC "[^"]+") "[^"]+">/);
      expect(text).toContain('&xxe;');
      expect(refused(text)).toThrow(ReportError);
    }
  });

  it('xml-parameter-entity: declares a parameter entity', () => {
    for (const seed of TRIALS) {
      // Act
      const { text } = mutateXml('xml-parameter-entity', seed);
      // Assert
      expect(text).toMatch(/<!ENTITY % \w+ /);
      expect(refused(text)).toThrow(ReportError);
    }
  });

  it('xml-external-reference: points outside without declaring an entity', () => {
    for (const seed of TRIALS) {
      // Act
      const { text, description } = mutateXml('xml-external-reference', seed);
      // Assert
      expect(text).not.toContain('<!ENTITY');
      expect(text).toMatch(/SYSTEM "|xml-stylesheet|XInclude|schemaLocation/);
      expect(description).toMatch(/"[^"]+"/);
    }
  });

  it('xml-cdata: adds a CDATA section', () => {
    for (const seed of TRIALS) {
      expect(mutateXml('xml-cdata', seed).text).toContain('<![CDATA[');
    }
  });

  it('xml-deep-nesting: nests as many elements as it says', () => {
    for (const seed of TRIALS) {
      // Act
      const { text, description } = mutateXml('xml-deep-nesting', seed);
      // Assert
      const depth = Number(/(\d+) (?:nested )?elements/.exec(description)![1]);
      expect(text.split('<n>').length - 1).toBe(depth);
    }
  });

  it('xml-unclosed: leaves the document malformed', () => {
    for (const seed of TRIALS) {
      expect(refused(mutateXml('xml-unclosed', seed).text)).toThrow(ReportError);
    }
  });

  it('xml-duplicate-element and xml-delete-element: add or remove copies of an element', () => {
    for (const seed of TRIALS) {
      // Act
      const duplicated = mutateXml('xml-duplicate-element', seed);
      const deleted = mutateXml('xml-delete-element', seed);
      // Assert
      const name = /^<([\w:.-]+)>/.exec(duplicated.description)![1]!;
      const count = (text: string, tag: string) => text.split(`<${tag}`).length - 1;
      const copies = Number(/× (\d+)$/.exec(duplicated.description)![1]);
      expect(count(duplicated.text, name)).toBeGreaterThanOrEqual(count(xmlSeed.xml!, name) + copies - 1);
      const deletedName = /^<([\w:.-]+)>/.exec(deleted.description)![1]!;
      expect(count(deleted.text, deletedName)).toBeLessThan(count(xmlSeed.xml!, deletedName));
    }
  });

  it('xml-wrong-content, xml-special-text, xml-attribute, xml-comment-pi: change the document where they say', () => {
    for (const name of ['xml-wrong-content', 'xml-special-text', 'xml-attribute', 'xml-comment-pi']) {
      for (const seed of TRIALS.slice(0, 5)) {
        const { text, description } = mutateXml(name, seed);
        expect(text).not.toBe(xmlSeed.xml);
        expect(description.length).toBeGreaterThan(5);
      }
    }
    expect(mutateXml('xml-comment-pi', 1).text).toMatch(/<!--|<\?/);
  });

  it('xml-huge-text: puts 1–5 MB of text in a text node', () => {
    // Act
    const { text } = mutateXml('xml-huge-text', 3);
    // Assert
    expect(text.length - xmlSeed.xml!.length).toBeGreaterThanOrEqual(MB - 200);
  });
});

describe('byte mutators', () => {
  const original = jsonSeed.bytes;

  it('truncate: keeps a strict prefix', () => {
    for (const seed of TRIALS) {
      const { bytes } = mutateBytes('truncate', seed);
      expect(bytes.length).toBeLessThan(original.length);
      expect(original.subarray(0, bytes.length).equals(bytes)).toBe(true);
    }
  });

  it('flip-bytes: same length, at most 16 bytes differ', () => {
    for (const seed of TRIALS) {
      const { bytes } = mutateBytes('flip-bytes', seed);
      const differing = [...bytes].filter((b, i) => b !== original[i]).length;
      expect(bytes.length).toBe(original.length);
      expect(differing).toBeGreaterThanOrEqual(1);
      expect(differing).toBeLessThanOrEqual(16);
    }
  });

  it('insert-bytes and delete-bytes: change the length by what they say', () => {
    for (const seed of TRIALS) {
      const inserted = mutateBytes('insert-bytes', seed);
      const deleted = mutateBytes('delete-bytes', seed);
      expect(inserted.bytes.length - original.length).toBe(Number(/^(\d+) bytes inserted/.exec(inserted.description)![1]));
      expect(original.length - deleted.bytes.length).toBe(Number(/^(\d+) bytes deleted/.exec(deleted.description)![1]));
    }
  });

  it('invalid-utf8: leaves bytes no UTF-8 decoder accepts', () => {
    for (const seed of TRIALS) {
      const { bytes } = mutateBytes('invalid-utf8', seed);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    }
  });

  it('bom: prepends a byte order mark', () => {
    for (const seed of TRIALS) {
      const { bytes, description } = mutateBytes('bom', seed);
      const bom = BOMS.find((b) => description.startsWith(b.label))!;
      expect(bytes.subarray(0, bom.bytes.length)).toEqual(Buffer.from(bom.bytes));
      expect(bytes.subarray(bom.bytes.length).equals(original)).toBe(true);
    }
  });

  it('utf16: re-encodes the same text', () => {
    for (const seed of TRIALS) {
      const { bytes, description } = mutateBytes('utf16', seed);
      const body = description.includes('odd length') ? bytes.subarray(0, bytes.length - 1) : bytes;
      const little = Buffer.from(body);
      if (description.includes('UTF-16BE')) little.swap16();
      const text = little.toString('utf16le').replace(/^\ufeff/, '');
      expect(text).toBe(original.toString('utf8'));
      expect(readReport(body, 'utf16.json').value).toEqual(jsonSeed.json);
    }
  });

  it('noise: keeps the report and adds text before or after it', () => {
    for (const seed of TRIALS) {
      const { bytes } = mutateBytes('noise', seed);
      expect(bytes.length).toBeGreaterThan(original.length);
      expect(bytes.includes(original)).toBe(true);
    }
  });

  it('xml-declaration: starts with an XML declaration naming an encoding', () => {
    for (const seed of TRIALS) {
      expect(mutateBytes('xml-declaration', seed, xmlSeed.bytes).bytes.toString('latin1')).toMatch(/^<\?xml version="1.0" encoding="[\w-]+"\?>\n<OWASPZAPReport/);
    }
  });

  it('splice-seed: inserts bytes of another seed', () => {
    for (const seed of TRIALS) {
      const { bytes } = mutateBytes('splice-seed', seed);
      expect(bytes.length).toBeGreaterThan(original.length);
    }
  });
});

describe('arbitrary generators', () => {
  it('fc-json writes valid JSON; xml-ish writes markup; report-skeleton keeps a seed\'s top-level keys', () => {
    for (const seed of TRIALS) {
      // Act
      const json = mutator(ARBITRARY_GENERATORS, 'fc-json').generate(ctx(seed));
      const xmlish = mutator(ARBITRARY_GENERATORS, 'xml-ish').generate(ctx(seed));
      const skeleton = mutator(ARBITRARY_GENERATORS, 'report-skeleton').generate(ctx(seed));
      // Assert
      expect(() => JSON.parse(json.bytes.toString())).not.toThrow();
      expect(xmlish.bytes.toString()).toMatch(/</);
      expect(Object.keys(JSON.parse(skeleton.bytes.toString()) as object).sort()).toEqual(Object.keys(jsonSeed.json as object).sort());
    }
  });

  it('every generator is deterministic for a seed', () => {
    for (const generator of ARBITRARY_GENERATORS) {
      const first = generator.generate(ctx(5));
      const again = generator.generate(ctx(5));
      expect(again.bytes.equals(first.bytes)).toBe(true);
      expect(again.description).toBe(first.description);
    }
  });
});
