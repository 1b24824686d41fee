import type { FormInstance } from 'antd';
import type { z } from 'zod';
import { isApiError } from './api-client';

/**
 * Validates form values with a contracts schema before they are sent. On failure the messages
 * the schema carries are put on the form's fields and `null` is returned.
 */
export function validateForm<S extends z.ZodType>(form: FormInstance, schema: S, values: unknown): z.infer<S> | null {
  clearErrors(form);
  const r = schema.safeParse(values);
  if (r.success) return r.data;
  const fields = new Map<string, { name: string[]; errors: string[] }>();
  for (const issue of r.error.issues) {
    const name = issue.path.map(String);
    const key = name.join('.');
    if (!fields.has(key)) fields.set(key, { name, errors: [issue.message] });
  }
  form.setFields([...fields.values()]);
  return null;
}

/** Removes every field's error (before a new check). */
export function clearErrors(form: FormInstance): void {
  const names = Object.keys(form.getFieldsValue(true) as Record<string, unknown>);
  form.setFields(names.map((name) => ({ name: [name], errors: [] })));
}

/** `onValuesChange` for forms checked on submit: an edited field loses its old error. */
export function clearErrorsOnChange(form: FormInstance) {
  return (changed: Record<string, unknown>) => {
    const names = Object.keys(changed).filter((n) => form.getFieldError(n).length > 0);
    if (names.length) form.setFields(names.map((name) => ({ name: [name], errors: [] })));
  };
}

/**
 * Puts an API error's field details (`{ path, message }`) on the form's fields. Returns the
 * message to show for the whole form, or null when every detail found its field.
 */
export function applyApiError(form: FormInstance, e: unknown, fieldNames: readonly string[]): string | null {
  if (!isApiError(e)) return e instanceof Error && e.message ? e.message : '操作失败，请稍后重试';
  if (!e.details.length) return e.message;
  const byField = new Map<string, string[]>();
  const rest: string[] = [];
  for (const { path, message } of e.details) {
    const field = path.replace(/^body\./, '');
    if (fieldNames.includes(field)) byField.set(field, [...(byField.get(field) ?? []), message]);
    else rest.push(message);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: [name], errors })));
  if (rest.length) return `${e.message}：${rest.join('；')}`;
  return byField.size ? null : e.message;
}

/** An antd rule that checks one field with a contracts schema (shown as the user types). */
export function zodRule(schema: z.ZodType) {
  return {
    validator: async (_: unknown, value: unknown) => {
      const r = schema.safeParse(value ?? '');
      if (!r.success) throw new Error(r.error.issues[0]?.message ?? '格式不正确');
    },
  };
}
