import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { msg } from '@wenming/contracts';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const badText = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

const BAD_TEXT = msg('含有不允许的字符（空字符或不成对的代理字符）', 'contains a character that is not allowed (NUL or an unpaired surrogate)');

/**
 * Where in `data` a string holds a NUL byte or a lone UTF-16 surrogate: PostgreSQL refuses the
 * first in text (a 500 if it reached the database) and cannot store the second in UTF-8. Both are
 * refused here, for every field of every route, as a 400 naming the field.
 */
export function badTextPaths(data: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length >= 20) return out;
  if (typeof data === 'string') {
    if (badText(data)) out.push(path);
  } else if (Array.isArray(data)) {
    data.forEach((v, i) => badTextPaths(v, [...path, i], out));
  } else if (data && typeof data === 'object' && !(data instanceof Date) && !Buffer.isBuffer(data)) {
    // Plain objects, and the query parser's prototype-less ones.
    for (const [k, v] of Object.entries(data)) {
      if (badText(k)) out.push([...path, '(key)']);
      else badTextPaths(v, [...path, k], out);
    }
  }
  return out;
}

/**
 * Request validation with zod. Like fastify-type-provider-zod's compiler, but the raw issues
 * (with their input) are kept so the error handler can word them in the caller's language.
 * A POST without a body (none at all, or an empty JSON one) is read as `{}`: API.md's action
 * routes (`/orders/{id}/cancel`, `/activities/{id}/publish`, …) take no body, and a route that
 * needs fields then names the missing ones instead of "expected object, received null".
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (input) => {
    const data: unknown = httpPart === 'body' && (input === null || input === undefined) ? {} : input;
    const bad = badTextPaths(data);
    if (bad.length) {
      return {
        error: bad.map((p) => ({ keyword: 'invalid_text', instancePath: `/${p.join('/')}`, schemaPath: '#', message: BAD_TEXT, params: {} })) as never,
      };
    }
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) return { value: result.data };
    return {
      error: result.error.issues.map((issue) => ({
        keyword: issue.code,
        instancePath: `/${issue.path.join('/')}`,
        schemaPath: `#/${issue.path.join('/')}`,
        message: issue.message,
        params: { issue },
      })) as never,
    };
  };
