import { arrayAt, indexAt, isObject, multiformatText, objectAt, textAt, type JsonObject } from './json';
import { plainTags, ruleCwes } from './taxonomy';

export interface FoundRule {
  /** The reportingDescriptor, when the result's reference resolves. */
  rule?: JsonObject;
  /** The tool component (driver or extension) the rule belongs to. */
  component?: JsonObject;
  /** result.ruleId, else rule.id of the reference, else the rule's own id. */
  ruleId?: string;
}

/** What a draft needs from a rule, computed once per rule object (a run may have thousands of results per rule). */
export interface RuleFacts {
  name?: string;
  shortDescription?: string;
  fullDescription?: string;
  helpText?: string;
  helpUri?: string;
  defaultLevel?: unknown;
  securitySeverity?: unknown;
  /** CWE ids from the rule alone (result taxa are added per result). */
  cwes: string[];
  tags: string[];
  precision?: string;
  /** properties.category (ESLint formatters write e.g. "Possible Security Vulnerability" there). */
  category?: string;
}

const HTTP_URL = /^https?:\/\/\S+$/;

function factsOf(rule: JsonObject): RuleFacts {
  const properties = objectAt(rule, 'properties');
  const helpUri = textAt(rule, 'helpUri')?.trim();
  const precision = properties?.['precision'];
  return {
    name: textAt(rule, 'name'),
    shortDescription: multiformatText(objectAt(rule, 'shortDescription')),
    fullDescription: multiformatText(objectAt(rule, 'fullDescription')),
    helpText: multiformatText(objectAt(rule, 'help')),
    helpUri: helpUri && HTTP_URL.test(helpUri) ? helpUri : undefined,
    defaultLevel: objectAt(rule, 'defaultConfiguration')?.['level'],
    securitySeverity: properties?.['security-severity'],
    cwes: ruleCwes(rule),
    tags: plainTags(rule),
    precision: typeof precision === 'string' ? precision : undefined,
    category: typeof properties?.['category'] === 'string' ? properties['category'] : undefined,
  };
}

const NO_FACTS: RuleFacts = { cwes: [], tags: [] };

/** Rule lookup for one run: by ruleIndex / rule.index, else by id; in the driver or the extension rule.toolComponent names. */
export class RunRules {
  private readonly driver: JsonObject | undefined;
  private readonly extensions: JsonObject[];
  private readonly byId = new Map<JsonObject, Map<string, JsonObject>>();
  private readonly facts = new WeakMap<JsonObject, RuleFacts>();

  constructor(run: JsonObject) {
    const tool = objectAt(run, 'tool');
    this.driver = objectAt(tool, 'driver');
    this.extensions = arrayAt(tool, 'extensions').filter(isObject);
  }

  /** A toolComponentReference: by index into extensions, else guid, else name (the driver matches by guid/name too). */
  private componentOf(reference: JsonObject | undefined): JsonObject | undefined {
    if (!reference) return undefined;
    const index = indexAt(reference, 'index');
    if (index !== undefined) return this.extensions[index];
    const guid = textAt(reference, 'guid');
    const name = textAt(reference, 'name');
    const candidates = this.driver ? [this.driver, ...this.extensions] : this.extensions;
    return candidates.find((c) => (guid !== undefined && textAt(c, 'guid') === guid) || (guid === undefined && name !== undefined && textAt(c, 'name') === name));
  }

  private rulesById(component: JsonObject): Map<string, JsonObject> {
    let map = this.byId.get(component);
    if (!map) {
      map = new Map();
      for (const rule of arrayAt(component, 'rules')) {
        const id = textAt(rule, 'id');
        if (id !== undefined && isObject(rule) && !map.has(id)) map.set(id, rule);
      }
      this.byId.set(component, map);
    }
    return map;
  }

  private findById(component: JsonObject, id: string): JsonObject | undefined {
    const rules = this.rulesById(component);
    // A hierarchical id such as `CA2101/1` names sub-rule 1 of rule CA2101.
    return rules.get(id) ?? (id.includes('/') ? rules.get(id.slice(0, id.lastIndexOf('/'))) : undefined);
  }

  find(result: JsonObject): FoundRule {
    const reference = objectAt(result, 'rule');
    const named = this.componentOf(objectAt(reference, 'toolComponent'));
    const index = indexAt(result, 'ruleIndex') ?? indexAt(reference, 'index');
    const id = textAt(result, 'ruleId') ?? textAt(reference, 'id');
    const component = named ?? this.driver;
    const indexed = index !== undefined && component ? arrayAt(component, 'rules')[index] : undefined;
    if (isObject(indexed)) return { rule: indexed, component, ruleId: id ?? textAt(indexed, 'id') };
    if (id === undefined) return { component, ruleId: undefined };
    const searchIn = named ? [named] : [this.driver, ...this.extensions].filter(isObject);
    for (const candidate of searchIn) {
      const rule = this.findById(candidate, id);
      if (rule) return { rule, component: candidate, ruleId: id };
    }
    return { component, ruleId: id };
  }

  factsOf(rule: JsonObject | undefined): RuleFacts {
    if (!rule) return NO_FACTS;
    let facts = this.facts.get(rule);
    if (!facts) {
      facts = factsOf(rule);
      this.facts.set(rule, facts);
    }
    return facts;
  }
}
