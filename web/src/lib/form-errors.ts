import type { FormInstance } from 'antd';
import { isApiError } from '../api/client';
import type { Parser } from '../api/client';

/** The part of a zod issue the forms use (also what the server puts in VALIDATION_FAILED details). */
export interface Issue {
  path: readonly PropertyKey[] | string;
  message: string;
}

export interface MappedErrors {
  /** One entry per form field, messages in issue order, duplicates dropped. */
  fields: { name: string; errors: string[] }[];
  /** Issues not tied to a field (an object-level refine). */
  formErrors: string[];
}

function isIssue(v: unknown): v is Issue {
  if (typeof v !== 'object' || v === null) return false;
  const i = v as { path?: unknown; message?: unknown };
  return typeof i.message === 'string' && (Array.isArray(i.path) || typeof i.path === 'string');
}

/**
 * Map zod issues onto antd form fields. Our forms are flat, so a nested path (`aliases.2`) lands on its top-level
 * field (`aliases`), which is the control the user sees.
 */
export function issuesToFieldErrors(issues: readonly unknown[]): MappedErrors {
  const byField = new Map<string, string[]>();
  const formErrors: string[] = [];
  for (const issue of issues) {
    if (!isIssue(issue)) continue;
    const path = typeof issue.path === 'string' ? issue.path.split('.').filter(Boolean) : issue.path;
    const head = path[0];
    if (head === undefined) {
      if (!formErrors.includes(issue.message)) formErrors.push(issue.message);
      continue;
    }
    const name = String(head);
    const list = byField.get(name) ?? [];
    if (!list.includes(issue.message)) list.push(issue.message);
    byField.set(name, list);
  }
  return { fields: [...byField].map(([name, errors]) => ({ name, errors })), formErrors };
}

/** Pull the issue list out of a VALIDATION_FAILED error's details (`[…]` or `{ issues: […] }`). */
export function issuesFromDetails(details: unknown): unknown[] {
  if (Array.isArray(details)) return details;
  if (
    typeof details === 'object' &&
    details !== null &&
    Array.isArray((details as { issues?: unknown }).issues)
  ) {
    return (details as { issues: unknown[] }).issues;
  }
  return [];
}

/**
 * Validate form values with a shared schema. On failure the field errors are put on the form and null is
 * returned; on success the fields' old errors are cleared and the parsed (trimmed, defaulted) value returned.
 */
export function validateWith<T>(
  schema: Parser<T>,
  values: Record<string, unknown>,
  form: Pick<FormInstance, 'setFields'>,
): { ok: true; data: T } | { ok: false; formErrors: string[] } {
  const result = schema.safeParse(values);
  if (result.success) {
    form.setFields(Object.keys(values).map((name) => ({ name, errors: [] })));
    return { ok: true, data: result.data };
  }
  const mapped = issuesToFieldErrors(result.error.issues);
  form.setFields(mapped.fields);
  return { ok: false, formErrors: mapped.formErrors };
}

/**
 * Put a server VALIDATION_FAILED answer on the form's fields. Returns true when at least one field got a message,
 * so the caller shows a toast only for errors the form could not place.
 */
export function applyServerFieldErrors(error: unknown, form: Pick<FormInstance, 'setFields'>): boolean {
  if (!isApiError(error) || error.code !== 'VALIDATION_FAILED') return false;
  const mapped = issuesToFieldErrors(issuesFromDetails(error.details));
  if (mapped.fields.length === 0) return false;
  form.setFields(mapped.fields);
  return true;
}
