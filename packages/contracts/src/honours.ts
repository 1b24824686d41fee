import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZListQuery } from './common.ts';

/** 评选表彰: selection rounds, nominations by sites, review, public voting, the honour roll. */

const ZDay = z.iso.date({ message: msg('日期格式应为 YYYY-MM-DD', 'Use YYYY-MM-DD') });
const text = (max: number, zh: string) =>
  z
    .string()
    .trim()
    .min(1, { message: msg(`请填写${zh}`, 'Must not be empty') })
    .max(max, { message: msg(`${zh}最多${max}个字`, `At most ${max} characters`) });

export const HONOUR_KIND_NAMES = { volunteer: '志愿者', team: '志愿服务队' } as const;
export const HONOUR_ROUND_STATE_NAMES = { nominating: '推荐中', voting: '投票中', closed: '已结束' } as const;
export const NOMINATION_STATUS_NAMES = { pending: '待审核', approved: '已通过', rejected: '未通过', awarded: '获评' } as const;

export const ZCreateHonourRoundBody = z
  .object({
    orgId: ZId,
    title: text(100, '评选名称'),
    kind: z.enum(['volunteer', 'team']),
    description: text(2000, '评选说明').nullish(),
    votingStartsOn: ZDay,
    votingEndsOn: ZDay,
  })
  .refine((b) => b.votingEndsOn >= b.votingStartsOn, { path: ['votingEndsOn'], message: msg('投票结束日期不能早于开始日期', 'Voting ends after it starts') });
export type TCreateHonourRoundBody = z.infer<typeof ZCreateHonourRoundBody>;

export const ZListHonourRoundsQuery = ZListQuery.extend({ state: z.enum(['nominating', 'voting', 'closed']).optional() });

export const ZCreateNominationBody = z.object({
  /** The nominating site (its org admins nominate); the nominee belongs to it. */
  orgId: ZId,
  volunteerId: ZId.nullish(),
  teamId: ZId.nullish(),
  reason: text(2000, '推荐理由'),
});
export type TCreateNominationBody = z.infer<typeof ZCreateNominationBody>;

export const ZReviewNominationBody = z.object({ decision: z.enum(['approve', 'reject']), note: text(200, '审核意见').nullish() });
export const ZAwardNominationBody = z.object({ award: text(50, '荣誉称号') });

export interface HonourRoundDto {
  id: string;
  orgId: string;
  orgName: string;
  title: string;
  kind: 'volunteer' | 'team';
  description: string | null;
  state: 'nominating' | 'voting' | 'closed';
  votingStartsOn: string;
  votingEndsOn: string;
  nominationCount: number;
  /** Whether the caller may vote today, and whether they already did. */
  votedToday: boolean;
  allowedActions: string[];
}

export interface NominationDto {
  id: string;
  roundId: string;
  orgId: string;
  orgName: string;
  nominee: { kind: 'volunteer' | 'team'; id: string; name: string };
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'awarded';
  votes: number;
  reviewNote: string | null;
  award: string | null;
  allowedActions: string[];
}

export interface HonourDto {
  roundId: string;
  roundTitle: string;
  award: string;
  nominee: { kind: 'volunteer' | 'team'; id: string; name: string };
  orgName: string;
  awardedOn: string;
}
