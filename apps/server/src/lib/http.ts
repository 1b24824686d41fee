import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId } from '@wenming/contracts';

export const API = '/api/v1';

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}
export type TypedApp = ReturnType<typeof typed>;

export const ZIdParams = z.object({ id: ZId });

/** OpenAPI security requirement for routes that need a signed-in caller. */
export const SECURED: { [label: string]: string[] }[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
