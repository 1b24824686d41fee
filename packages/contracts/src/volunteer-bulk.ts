import { z } from 'zod';
import { ZId, ZListQuery } from './common.ts';

/**
 * Bulk work on volunteers: the Excel/CSV import (a background job with progress and row-level
 * errors), the filtered export, and the 党员双报到 view of party members by work unit.
 */

/** The import sheet's columns, in template order; the first four are required. */
export const VOLUNTEER_IMPORT_COLUMNS = [
  { key: 'realName', header: '姓名', required: true },
  { key: 'idNumber', header: '身份证号', required: true },
  { key: 'phone', header: '手机号', required: true },
  { key: 'site', header: '报到阵地', required: true },
  { key: 'skills', header: '技能', required: false },
  { key: 'politicalStatus', header: '政治面貌', required: false },
  { key: 'workUnit', header: '工作单位', required: false },
  { key: 'team', header: '团队', required: false },
] as const;
export type VolunteerImportField = (typeof VOLUNTEER_IMPORT_COLUMNS)[number]['key'] | 'row';

/** Limits of one import file. */
export const VOLUNTEER_IMPORT_MAX_BYTES = 10 * 1024 * 1024;
export const VOLUNTEER_IMPORT_MAX_ROWS = 50_000;

export const IMPORT_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

export interface ImportRowError {
  /** The row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  /** The column the problem is in (`row` when it concerns the whole row). */
  field: VolunteerImportField;
  /** Why, in Chinese. */
  reason: string;
}

export interface VolunteerImportDto {
  id: string;
  fileName: string;
  state: ImportState;
  /** Data rows in the file (blank rows are not counted). */
  total: number;
  processed: number;
  imported: number;
  failed: number;
  /** Why the job failed as a whole (state `failed`). */
  message: string | null;
  /** Row errors, in row order; at most 1,000 (the errors.xlsx download has them all). */
  errors: ImportRowError[];
  errorsTruncated: boolean;
  createdAt: string;
  finishedAt: string | null;
}

export const ZPartyUnitsQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  q: z.string().trim().max(50).optional(),
});

export interface PartyMemberDto {
  id: string;
  realName: string;
  phone: string;
  orgId: string;
  orgName: string;
  totalHours: number;
  /** Verified service records. */
  serviceCount: number;
  status: 'active' | 'suspended';
}

export interface PartyUnitDto {
  /** The work unit as recorded; null groups party members who gave none. */
  workUnit: string | null;
  memberCount: number;
  totalHours: number;
  serviceCount: number;
  /** The unit's members, most hours first (at most 200). */
  members: PartyMemberDto[];
}
