// The exchange with 全国志愿服务信息系统: dependencies and the helpers its use cases share (use-cases/*.ts).
import { idNumberFacts, starLevel, STAR_THRESHOLDS } from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import type { Pii } from '../../lib/pii.ts';
import { toIso } from '../../lib/time.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { VolunteersRepository } from '../volunteers/index.ts';
import type { ExchangeRecordRow, ExchangeRepository, ExchangeVolunteerRow } from './exchange.repository.ts';
import { ID_TYPE_RESIDENT, POLITICAL_OUT } from './national-layout.ts';
import type { SheetRows } from './exchange-sheets.ts';

export interface ExchangeDeps {
  db: Db;
  exchange: ExchangeRepository;
  orgs: OrgsRepository;
  volunteers: VolunteersRepository;
  audit: AuditRepository;
  pii: Pii;
  clock: () => Date;
}

const SOURCE_NAMES: Record<string, string> = { activity: '志愿服务活动', order: '群众点单服务', pairing: '结对帮扶', manual: '志愿服务' };

const asDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));
const localDay = (d: Date | string) => toIso(asDate(d)).slice(0, 10);
const localTime = (d: Date | string) => toIso(asDate(d)).slice(11, 16);

/** Birth date of a resident ID number, `1980-01-01`. */
export const birthDateOf = (id: string) => `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;

export function createExchangeKit(deps: ExchangeDeps) {
  function volunteerRow(v: ExchangeVolunteerRow, idNumber: string): Record<string, string | number> {
    const gender = v.gender ?? idNumberFacts(idNumber).gender;
    return {
      realName: v.real_name,
      idType: ID_TYPE_RESIDENT,
      idNumber,
      gender: gender === 'male' ? '男' : '女',
      birthDate: birthDateOf(idNumber),
      phone: v.phone ?? '',
      politicalStatus: POLITICAL_OUT[v.political_status],
      organisation: v.teams ?? '',
      site: v.org_name,
      registeredAt: localDay(v.created_at),
      totalHours: Number(v.total_hours),
    };
  }

  /**
   * One verified record in the layout. Times are written when the record has both; the place is
   * the record's own, else the activity's address, else the recording site (an order's address is
   * the resident's home and stays out of the file).
   */
  function recordRow(r: ExchangeRecordRow, v: { realName: string; idNumber: string }): Record<string, string | number> {
    const project = r.title ?? r.activity_title ?? SOURCE_NAMES[r.source_type] ?? '志愿服务';
    return {
      realName: v.realName,
      idNumber: v.idNumber,
      organisation: r.external_org ?? r.team_name ?? r.org_name,
      project,
      date: r.service_day,
      startTime: r.started_at && r.ended_at ? localTime(r.started_at) : '',
      endTime: r.started_at && r.ended_at ? localTime(r.ended_at) : '',
      place: r.place ?? r.activity_address ?? r.org_name,
      content: r.note ?? (r.category_name ? `${r.category_name}：${project}` : project),
      hours: Number(r.hours),
      recordNo: r.external_ref ?? r.id,
    };
  }

  /** 表彰奖励 from what the platform holds: the star level its verified hours earn. */
  function honourRows(v: ExchangeVolunteerRow, idNumber: string, siteName: string): SheetRows {
    const star = starLevel(Number(v.total_hours));
    if (!star) return [];
    return [
      {
        idNumber,
        name: `${'一二三四五'[star - 1]}星级志愿者`,
        date: '',
        grantor: siteName,
        basis: `累计认定服务时长 ${Number(v.total_hours)} 小时（${STAR_THRESHOLDS[star - 1]} 小时起）`,
      },
    ];
  }

  return { ...deps, volunteerRow, recordRow, honourRows, localDay };
}

export type ExchangeKit = ReturnType<typeof createExchangeKit>;
