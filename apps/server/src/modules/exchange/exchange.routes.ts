import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import { AppError, validationFailed } from '../../lib/errors.ts';
import { sendXlsx } from '../../lib/xlsx.ts';
import { claimIdempotencyWithParts } from '../../plugins/idempotency.ts';
import { EXCHANGE_LIMITS } from './national-layout.ts';
import type { ExchangeService } from './exchange.service.ts';

/** A real calendar day (an impossible one would reach the database as a failed cast). */
const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '无效的日期');
const ZExportQuery = z.object({ orgId: z.string().uuid().optional(), from: ZDay.optional(), to: ZDay.optional() });
const ZImportQuery = z.object({ orgId: z.string().uuid() });
const ZImportResult = z.object({
  volunteers: z.object({ created: z.number().int(), matched: z.number().int() }),
  records: z.object({ created: z.number().int(), skipped: z.number().int() }),
  hours: z.number(),
});

/** 与全国志愿服务信息系统交换 (docs/volunteers.md): the record that travels with a volunteer. */
export function exchangeRoutes(app: FastifyInstance, deps: { exchange: ExchangeService }) {
  const r = typed(app);
  const s = deps.exchange;
  const tags = ['volunteers'];

  r.get(`${API}/volunteers/:id/national-record.xlsx`, {
    schema: {
      tags,
      security: SECURED,
      summary: '导出一名志愿者的完整志愿服务记录（全国志愿服务信息系统版式 .xlsx：身份、服务、培训、表彰、投诉；本人或所在阵地管理员）',
      params: ZIdParams,
    },
    handler: async (req, reply) => {
      const { data, fileName } = await s.volunteerRecord(req.ctx, req.params.id);
      return sendXlsx(reply, fileName, data, 'volunteer-record.xlsx');
    },
  });

  r.get(`${API}/exchange/national/export.xlsx`, {
    schema: {
      tags,
      security: SECURED,
      summary: '按全国志愿服务信息系统批量导入版式导出管辖范围（或某阵地）的志愿者及其已认定服务时长（.xlsx；管理员）',
      querystring: ZExportQuery,
    },
    handler: async (req, reply) => {
      const { data, fileName } = await s.exportBatch(req.ctx, req.query);
      return sendXlsx(reply, fileName, data, 'national-volunteers.xlsx');
    },
  });

  r.post(`${API}/exchange/national/imports`, {
    schema: {
      tags,
      security: SECURED,
      summary:
        '导入全国志愿服务信息系统版式的志愿者及服务时长（multipart/form-data，字段 file：.xlsx ≤ 10 MB）到阵地 orgId；按证件号码匹配已登记的志愿者，不重复登记、不重复计时；任何一行有问题则整份不导入并逐行说明',
      querystring: ZImportQuery,
      consumes: ['multipart/form-data'],
      response: { 200: ZImportResult },
    },
    config: { idempotencyAfterParts: true },
    handler: async (req, reply) => {
      if (!req.isMultipart())
        throw validationFailed('file', {
          zh: '请以 multipart/form-data 上传文件（字段名 file）',
          en: 'Send the file as multipart/form-data in a part named "file"',
        });
      const part = await req.file({ limits: { fileSize: EXCHANGE_LIMITS.maxBytes, files: 1 } });
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
      return s.importFile(req.ctx, { orgId: req.query.orgId, data });
    },
  });
}
