/**
 * What compact JSON (`--compact`) leaves out, put back as the schema says: a key the schema
 * names and the value lacks gets its empty value (null where null is allowed, [] for a
 * list, false for a flag, an object of empty values), at every depth; the abstract's sections
 * come again from the abstract. A value written in full is left as it is.
 */
import { splitAbstract } from '../citation/abstract.js';

interface Schema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly oneOf?: readonly Schema[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly additionalProperties?: boolean | Schema;
  readonly definitions?: Readonly<Record<string, Schema>>;
  readonly enum?: readonly unknown[];
}

/** Keys written only when asked for: left out, they stay out. */
const ABSENT_UNLESS_ASKED: ReadonlySet<string> = new Set(['raw', 'sources']);

export class CompactReader {
  private readonly required: number;

  constructor(private readonly root: Schema) {
    this.required = root.required?.length ?? 0;
  }

  /** Puts back what a compact citation left out; a full one (every required key there) is left alone. */
  fill(citation: Record<string, unknown>): void {
    let present = 0;
    for (const key of this.root.required ?? []) if (key in citation) present++;
    if (present === this.required) return;
    const sectionsLeftOut = !('abstractSections' in citation);
    this.fillValue(citation, this.root);
    if (sectionsLeftOut && typeof citation['abstract'] === 'string') citation['abstractSections'] = splitAbstract(citation['abstract']);
  }

  private resolve(schema: Schema): Schema {
    if (schema.$ref === undefined) return schema;
    const name = schema.$ref.replace('#/definitions/', '');
    return this.resolve(this.root.definitions?.[name] ?? {});
  }

  private emptyOf(schema: Schema): unknown {
    const s = this.resolve(schema);
    if (s.oneOf !== undefined) return s.oneOf.some((o) => this.resolve(o).type === 'null') ? null : this.emptyOf(s.oneOf[0]!);
    const types = typeof s.type === 'string' ? [s.type] : (s.type ?? []);
    if (types.includes('null') || s.enum?.includes(null)) return null;
    if (types.includes('array')) return [];
    if (types.includes('boolean')) return false;
    if (types.includes('object')) {
      const value: Record<string, unknown> = {};
      this.fillValue(value, s);
      return value;
    }
    return undefined;
  }

  private fillValue(value: unknown, schema: Schema): void {
    let s = this.resolve(schema);
    if (s.oneOf !== undefined) {
      if (value === null || typeof value !== 'object') return;
      s = this.resolve(s.oneOf.find((o) => this.resolve(o).type === 'object') ?? s);
    }
    if (Array.isArray(value)) {
      if (s.items !== undefined) for (const item of value) this.fillValue(item, s.items);
      return;
    }
    if (value === null || typeof value !== 'object' || s.properties === undefined) return;
    const object = value as Record<string, unknown>;
    let filled = false;
    // every key the schema names, but those only some runs write (--raw, --sources)
    for (const key of Object.keys(s.properties)) {
      if (!(key in object) && !ABSENT_UNLESS_ASKED.has(key)) {
        const empty = this.emptyOf(s.properties[key] ?? {});
        if (empty !== undefined) {
          object[key] = empty;
          filled = true;
        }
      }
    }
    for (const [key, child] of Object.entries(object)) {
      const property = s.properties[key];
      if (property !== undefined && child !== null && typeof child === 'object') this.fillValue(child, property);
    }
    // the keys in the schema's order, which is the order medline writes them in: read back
    // and written again in full, a compact citation gives the full form byte for byte
    if (filled) {
      const entries = Object.entries(object);
      const order = Object.keys(s.properties);
      entries.sort((a, b) => rank(order, a[0]) - rank(order, b[0]));
      for (const [key] of entries) delete object[key];
      for (const [key, v] of entries) object[key] = v;
    }
  }
}

/** A key's place in the schema's order; keys the schema does not name go last, in their order. */
function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}
