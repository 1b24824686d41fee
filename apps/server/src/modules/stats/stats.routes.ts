import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZId } from '@wenming/contracts';
import { API, SECURED, typed } from '../../lib/http.ts';
import type { StatsService } from './stats.service.ts';

export function statsRoutes(app: FastifyInstance, deps: { stats: StatsService }) {
  typed(app).get(`${API}/stats/overview`, {
    schema: { tags: ['stats'], security: SECURED, summary: '概览：阵地、志愿者、工单三率', querystring: z.object({ orgId: ZId.optional() }) },
    handler: async (req) => deps.stats.overview(req.ctx, req.query.orgId),
  });
}
