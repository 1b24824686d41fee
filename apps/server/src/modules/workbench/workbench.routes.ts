import type { FastifyInstance } from 'fastify';
import { API, SECURED, typed } from '../../lib/http.ts';
import type { WorkbenchService } from './workbench.service.ts';

/** 工作台: the signed-in staff member's to-dos and today's figures. */
export function workbenchRoutes(app: FastifyInstance, deps: { workbench: WorkbenchService }) {
  const r = typed(app);
  r.get(`${API}/workbench`, {
    schema: {
      tags: ['workbench'],
      security: SECURED,
      summary:
        '工作台：本人辖区（或本部门、本队）的待办计数（待派单、超时工单、待审核时长、待审批预约、待核销、待回访、待签收…）、今日与昨日数据、未来七天的活动',
    },
    handler: async (req) => deps.workbench.get(req.ctx),
  });
}
