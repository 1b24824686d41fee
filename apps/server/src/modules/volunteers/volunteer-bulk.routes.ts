import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { IMPORT_STATES, VOLUNTEER_IMPORT_MAX_BYTES, ZListVolunteersQuery, ZPartyUnitsQuery } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import { AppError, validationFailed } from '../../lib/errors.ts';
import { sendXlsx } from '../../lib/xlsx.ts';
import { claimIdempotencyWithParts } from '../../plugins/idempotency.ts';
import type { VolunteerBulkService } from './volunteer-bulk.service.ts';

const ZImport = z.object({
  id: z.string(),
  fileName: z.string(),
  state: z.enum(IMPORT_STATES),
  total: z.number().int(),
  processed: z.number().int(),
  imported: z.number().int(),
  failed: z.number().int(),
  message: z.string().nullable(),
  errors: z.array(z.object({ row: z.number().int(), field: z.string(), reason: z.string() })),
  errorsTruncated: z.boolean(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

const ZPartyUnits = z.object({
  items: z.array(
    z.object({
      workUnit: z.string().nullable(),
      memberCount: z.number().int(),
      totalHours: z.number(),
      serviceCount: z.number().int(),
      members: z.array(
        z.object({
          id: z.string(),
          realName: z.string(),
          phone: z.string(),
          orgId: z.string(),
          orgName: z.string(),
          totalHours: z.number(),
          serviceCount: z.number().int(),
          status: z.enum(['active', 'suspended']),
        }),
      ),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');

/** Bulk import and export of volunteers, and the 党员双报到 view (docs/volunteers.md). */
export function volunteerBulkRoutes(app: FastifyInstance, deps: { bulk: VolunteerBulkService }) {
  const r = typed(app);
  const s = deps.bulk;
  const tags = ['volunteers'];

  app.addHook('onClose', async () => s.drain());

  r.get(`${API}/volunteers/import-template`, {
    schema: { tags, security: SECURED, summary: '下载志愿者批量导入模板（.xlsx，含示例行和填写说明）' },
    handler: async (req, reply) => {
      const data = await s.template(req.ctx);
      return sendXlsx(reply, '志愿者导入模板.xlsx', data);
    },
  });

  r.post(`${API}/volunteers/imports`, {
    schema: {
      tags,
      security: SECURED,
      summary: '批量导入志愿者（multipart/form-data，字段 file：.xlsx 或 .csv，≤ 10 MB、≤ 50000 行）；后台分批导入，返回任务编号',
      consumes: ['multipart/form-data'],
      response: { 202: z.object({ id: z.string() }) },
    },
    config: { idempotencyAfterParts: true },
    handler: async (req, reply) => {
      if (!req.isMultipart())
        throw validationFailed('file', {
          zh: '请以 multipart/form-data 上传文件（字段名 file）',
          en: 'Send the file as multipart/form-data in a part named "file"',
        });
      const part = await req.file({ limits: { fileSize: VOLUNTEER_IMPORT_MAX_BYTES, files: 1 } });
      if (!part || part.fieldname !== 'file')
        throw validationFailed('file', { zh: '请选择要导入的文件（字段名 file）', en: 'Send the sheet in a part named "file"' });
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError('PAYLOAD_TOO_LARGE', { zh: '文件超过 10 MB，请拆分后分批导入', en: 'The file is over 10 MB; split it' });
        throw e;
      }
      if (await claimIdempotencyWithParts(req, reply, [{ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, bytes: data }])) return reply;
      return reply.status(202).send(await s.startImport(req.ctx, { data, fileName: part.filename }));
    },
  });

  r.get(`${API}/volunteers/imports/:id`, {
    schema: { tags, security: SECURED, summary: '导入任务的进度与问题行（仅发起人和超级管理员可见）', params: ZIdParams, response: { 200: ZImport } },
    handler: async (req) => s.getImport(req.ctx, req.params.id),
  });

  r.get(`${API}/volunteers/imports/:id/errors.xlsx`, {
    schema: { tags, security: SECURED, summary: '下载导入的问题行及原因（.xlsx；身份证号已脱敏）', params: ZIdParams },
    handler: async (req, reply) => {
      const { data, fileName } = await s.errorsWorkbook(req.ctx, req.params.id);
      return sendXlsx(reply, fileName, data);
    },
  });

  r.get(`${API}/volunteers/export`, {
    schema: {
      tags,
      security: SECURED,
      summary: '按当前筛选条件导出志愿者（.xlsx，流式；身份证号脱敏，手机号按列表规则显示）',
      querystring: ZListVolunteersQuery.omit({ limit: true, cursor: true }),
    },
    handler: async (req, reply) => {
      const stream = await s.exportXlsx(req.ctx, req.query);
      return sendXlsx(reply, `志愿者名单-${today()}.xlsx`, stream);
    },
  });

  r.get(`${API}/volunteers/party-units`, {
    schema: {
      tags,
      security: SECURED,
      summary: '党员双报到：管辖范围内的党员志愿者按工作单位分组，含服务时长和服务次数',
      querystring: ZPartyUnitsQuery,
      response: { 200: ZPartyUnits },
    },
    handler: async (req) => s.partyUnits(req.ctx, req.query),
  });
}
