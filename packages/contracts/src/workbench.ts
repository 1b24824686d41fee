/**
 * 工作台 (issue 19): a staff member's home after sign-in — what needs doing now in their scope
 * (to-dos with counts), today's figures beside yesterday's, and the activities coming up. The
 * web maps each to-do's key to the page that does it.
 */

/** What a to-do is; the console links each to its page. */
export const WORKBENCH_TODO_KEYS = [
  'orders_to_dispatch',
  'orders_overdue',
  'orders_due_soon',
  'orders_low_rated',
  'dept_overdue',
  'records_pending',
  'bookings_pending',
  'redemptions_pending',
  'dept_to_sign',
  'dept_in_progress',
  'dept_stage_overdue',
] as const;
export type WorkbenchTodoKey = (typeof WORKBENCH_TODO_KEYS)[number];

export interface WorkbenchTodoDto {
  key: WorkbenchTodoKey;
  /** 待派单, 超时工单… */
  label: string;
  count: number;
  /** What the count means, one line. */
  hint: string;
  /** Needs doing first (overdue, or waiting on the caller). */
  urgent: boolean;
}

export interface WorkbenchFigureDto {
  key: 'orders_new' | 'orders_closed' | 'service_hours' | 'activity_signups';
  label: string;
  unit: string;
  today: number;
  yesterday: number;
}

export interface WorkbenchActivityDto {
  id: string;
  title: string;
  orgName: string;
  startsAt: string;
  signups: number;
}

export interface WorkbenchDto {
  /** The caller's roles here, in Chinese (调度员、阵地管理员、职能部门专员、志愿服务队队长、超级管理员). */
  roles: string[];
  /** Where the counts are taken: the caller's sites and departments, by name. */
  scope: string[];
  todos: WorkbenchTodoDto[];
  /** Today (China day) beside yesterday, in the caller's scope; empty for a department officer. */
  figures: WorkbenchFigureDto[];
  /** Published activities of the coming seven days in the caller's scope, soonest first (at most 6). */
  upcoming: WorkbenchActivityDto[];
  generatedAt: string;
}
