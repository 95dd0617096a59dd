/**
 * Walks the configuration schema as data: used to suggest the intended key for an unknown
 * one and by docs.test.ts to list every key the documentation must describe.
 */
import { z } from 'zod';

/** Strips default/prefault/optional wrappers down to the schema that describes the value. */
export function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  while (
    current instanceof z.ZodDefault ||
    current instanceof z.ZodPrefault ||
    current instanceof z.ZodOptional ||
    current instanceof z.ZodReadonly
  ) {
    current = current.unwrap();
  }
  return current;
}

/** The schema found at `path` (array indices step into the element), or undefined. */
export function schemaAt(root: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = unwrap(root);
  for (const key of path) {
    if (current instanceof z.ZodObject && typeof key === 'string') {
      const shape = current.shape as Record<string, z.core.$ZodType>;
      current = Object.hasOwn(shape, key) ? shape[key] : undefined;
    } else if (current instanceof z.ZodArray && typeof key === 'number') {
      current = current.element as z.core.$ZodType;
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
    current = unwrap(current);
  }
  return current;
}

export function objectKeys(schema: z.core.$ZodType | undefined): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

export interface KeyInfo {
  /** Dotted path as written in the docs: `sip.udpPort`, `extensions[].number`. */
  readonly path: string;
  /** The outermost schema of the key, with its default still attached. */
  readonly schema: z.core.$ZodType;
}

/** Every key of the schema, depth first; arrays of objects contribute `name[].key` entries. */
export function listKeys(root: z.core.$ZodType, prefix = ''): KeyInfo[] {
  const inner = unwrap(root);
  if (!(inner instanceof z.ZodObject)) return [];
  const out: KeyInfo[] = [];
  for (const [key, child] of Object.entries(inner.shape as Record<string, z.core.$ZodType>)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.push({ path, schema: child });
    const value = unwrap(child);
    if (value instanceof z.ZodObject) out.push(...listKeys(value, path));
    if (value instanceof z.ZodArray) out.push(...listKeys(value.element as z.core.$ZodType, `${path}[]`));
  }
  return out;
}
