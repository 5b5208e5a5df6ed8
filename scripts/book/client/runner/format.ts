// console.log's line in the page as Node's console prints it in the tslab kernel, for what the
// chapters print: strings as they are, numbers as Node writes them (-0 too), arrays and plain
// objects in Node's `[ 1, 2 ]` and `{ a: 1 }` form, errors as their one line.

const MAX_DEPTH = 2;

function inspect(value: unknown, depth: number, seen: Set<unknown>): string {
  if (typeof value === "string") return depth === 0 ? value : `'${value.replace(/'/g, "\\'")}'`;
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `[Function: ${value.name || "(anonymous)"}]`;
  if (typeof value === "symbol") return value.toString();
  if (value === null || typeof value !== "object") return String(value);
  if (value instanceof Error) return value.stack && depth > 0 ? value.stack : String(value);
  if (seen.has(value)) return "[Circular *1]";
  if (depth > MAX_DEPTH) return Array.isArray(value) ? "[Array]" : "[Object]";
  seen.add(value);
  try {
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      const items = Array.from(value as ArrayLike<unknown>, (v) => inspect(v, depth + 1, seen));
      const prefix = Array.isArray(value)
        ? ""
        : `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length}) `;
      return items.length ? `${prefix}[ ${items.join(", ")} ]` : `${prefix}[]`;
    }
    if (value instanceof Map)
      return `Map(${value.size}) { ${[...value].map(([k, v]) => `${inspect(k, depth + 1, seen)} => ${inspect(v, depth + 1, seen)}`).join(", ")} }`;
    if (value instanceof Set)
      return `Set(${value.size}) { ${[...value].map((v) => inspect(v, depth + 1, seen)).join(", ")} }`;
    const entries = Object.entries(value).map(
      ([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${inspect(v, depth + 1, seen)}`,
    );
    const name =
      value.constructor && value.constructor !== Object ? `${value.constructor.name} ` : "";
    return entries.length ? `${name}{ ${entries.join(", ")} }` : `${name}{}`;
  } finally {
    seen.delete(value);
  }
}

/** The line console.log(...args) prints (without its newline). */
export function formatLine(args: unknown[]): string {
  return args.map((arg) => inspect(arg, 0, new Set())).join(" ");
}
