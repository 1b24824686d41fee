import { describe, expect, it } from 'vitest';
import { periodOfHour, rankCandidates, scoreTeam, scoreVolunteer } from '../src/index.ts';

const team = {
  kind: 'team' as const,
  id: 't',
  name: '队',
  categoryMatch: true,
  levelsAbove: 0,
  onMenuItem: false,
  memberCount: 5,
  avgRating: null,
  ratedCount: 0,
  openOrders: 0,
  orgName: '站',
};
const vol = {
  kind: 'volunteer' as const,
  id: 'v',
  name: '人',
  skillMatch: true,
  distanceM: 500,
  radiusM: 5000,
  availableNow: false,
  avgRating: null,
  ratedCount: 0,
  openOrders: 0,
};

describe('matching scores', () => {
  it('scores a team by the documented parts, each with a reason', () => {
    const c = scoreTeam(team);
    expect(c.score).toBe(40 + 30 + 5);
    expect(c.reasons).toEqual(['服务类别对口', '本阵地队伍（站）', '队员 5 人', '暂无评价记录', '当前无在办工单']);
    expect(scoreTeam({ ...team, levelsAbove: 2, orgName: '中心' }).score).toBe(40 + 14 + 5);
    expect(scoreTeam({ ...team, onMenuItem: true }).score).toBe(95);
    expect(scoreTeam({ ...team, avgRating: 5, ratedCount: 3 }).score).toBe(85);
    expect(scoreTeam({ ...team, openOrders: 10 }).score).toBe(55);
  });
  it('prefers nearer, available, better-rated volunteers', () => {
    expect(scoreVolunteer(vol).score).toBe(67);
    expect(scoreVolunteer({ ...vol, distanceM: 5000 }).score).toBe(40);
    expect(scoreVolunteer({ ...vol, availableNow: true }).score).toBe(77);
    expect(scoreVolunteer({ ...vol, avgRating: 2, ratedCount: 1 }).score).toBe(62);
    expect(scoreVolunteer(vol).reasons[1]).toBe('距离约 500 米');
    expect(scoreVolunteer({ ...vol, distanceM: 2345 }).reasons[1]).toBe('距离约 2.3 公里');
  });
  it('ranks best first', () => {
    const ranked = rankCandidates([scoreVolunteer({ ...vol, distanceM: 4000 }), scoreTeam(team), scoreVolunteer(vol)]);
    expect(ranked.map((c) => c.score)).toEqual([75, 67, 46]);
  });
  it('maps hours to availability periods', () => {
    expect([5, 6, 11, 12, 17, 18, 21, 22].map(periodOfHour)).toEqual([null, 'morning', 'morning', 'afternoon', 'afternoon', 'evening', 'evening', null]);
  });
});
