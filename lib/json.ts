import type { z } from 'zod';

/**
 * The one reader of stored JSON (database text columns, store values): null when absent, unparsable, or not of
 * the expected shape, so a damaged value reads like a missing one and callers decide what that means.
 */
export function readJson<T>(raw: string | null | undefined, schema: z.ZodType<T>): T | null;
export function readJson<T = unknown>(raw: string | null | undefined): T | null;
export function readJson<T>(raw: string | null | undefined, schema?: z.ZodType<T>): T | null {
  if (raw === null || raw === undefined || raw === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!schema) return value as T;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
