import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ZStatsOrgQuery, ZStatsPeriodQuery, ZStatsTrendQuery } from '@wenming/contracts';
import { API, SECURED, typed } from '../../lib/http.ts';
import { assertStaff, requireActor } from '../../lib/policy.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import { narrowToOrg } from '../orgs/index.ts';
import type { StatsService } from './stats.service.ts';
import type { StatsLive } from './stats-live.ts';
import { sendXlsx, XLSX_TYPE } from '../../lib/xlsx.ts';
import { statsWorkbook } from './stats-export.ts';

/** Answers from this size on are sent gzipped to clients that accept it. */
const GZIP_FROM = 16_384;

export function statsRoutes(app: FastifyInstance, deps: { stats: StatsService; live?: StatsLive; orgs?: OrgsRepository; heartbeatMs?: number }) {
  const r = typed(app);
  const common = { tags: ['stats'], security: SECURED };
  // Identical requests share one answer object for STATS_FRESH_MS (stats.service.ts): it is
  // serialized once, not once per request, and a large one (the map's district outlines, ~300 KB)
  // is gzipped once for the clients that accept it (every browser does).
  const serialized = new WeakMap<object, string>();
  const gzipped = new WeakMap<object, Buffer>();
  const send = (req: FastifyRequest, reply: FastifyReply, answer: object) => {
    let body = serialized.get(answer);
    if (body === undefined) serialized.set(answer, (body = JSON.stringify(answer)));
    reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
    if (body.length < GZIP_FROM || !/\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''))) return reply.send(body);
    let gz = gzipped.get(answer);
    if (gz === undefined) gzipped.set(answer, (gz = gzipSync(body)));
    return reply.header('content-encoding', 'gzip').send(gz);
  };
  r.get(`${API}/stats/overview`, {
    schema: { ...common, summary: '概览：阵地、志愿者、工单三率', querystring: ZStatsOrgQuery },
    handler: async (req, reply) => send(req, reply, await deps.stats.overview(req.ctx, req.query.orgId)),
  });
  r.get(`${API}/stats/trend`, {
    schema: { ...common, summary: '月度趋势：工单、办结、活动、服务时长、新增志愿者', querystring: ZStatsTrendQuery },
    handler: async (req, reply) => send(req, reply, await deps.stats.trend(req.ctx, req.query)),
  });
  r.get(`${API}/stats/categories`, {
    schema: { ...common, summary: '供需对接：各服务类别的需求（工单、活动）与供给（队伍、志愿者）', querystring: ZStatsPeriodQuery },
    handler: async (req, reply) => send(req, reply, await deps.stats.categories(req.ctx, req.query)),
  });
  r.get(`${API}/stats/top`, {
    schema: { ...common, summary: '排行：队伍（期间认证时长）与志愿者（累计认证时长）', querystring: ZStatsPeriodQuery },
    handler: async (req, reply) => send(req, reply, await deps.stats.top(req.ctx, req.query)),
  });
  r.get(`${API}/stats/districts`, {
    schema: { ...common, summary: '下级阵地对比（地图着色）：阵地、队伍、志愿者、活动、工单、时长、三率', querystring: ZStatsPeriodQuery },
    handler: async (req, reply) => send(req, reply, await deps.stats.districts(req.ctx, req.query)),
  });
  r.get(`${API}/stats/map`, {
    schema: { ...common, summary: '地图：区县边界（GeoJSON）与阵地点位', querystring: ZStatsOrgQuery },
    handler: async (req, reply) => send(req, reply, await deps.stats.map(req.ctx, req.query)),
  });
  r.get(`${API}/stats/export`, {
    schema: { ...common, summary: '导出统计报表（Excel .xlsx）', querystring: ZStatsPeriodQuery, produces: [XLSX_TYPE] },
    handler: async (req, reply) => {
      const report = await deps.stats.report(req.ctx, req.query);
      const buf = await statsWorkbook(report);
      const name = `统计报表_${report.org?.name ?? '全部'}_${report.from ?? '开始'}_${report.to ?? '至今'}.xlsx`;
      return sendXlsx(reply, name, buf, 'stats.xlsx');
    },
  });

  if (!deps.live || !deps.orgs) return;
  const live = deps.live;
  const orgs = deps.orgs;
  const open = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of open) end();
  });
  r.get(`${API}/stats/live`, {
    schema: {
      ...common,
      summary: '大屏实时动态（Server-Sent Events）：新工单、接单、新活动（不含个人信息）',
      description:
        '先发送最近的动态（event: live，replay 为 true），之后实时推送 event: live，data 为 { id, kind, at, orgId, orgName, category, categoryName, text }。',
      querystring: ZStatsOrgQuery.extend({ replay: z.coerce.number().int().min(0).max(50).default(15) }),
    },
    handler: async (req, reply) => {
      const actor = requireActor(req.ctx);
      const { scope } = await narrowToOrg(orgs, assertStaff(actor), req.query.orgId);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n: connected\n\n');
      const recent = await live.recent(scope, req.query.replay).catch(() => []);
      for (const e of recent) res.write(`id: ${e.id}\nevent: live\ndata: ${JSON.stringify({ ...e, replay: true })}\n\n`);
      const unsubscribe = await live.subscribe(scope, (e) => {
        if (!res.writableEnded) res.write(`id: ${e.id}\nevent: live\ndata: ${JSON.stringify(e)}\n\n`);
      });
      const heartbeat = setInterval(() => res.write(': ping\n\n'), deps.heartbeatMs ?? 20_000);
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
        if (!res.writableEnded) res.end();
      };
      open.add(end);
      req.raw.on('close', end);
    },
  });
}
