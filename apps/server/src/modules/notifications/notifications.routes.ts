import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZId } from '@wenming/contracts';
import { API, SECURED, typed } from '../../lib/http.ts';
import { requireActor } from '../../lib/policy.ts';
import type { NotificationHub } from './notification-hub.ts';
import { present, type NotificationsRepository } from './notifications.repository.ts';

export function notificationsRoutes(app: FastifyInstance, deps: { hub: NotificationHub; notifications: NotificationsRepository; heartbeatMs?: number }) {
  const r = typed(app);
  const common = { tags: ['notifications'], security: SECURED };
  const open = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of open) end();
  });

  r.get(`${API}/events`, {
    schema: { ...common, summary: '实时通知（Server-Sent Events）' },
    handler: async (req, reply) => {
      const actor = requireActor(req.ctx);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n: connected\n\n');
      const unsubscribe = await deps.hub.subscribe(actor.userId, (n) => {
        res.write(
          `id: ${n.id}\nevent: notification\ndata: ${JSON.stringify({ id: n.id, kind: n.kind, title: n.title, body: n.body, refType: n.refType, refId: n.refId, at: n.at })}\n\n`,
        );
      });
      const heartbeat = setInterval(() => res.write(': ping\n\n'), deps.heartbeatMs ?? 25_000);
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

  r.get(`${API}/notifications`, {
    schema: {
      ...common,
      summary: '站内消息',
      querystring: z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
    },
    handler: async (req) => {
      const actor = requireActor(req.ctx);
      const rows = await deps.notifications.list(actor.userId, { unreadOnly: req.query.unread === 'true', limit: req.query.limit });
      return { items: rows.map(present), unread: await deps.notifications.unreadCount(actor.userId), nextCursor: null };
    },
  });
  r.post(`${API}/notifications/read`, {
    schema: { ...common, summary: '标记已读（不传 id 即全部）', body: z.object({ id: ZId.optional() }).optional() },
    handler: async (req) => {
      const actor = requireActor(req.ctx);
      await deps.notifications.markRead(actor.userId, req.body?.id ?? null);
      return { unread: await deps.notifications.unreadCount(actor.userId) };
    },
  });
}
