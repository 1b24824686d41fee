/**
 * The layout of 全国志愿服务信息系统's batch files, in one place (docs/volunteers.md
 * "与全国志愿服务信息系统交换"). The national templates change from time to time: a renamed column is
 * a change of `header` here (the old name goes into `aliases`, so files made with the old template
 * still import); a new column is a new entry. Nothing else in the code names a header.
 *
 * The contents follow 《志愿服务记录与证明出具办法》: the volunteer's identity, each service (time,
 * place, content, hours), training, honours and complaints. An import reads the two sheets the
 * national system's batch import takes (志愿者信息, 服务记录); an export writes all five.
 */

export interface LayoutColumn<K extends string = string> {
  key: K;
  header: string;
  /** Other header texts read as this column (older templates, common variants). */
  aliases?: readonly string[];
  /** The import refuses a file whose header row lacks it. */
  required?: boolean;
  width?: number;
  /** Written as text, so Excel keeps every digit (ID numbers, phones, record numbers). */
  text?: boolean;
}

const col = <K extends string>(c: LayoutColumn<K>) => c;

export const NATIONAL_LAYOUT = {
  /** The template the columns follow; written into the export's 说明 sheet. */
  template: '全国志愿服务信息系统 志愿者及服务时长批量导入模板（2024 版）',
  volunteers: {
    sheet: '志愿者信息',
    columns: [
      col({ key: 'realName', header: '姓名', aliases: ['志愿者姓名', '真实姓名'], required: true, width: 12 }),
      col({ key: 'idType', header: '证件类型', width: 12 }),
      col({ key: 'idNumber', header: '证件号码', aliases: ['身份证号', '身份证号码', '公民身份号码'], required: true, width: 22, text: true }),
      col({ key: 'gender', header: '性别', width: 6 }),
      col({ key: 'birthDate', header: '出生日期', width: 12 }),
      col({ key: 'phone', header: '手机号码', aliases: ['手机号', '联系电话', '手机'], required: true, width: 15, text: true }),
      col({ key: 'politicalStatus', header: '政治面貌', width: 12 }),
      col({ key: 'organisation', header: '所属志愿服务组织', aliases: ['所属组织', '志愿服务组织', '所属团体'], width: 30 }),
      col({ key: 'site', header: '注册地（阵地）', aliases: ['注册地', '所在阵地'], width: 30 }),
      col({ key: 'registeredAt', header: '注册日期', aliases: ['注册时间'], width: 12 }),
      col({ key: 'totalHours', header: '累计服务时长（小时）', aliases: ['服务时长合计', '累计时长'], width: 14 }),
    ],
  },
  records: {
    sheet: '服务记录',
    columns: [
      col({ key: 'realName', header: '志愿者姓名', aliases: ['姓名'], width: 12 }),
      col({ key: 'idNumber', header: '证件号码', aliases: ['身份证号', '身份证号码', '公民身份号码'], required: true, width: 22, text: true }),
      col({ key: 'organisation', header: '组织名称', aliases: ['志愿服务组织', '所属组织'], width: 28 }),
      col({ key: 'project', header: '项目名称', aliases: ['志愿服务项目', '活动名称'], width: 28 }),
      col({ key: 'date', header: '服务日期', required: true, width: 12 }),
      col({ key: 'startTime', header: '开始时间', width: 9 }),
      col({ key: 'endTime', header: '结束时间', width: 9 }),
      col({ key: 'place', header: '服务地点', width: 30 }),
      col({ key: 'content', header: '服务内容', width: 40 }),
      col({ key: 'hours', header: '服务时长（小时）', aliases: ['服务时长', '时长'], required: true, width: 12 }),
      col({ key: 'recordNo', header: '记录编号', aliases: ['服务记录编号', '时长记录编号'], width: 38, text: true }),
    ],
  },
  training: {
    sheet: '培训记录',
    columns: [
      col({ key: 'idNumber', header: '证件号码', width: 22, text: true }),
      col({ key: 'course', header: '培训名称', width: 28 }),
      col({ key: 'date', header: '培训日期', width: 12 }),
      col({ key: 'hours', header: '培训学时', width: 10 }),
      col({ key: 'organiser', header: '培训单位', width: 28 }),
    ],
  },
  honours: {
    sheet: '表彰奖励',
    columns: [
      col({ key: 'idNumber', header: '证件号码', width: 22, text: true }),
      col({ key: 'name', header: '表彰奖励名称', width: 28 }),
      col({ key: 'date', header: '获得日期', width: 12 }),
      col({ key: 'grantor', header: '授予单位', width: 28 }),
      col({ key: 'basis', header: '依据', width: 40 }),
    ],
  },
  complaints: {
    sheet: '投诉记录',
    columns: [
      col({ key: 'idNumber', header: '证件号码', width: 22, text: true }),
      col({ key: 'date', header: '日期', width: 12 }),
      col({ key: 'source', header: '来源', width: 16 }),
      col({ key: 'content', header: '内容', width: 40 }),
      col({ key: 'result', header: '处理结果', width: 20 }),
    ],
  },
} as const;

export type VolunteerKey = (typeof NATIONAL_LAYOUT.volunteers.columns)[number]['key'];
export type RecordKey = (typeof NATIONAL_LAYOUT.records.columns)[number]['key'];

/** The national system's 证件类型 for a resident ID card (the only kind the platform registers). */
export const ID_TYPE_RESIDENT = '居民身份证';
export const ID_TYPE_ALIASES = ['居民身份证', '身份证', '二代身份证', '中华人民共和国居民身份证'];

/** 政治面貌 as the national system writes it → the platform's three values (others read as 群众). */
export const POLITICAL_IN: Record<string, 'party' | 'league' | 'masses'> = {
  中共党员: 'party',
  中国共产党党员: 'party',
  党员: 'party',
  中共预备党员: 'party',
  预备党员: 'party',
  共青团员: 'league',
  中国共产主义青年团团员: 'league',
  团员: 'league',
};
export const POLITICAL_OUT: Record<'party' | 'league' | 'masses', string> = { party: '中共党员', league: '共青团员', masses: '群众' };

/** What one file may hold (the import runs in one transaction: all of it or none). */
export const EXCHANGE_LIMITS = { maxBytes: 10 * 1024 * 1024, maxVolunteers: 10_000, maxRecords: 50_000, maxErrorsShown: 500 };
/** What one batch export may hold; more asks the caller to narrow by site or date. */
export const EXPORT_LIMITS = { maxVolunteers: 20_000, maxRecords: 100_000 };
