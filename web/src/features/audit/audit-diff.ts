export type DiffKind = 'added' | 'removed' | 'changed' | 'unchanged';

export interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  kind: DiffKind;
}

/** A field name for values that are not objects (a scalar before/after). */
export const VALUE_FIELD = '(值)';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with object keys sorted, so `{a,b}` equals `{b,a}`. */
export function stableStringify(v: unknown): string {
  if (v === undefined) return 'undefined';
  return JSON.stringify(v, (_k, val: unknown) =>
    isRecord(val)
      ? Object.fromEntries(
          Object.keys(val)
            .sort()
            .map((k) => [k, val[k]]),
        )
      : val,
  );
}

/**
 * Field-by-field comparison of an audit entry's before and after snapshots (top level only; nested values compare
 * as a whole). `null` before means "created", `null` after means "deleted": every field is then added / removed.
 * Rows keep the order of `before`, then fields only in `after`.
 */
export function diffSnapshots(before: unknown, after: unknown): DiffRow[] {
  const b =
    before === null || before === undefined ? {} : isRecord(before) ? before : { [VALUE_FIELD]: before };
  const a = after === null || after === undefined ? {} : isRecord(after) ? after : { [VALUE_FIELD]: after };
  const fields = [...Object.keys(b), ...Object.keys(a).filter((k) => !(k in b))];
  return fields.map((field) => {
    const inB = field in b;
    const inA = field in a;
    const kind: DiffKind = !inB
      ? 'added'
      : !inA
        ? 'removed'
        : stableStringify(b[field]) === stableStringify(a[field])
          ? 'unchanged'
          : 'changed';
    return { field, before: b[field], after: a[field], kind };
  });
}
