import { hasOwn, isArray, isObject, objectAt, textAt } from './json';

const PLACEHOLDER = /\{\{|\}\}|\{(\d+)\}/g;

/** SARIF message templates: `{0}` … replaced by arguments, `{{`/`}}` are literal braces. A missing argument stays as written. */
export function formatMessage(template: string, args: readonly unknown[]): string {
  return template.replace(PLACEHOLDER, (whole, index: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const arg = args[Number(index)];
    return typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean' ? `${arg}` : whole;
  });
}

// The label excludes '[' so a scan never runs past the next bracket: linear even on text full of brackets.
const EMBEDDED_LINK = /(?<!\\)\[((?:[^[\]\\]|\\.)*)\]\(([^()\s]+)\)/g;

/**
 * Plain text from SARIF plain-text messages: `[text](1)` links to related locations become `text`,
 * `[text](https://…)` becomes `text (https://…)`, and `\[` `\]` escapes are undone.
 */
export function plainMessage(text: string): string {
  const linked = text.includes('](')
    ? text.replace(EMBEDDED_LINK, (_whole, label: string, target: string) => {
        if (/^\d+$/.test(target) || label === target) return /^\d+$/.test(target) ? label : target;
        return `${label} (${target})`;
      })
    : text;
  return linked.includes('\\') ? linked.replace(/\\([[\]\\])/g, '$1') : linked;
}

function messageStringOf(holder: unknown, id: string): string | undefined {
  const strings = objectAt(holder, 'messageStrings') ?? objectAt(holder, 'globalMessageStrings');
  const entry = strings && hasOwn(strings, id) ? strings[id] : undefined;
  return textAt(entry, 'text') ?? textAt(entry, 'markdown');
}

/**
 * A result's message: `text`, else `markdown`, else the `id` looked up in the rule's messageStrings (then the
 * component's globalMessageStrings), with `arguments` filled in. Undefined when the result has none.
 */
export function resultMessage(message: unknown, rule: unknown, component: unknown): string | undefined {
  if (!isObject(message)) return undefined;
  const id = textAt(message, 'id');
  const template = textAt(message, 'text') ?? textAt(message, 'markdown') ?? (id ? (messageStringOf(rule, id) ?? messageStringOf(component, id)) : undefined);
  if (template === undefined) return undefined;
  const args = message['arguments'];
  const filled = isArray(args) && args.length > 0 ? formatMessage(template, args) : template;
  return plainMessage(filled);
}
