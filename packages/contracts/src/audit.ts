import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZListQuery } from './common.ts';

/**
 * 操作日志: the one table of what every audited action is called. The server returns the label
 * with each row (`actionLabel`), so the console, the .xlsx export and any other client say the
 * same words. `AuditAction` is the type the audit repository takes: an action without a label
 * here does not compile, and `apps/server/test/audit-labels.test.ts` checks every call site.
 */
export const AUDIT_ACTION_LABELS = {
  'org.create': '新建阵地',
  'org.update': '编辑阵地',
  'user.create': '新建用户',
  'role.grant': '授予角色',
  'role.revoke': '撤销角色',
  'department.create': '新建职能部门',
  'department.update': '编辑派单目录',
  'category.create': '新增服务类别',
  'category.update': '编辑服务类别',
  'seed.demo.start': '开始写入演示数据',
  'seed.demo.finish': '演示数据写入完成',
  'order.phone_view': '查看诉求人完整电话',
  'order.assisted_submit': '代点单',
  'order.export': '导出工单台账',
  'record.verify_override': '核定超出时段的服务时长',
  'team.create': '新建队伍',
  'team.addMember': '添加队员',
  'team.removeMember': '移除队员',
  'volunteer.view': '查看志愿者身份信息',
  'volunteer.import': '批量导入志愿者',
  'volunteer.export': '导出志愿者',
  'volunteer.national_export': '导出全国志愿服务信息系统版式记录',
  'volunteer.national_import': '导入全国志愿服务信息系统版式名单及时长',
  'volunteer.suspend': '停用志愿者',
  'volunteer.reactivate': '恢复志愿者',
  'volunteer.activation_code': '生成激活码',
  'record.create': '补录服务时长',
  'record.verify': '审核通过时长',
  'record.reject': '驳回时长',
  'record.revoke': '撤销时长',
  'certificate.issue': '开具服务证明',
  'certificate.revoke': '作废服务证明',
  'certificate.view': '查看服务证明',
  'activity.create': '新建活动',
  'activity.update': '编辑活动',
  'activity.publish': '发布活动',
  'activity.cancel': '取消活动',
  'activity.finish': '结束活动',
  'activity.attendance': '登记考勤',
  'activity.report': '发布活动风采',
  'activity.signups.export': '导出报名名单',
  'content.create': '新建内容',
  'content.update': '修改内容',
  'content.publish': '发布内容',
  'content.withdraw': '撤回内容',
  'content.edit': '转为草稿编辑',
  'content_column.create': '新建栏目',
  'serviceItem.create': '新增服务项目',
  'serviceItem.retire': '下架服务项目',
  'resource.create': '登记资源',
  'resource.update': '编辑资源',
  'reward.create': '上架礼品',
  'reward.restock': '补充库存',
  'reward.retire': '下架礼品',
  'redemption.fulfill': '核销兑换',
  'points.rule': '设置积分规则',
  'points.adjust.request': '申请积分调整',
  'points.adjust.approve': '批准积分调整',
  'points.adjust.reject': '驳回积分调整',
  'pairing.resident.create': '登记帮扶对象',
  'pairing.resident.update': '编辑帮扶对象',
  'pairing.plan.create': '新建帮扶计划',
  'pairing.plan.update': '编辑帮扶计划',
  'pairing.plan.pause': '暂停帮扶计划',
  'pairing.plan.resume': '恢复帮扶计划',
  'pairing.plan.end': '结束帮扶计划',
  'pairing.visit.log': '登记走访',
  'pairing.visit.miss': '标记未走访',
  'evaluation.system.replace': '替换评估指标体系',
  'evaluation.indicator.create': '新增评估指标',
  'evaluation.indicator.update': '修改评估指标',
  'evaluation.indicator.delete': '删除评估指标',
  'evaluation.force_recompute': '重新计算评估',
  'training.lecturer.create': '新增讲师',
  'training.lecturer.update': '修改讲师',
  'training.course.create': '新增培训课程',
  'training.course.update': '修改培训课程',
  'training.session.create': '开设培训班次',
  'training.session.finish': '培训结业',
  'training.session.cancel': '取消培训',
  'training.attendance': '补录培训签到',
  'qualification.add': '登记资质',
  'qualification.revoke': '撤销资质',
  'activity.qualifications': '设置活动资质要求',
  'honour.round.create': '发起评选',
  'honour.round.openVoting': '评选开始投票',
  'honour.round.close': '结束评选',
  'honour.nominate': '推荐评选对象',
  'honour.review': '审核评选推荐',
  'honour.award': '评定获评',
  'organisation.create': '登记志愿服务组织',
  'organisation.update': '编辑志愿服务组织',
  'organisation.addMember': '添加组织成员',
  'organisation.removeMember': '移除组织成员',
  'organisation.addTeam': '将队伍纳入组织',
  'organisation.removeTeam': '将队伍移出组织',
  'organisation.addAdmin': '设置组织管理员',
  'organisation.removeAdmin': '取消组织管理员',
  'joinRequest.create': '申请加入队伍或组织',
  'joinRequest.approve': '通过加入申请',
  'joinRequest.refuse': '拒绝加入申请',
  'joinRequest.withdraw': '撤回加入申请',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;

export function isAuditAction(a: string): a is AuditAction {
  return Object.hasOwn(AUDIT_ACTION_LABELS, a);
}

/** The label of an action; a row written by an older version under a code since retired shows its code. */
export function auditActionLabel(a: string): string {
  return isAuditAction(a) ? AUDIT_ACTION_LABELS[a] : a;
}

/** What the audited objects are called. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  org: '阵地',
  user: '用户',
  department: '职能部门',
  team: '队伍',
  volunteer: '志愿者',
  volunteer_import: '志愿者导入',
  service_record: '服务时长',
  certificate: '服务证明',
  activity: '活动',
  activity_signup: '活动报名',
  content: '内容',
  content_column: '栏目',
  service_item: '服务项目',
  resource: '资源',
  reward: '礼品',
  redemption: '兑换',
  points_adjustment: '积分调整',
  points_rule: '积分规则',
  pairing_resident: '帮扶对象',
  pairing_plan: '帮扶计划',
  pairing_task: '走访任务',
  evaluation_system: '评估指标体系',
  evaluation_run: '评估',
  order: '工单',
  seed: '初始化数据',
  training_lecturer: '讲师',
  training_course: '培训课程',
  training_session: '培训班次',
  training_signup: '培训报名',
  volunteer_qualification: '志愿者资质',
  honour_round: '评选',
  honour_nomination: '评选推荐',
  organisation: '志愿服务组织',
  join_request: '加入申请',
  category: '服务类别',
};

export function auditEntityLabel(t: string): string {
  return AUDIT_ENTITY_LABELS[t] ?? t;
}

const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: msg('日期格式应为 YYYY-MM-DD', 'Dates are YYYY-MM-DD') })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return s >= '0001' && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
    },
    { message: msg('没有这一天', 'No such day') },
  );

/** The filters of 操作日志 (list and export): type, action, operator, China-time days from/to (inclusive). */
export const ZAuditLogFilter = z.object({
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(80).optional(),
  action: z.string().max(60).optional(),
  actorId: ZId.optional(),
  from: ZDay.optional(),
  to: ZDay.optional(),
});
export type TAuditLogFilter = z.infer<typeof ZAuditLogFilter>;
export const ZAuditLogQuery = ZListQuery.extend(ZAuditLogFilter.shape);

export const ZAuditLogDto = z.object({
  id: z.number().int(),
  cityCode: z.string().nullable(),
  action: z.string(),
  actionLabel: z.string(),
  entityType: z.string(),
  entityLabel: z.string(),
  entityId: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  at: z.string(),
});
export type AuditLogDto = z.infer<typeof ZAuditLogDto>;
