import fc from 'fast-check';

type Json = unknown;

/** Every path (list of keys/indexes) inside a JSON value, the root included. */
function pathsOf(value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function mutateAt(value: Json, path: ReadonlyArray<string | number>, replacement: Json, remove: boolean): Json {
  if (path.length === 0) return replacement;
  const copy: Json = structuredClone(value);
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = replacement;
  }
  return copy;
}

/** A fixture with one to three subtrees replaced by arbitrary JSON or removed. */
export function mutatedJson(base: Json): fc.Arbitrary<Json> {
  const mutation = fc.record({ pick: fc.nat(), replacement: fc.jsonValue({ maxDepth: 3 }), remove: fc.boolean() });
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) =>
    mutations.reduce((value, m) => {
      const paths = pathsOf(value);
      return mutateAt(value, paths[m.pick % paths.length]!, m.replacement, m.remove);
    }, base),
  );
}
