import { Tag } from 'antd';
import type { ActivityDto, MySignup } from '../api/activities-api';
import { phaseOf } from './activity-format';

/** The state, and for a published activity where it stands in time (报名中, 进行中 …). */
export function ActivityStateTag({
  activity,
  organiser,
}: {
  activity: Pick<ActivityDto, 'state' | 'signupDeadline' | 'startsAt' | 'endsAt'>;
  organiser?: boolean;
}) {
  const p = phaseOf(activity, { organiser });
  return (
    <Tag color={p.color} style={{ marginInlineEnd: 0 }} data-testid="activity-state" data-state={activity.state}>
      {p.label}
    </Tag>
  );
}

/** 已报名 · 候补第 2 位 · 已签到 · 已签退 */
export function MySignupTag({ signup }: { signup: MySignup }) {
  if (signup.status === 'waitlisted')
    return (
      <Tag color="orange" style={{ marginInlineEnd: 0 }} data-testid="my-signup-tag">
        候补第 {signup.position ?? '?'} 位
      </Tag>
    );
  const label = signup.checkoutAt ? '已签退' : signup.checkinAt ? '已签到' : '已报名';
  return (
    <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="my-signup-tag">
      {label}
    </Tag>
  );
}
