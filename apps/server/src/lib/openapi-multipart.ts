import type { jsonSchemaTransform } from 'fastify-type-provider-zod';

type Transform = typeof jsonSchemaTransform;

/**
 * The request body, in the OpenAPI document, of the routes that read a multipart upload themselves
 * (`consumes: ['multipart/form-data']`, no `body` schema: @fastify/multipart streams the file, so
 * nothing validates a body before the handler). Without it the document said these operations
 * take no body at all (issue 15). Used for the document only; requests are not validated by it.
 */
export function withMultipartBodies(transform: Transform): Transform {
  return (arg) => {
    const out = transform(arg);
    const schema = out.schema as { consumes?: string[]; body?: unknown } | undefined;
    if (!schema?.consumes?.includes('multipart/form-data') || schema.body) return out;
    return {
      ...out,
      schema: {
        ...schema,
        body: {
          type: 'object',
          required: ['file'],
          properties: { file: { type: 'string', format: 'binary', description: '上传的文件（表单字段 file）' } },
        },
      },
    };
  };
}
