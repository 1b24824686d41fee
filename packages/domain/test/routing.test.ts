import { describe, expect, it } from 'vitest';
import { DEPARTMENT_MIN_SAMPLE, keywordHits, rankDepartments, scoreDepartment, stageReminderAt, type DepartmentFacts } from '../src/index.ts';

const dept = (over: Partial<DepartmentFacts>): DepartmentFacts => ({
  id: 'd',
  name: '部门',
  categories: [],
  natures: [],
  keywords: [],
  levelsAbove: 1,
  areaName: '小店区',
  openOrders: 0,
  ...over,
});

describe('routing directory (派单目录)', () => {
  const noise = { text: '楼下烧烤摊每天晚上闹到凌晨两点，噪音扰民，投诉多次没人管', category: 'environment', nature: 'complaint' };

  it('finds keywords case-insensitively, once each, ignoring blanks', () => {
    expect(keywordHits('Noise 噪音 噪音', ['noise', '噪音', ' ', '占道'])).toEqual(['noise', '噪音']);
  });

  it('scores keyword, category, nature and area with the reasons a dispatcher reads', () => {
    const c = scoreDepartment(
      noise,
      dept({ name: '小店区生态环境分局', keywords: ['噪音', '扰民', '油烟'], categories: ['environment'], natures: ['complaint'] }),
      {
        category: '卫生环保',
        nature: '投诉',
      },
    )!;
    expect(c.score).toBe(50 + 30 + 15 + 7 - 0);
    expect(c.reasons[0]).toBe('诉求提到「噪音」「扰民」，属本部门职责');
    expect(c.reasons).toContain('负责「卫生环保」类诉求');
    expect(c.reasons).toContain('受理投诉');
    expect(c.strong).toBe(true);
  });

  it('leaves out a department with nothing in common, and ranks the responsible one first', () => {
    const housing = dept({ id: 'h', name: '住建局', keywords: ['物业', '电梯'], categories: ['poverty'] });
    const env = dept({ id: 'e', name: '生态环境分局', keywords: ['噪音'], natures: ['complaint'] });
    const petitions = dept({ id: 'p', name: '信访局', natures: ['complaint', 'petition'], levelsAbove: 0, openOrders: 30 });
    expect(scoreDepartment(noise, housing)).toBeNull();
    const ranked = rankDepartments([housing, env, petitions].map((d) => scoreDepartment(noise, d)));
    expect(ranked.map((r) => r.id)).toEqual(['e', 'p']);
    expect(ranked[1]!.strong).toBe(false);
    expect(ranked[1]!.reasons).toContain('当前在办 30 件');
  });

  it('needs a minimum sample for a rate, and reminds at three quarters of a stage', () => {
    expect(DEPARTMENT_MIN_SAMPLE).toBeGreaterThan(1);
    expect(stageReminderAt(new Date('2026-12-01T00:00:00Z'), new Date('2026-12-01T04:00:00Z')).toISOString()).toBe('2026-12-01T03:00:00.000Z');
  });
});
