import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';

/**
 * Request validation with zod. Like fastify-type-provider-zod's compiler, but the raw issues
 * (with their input) are kept so the error handler can word them in the caller's language.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
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
