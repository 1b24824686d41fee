import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ZCreateCourseBody,
  ZCreateLecturerBody,
  ZCreateQualificationBody,
  ZCreateTrainingSessionBody,
  ZListTrainingQuery,
  ZListTrainingSessionsQuery,
  ZRequiredQualificationsBody,
  ZTrainingAttendanceBody,
  ZTrainingCheckinBody,
  ZUpdateCourseBody,
  ZUpdateLecturerBody,
} from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import type { TrainingService } from './training.service.ts';

/** 培训 routes: 师资库, 课程库, 培训班次 (sign-up, QR attendance, 结业), training records, qualifications. */
export function trainingRoutes(app: FastifyInstance, deps: { training: TrainingService }) {
  const r = typed(app);
  const s = deps.training;
  const common = { tags: ['training'], security: SECURED };
  const params = ZIdParams;
  const empty = z.object({}).nullish();

  r.post(`${API}/training/lecturers`, {
    schema: { ...common, summary: '新增讲师（师资库；可关联资源库的人才师资）', body: ZCreateLecturerBody },
    handler: async (req, reply) => reply.status(201).send(await s.createLecturer(req.ctx, req.body)),
  });
  r.get(`${API}/training/lecturers`, {
    schema: { ...common, summary: '师资库（工作人员，管辖范围内）', querystring: ZListTrainingQuery },
    handler: async (req) => s.listLecturers(req.ctx, req.query),
  });
  r.patch(`${API}/training/lecturers/:id`, {
    schema: { ...common, summary: '修改讲师', params, body: ZUpdateLecturerBody },
    handler: async (req) => s.updateLecturer(req.ctx, req.params.id, req.body),
  });

  r.post(`${API}/training/courses`, {
    schema: { ...common, summary: '新增课程（课程库：名称、类别、学时、讲师、结业资质）', body: ZCreateCourseBody },
    handler: async (req, reply) => reply.status(201).send(await s.createCourse(req.ctx, req.body)),
  });
  r.get(`${API}/training/courses`, {
    schema: { ...common, summary: '课程库（工作人员，管辖范围内）', querystring: ZListTrainingQuery },
    handler: async (req) => s.listCourses(req.ctx, req.query),
  });
  r.get(`${API}/training/courses/:id`, { schema: { ...common, summary: '课程详情', params }, handler: async (req) => s.getCourse(req.ctx, req.params.id) });
  r.patch(`${API}/training/courses/:id`, {
    schema: { ...common, summary: '修改课程', params, body: ZUpdateCourseBody },
    handler: async (req) => s.updateCourse(req.ctx, req.params.id, req.body),
  });

  r.post(`${API}/training/sessions`, {
    schema: { ...common, summary: '开班（某课程在某阵地某时段举办，设名额）', body: ZCreateTrainingSessionBody },
    handler: async (req, reply) => reply.status(201).send(await s.createSession(req.ctx, req.body)),
  });
  r.get(`${API}/training/sessions`, {
    schema: { ...common, summary: '培训班次（open 可报名 / mine 我的 / all 工作人员）', querystring: ZListTrainingSessionsQuery },
    handler: async (req) => s.listSessions(req.ctx, req.query),
  });
  r.get(`${API}/training/sessions/:id`, {
    schema: { ...common, summary: '培训班次详情', params },
    handler: async (req) => s.getSession(req.ctx, req.params.id),
  });
  r.post(`${API}/training/sessions/:id/signups`, {
    schema: { ...common, summary: '报名培训（志愿者；名额满 422，重复 409）', params, body: empty },
    handler: async (req, reply) => reply.status(201).send(await s.signUp(req.ctx, req.params.id)),
  });
  r.get(`${API}/training/sessions/:id/signups`, {
    schema: { ...common, summary: '报名与签到名单（组织者）', params },
    handler: async (req) => s.signups(req.ctx, req.params.id),
  });
  r.get(`${API}/training/sessions/:id/checkin-code`, {
    schema: { ...common, summary: '当前签到码（每30秒轮换）', params },
    handler: async (req) => s.checkinCode(req.ctx, req.params.id),
  });
  r.post(`${API}/training/sessions/:id/checkin`, {
    schema: { ...common, summary: '扫码签到', params, body: ZTrainingCheckinBody },
    handler: async (req) => s.checkIn(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/training/sessions/:id/attendance`, {
    schema: { ...common, summary: '手工补录签到（需填写原因）', params, body: ZTrainingAttendanceBody },
    handler: async (req) => s.attendance(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/training/sessions/:id/finish`, {
    schema: { ...common, summary: '结业：签到者记培训学时（不计入服务时长），并获得课程资质', params, body: empty },
    handler: async (req) => s.finish(req.ctx, req.params.id),
  });
  r.post(`${API}/training/sessions/:id/cancel`, {
    schema: { ...common, summary: '取消培训（通知已报名者）', params, body: empty },
    handler: async (req) => s.cancel(req.ctx, req.params.id),
  });

  r.get(`${API}/volunteers/:id/training`, {
    schema: { ...common, summary: '志愿者的培训学时与资质（本人或所属阵地工作人员）', params },
    handler: async (req) => s.volunteerTraining(req.ctx, req.params.id),
  });
  r.post(`${API}/volunteers/:id/qualifications`, {
    schema: { ...common, summary: '登记资质（如急救证，可设有效期；所属阵地管理员）', params, body: ZCreateQualificationBody },
    handler: async (req, reply) => reply.status(201).send(await s.addQualification(req.ctx, req.params.id, req.body)),
  });
  r.post(`${API}/qualifications/:id/revoke`, {
    schema: { ...common, summary: '撤销资质（所属阵地管理员）', params, body: empty },
    handler: async (req) => s.revokeQualification(req.ctx, req.params.id),
  });
  r.get(`${API}/activities/:id/qualifications`, {
    schema: { ...common, summary: '活动要求的资质', params },
    handler: async (req) => s.requiredQualifications(req.ctx, req.params.id),
  });
  r.put(`${API}/activities/:id/qualifications`, {
    schema: { ...common, summary: '设置活动要求的资质（报名者须持有效资质；过期不计）', params, body: ZRequiredQualificationsBody },
    handler: async (req) => s.setRequiredQualifications(req.ctx, req.params.id, req.body.names),
  });
}
