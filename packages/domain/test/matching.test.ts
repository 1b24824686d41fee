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
  it('scores by geography: a neighbour by its distance, the district and city fallbacks low and with a warning (issue 18)', () => {
    const near = scoreTeam({ ...team, reach: 'near', distanceM: 220, nearRadiusM: 3000, orgLevel: 'station', orgName: '体育路社区' });
    expect(near.reasons[1]).toBe('距离 220 米 · 邻近社区（体育路社区）');
    expect(near.warning).toBeUndefined();
    expect(near.score).toBeCloseTo(40 + 4 + 22 * (1 - 220 / 3000) + 5, 1);
    expect(near.score).toBeLessThan(scoreTeam(team).score);
    const district = scoreTeam({ ...team, reach: 'district', distanceM: 5600, orgName: '北营街道' });
    expect(district.reasons[1]).toBe('距离 5.6 公里 · 本区县其他阵地队伍（北营街道）');
    expect(district.warning).toBe('附近没有对口队伍，已扩大到本区县范围');
    const city = scoreTeam({ ...team, reach: 'city', distanceM: 64_000, orgName: '小井峪' });
    expect(city.warning).toBe('本区县没有对口队伍，已扩大到全市范围');
    expect(city.score).toBeLessThan(district.score);
    expect(scoreTeam({ ...team, reach: 'city', distanceM: 20_000 }).score).toBeGreaterThan(city.score);
  });
  it('warns about a volunteer beyond the radius', () => {
    expect(scoreVolunteer(vol).warning).toBeUndefined();
    expect(scoreVolunteer({ ...vol, distanceM: 12_300 }).warning).toBe('超出 5.0 公里服务半径（距离 12.3 公里），请确认能否到场');
  });
  it('maps hours to availability periods', () => {
    expect([5, 6, 11, 12, 17, 18, 21, 22].map(periodOfHour)).toEqual([null, 'morning', 'morning', 'afternoon', 'afternoon', 'evening', 'evening', null]);
  });
});
