import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Calendar, Card, Input, Segmented, Select, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { CalendarOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Link, useNavigate } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import type { ActivityState } from '@wenming/domain';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { QueryError } from '../../../components/query-error';
import { useCategories, useCategoryName } from '../../../lib/categories';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { isLeaderOnly } from '../../../lib/session';
import { useOrgParam, useUrlParams } from '../../../lib/use-url-params';
import { useActivityList, useActivityRange, type ActivityDto, type ActivityFilter } from '../api/activities-api';
import { ACTIVITY_STATE_NAMES, addChinaDays, chinaDate, chinaIso, chinaTime, formatTimeRange } from './activity-format';
import { ActivityStateTag } from './activity-tags';
import './activities.css';

const STATES: { value: ActivityState | 'all'; label: string }[] = [
  { value: 'all', label: '全部' },
  ...(['draft', 'published', 'finished', 'cancelled'] as const).map((s) => ({ value: s, label: ACTIVITY_STATE_NAMES[s] })),
];

const DOT: Record<ActivityState, 'default' | 'processing' | 'success' | 'error' | 'warning'> = {
  draft: 'default',
  published: 'success',
  finished: 'processing',
  cancelled: 'error',
};

function Quotas({ a }: { a: ActivityDto }) {
  return (
    <span className="act-admin-quotas">
      <span>
        志愿者 {a.volunteerRegistered}/{a.volunteerQuota}
      </span>
      {a.publicQuota > 0 && (
        <span>
          群众 {a.publicRegistered}/{a.publicQuota}
        </span>
      )}
    </span>
  );
}

function ListView({ filter, categoryName }: { filter: ActivityFilter; categoryName: (c: string) => string }) {
  const q = useActivityList(filter, { limit: 50 });
  return (
    <PagedTable<ActivityDto>
      query={q}
      rowKey="id"
      scroll={{ x: 1100 }}
      locale={{ emptyText: '没有符合条件的活动' }}
      data-testid="activity-table"
      columns={[
        {
          title: '活动名称',
          dataIndex: 'title',
          render: (t: string, a) => (
            <>
              <Link to={`/admin/activities/${a.id}`} className="act-admin-title">
                {t}
              </Link>
              {a.seriesId && (
                <Tag color="purple" style={{ marginInlineStart: 8 }}>
                  每周
                </Tag>
              )}
            </>
          ),
        },
        { title: '类别', dataIndex: 'category', width: 120, render: (c: string) => <Tag>{categoryName(c)}</Tag> },
        { title: '时间', key: 'when', width: 250, render: (_: unknown, a) => formatTimeRange(a.startsAt, a.endsAt) },
        { title: '阵地', dataIndex: 'orgName', width: 230, ellipsis: true },
        { title: '报名', key: 'quota', width: 180, render: (_: unknown, a) => <Quotas a={a} /> },
        { title: '状态', dataIndex: 'state', width: 100, render: (_: ActivityState, a) => <ActivityStateTag activity={a} organiser /> },
      ]}
    />
  );
}

/** The month shown: its first day and the China-time range the calendar grid covers (6 weeks). */
function gridRange(month: string): { from: string; to: string } {
  const first = `${month}-01`;
  const d = new Date(`${first}T12:00:00+08:00`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday first (zh-CN)
  const start = addChinaDays(first, -weekday);
  return { from: chinaIso(start, '00:00:00'), to: chinaIso(addChinaDays(start, 41), '23:59:59') };
}

function CalendarView({ filter, categoryName }: { filter: ActivityFilter; categoryName: (c: string) => string }) {
  const navigate = useNavigate();
  const [month, setMonth] = useState(() => chinaDate(new Date()).slice(0, 7));
  const range = gridRange(month);
  const q = useActivityRange({ ...filter, ...range });
  const byDay = useMemo(() => {
    const m = new Map<string, ActivityDto[]>();
    for (const a of q.data?.items ?? []) {
      // An activity over several days shows on each of them.
      for (let d = chinaDate(a.startsAt), end = chinaDate(a.endsAt), i = 0; d <= end && i < 31; d = addChinaDays(d, 1), i++) m.set(d, [...(m.get(d) ?? []), a]);
    }
    return m;
  }, [q.data]);
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Spin spinning={q.isFetching}>
      {q.data?.truncated && <Alert type="warning" showIcon title="本月活动较多，只显示前 1000 个，请按类别或状态筛选。" style={{ marginBottom: 12 }} />}
      <Calendar
        className="act-calendar"
        mode="month"
        onPanelChange={(d: Dayjs, mode) => mode === 'month' && setMonth(d.format('YYYY-MM'))}
        onSelect={(d: Dayjs, info) => {
          if (info.source === 'month') setMonth(d.format('YYYY-MM'));
        }}
        cellRender={(d: Dayjs, info) => {
          if (info.type !== 'date') return info.originNode;
          const list = byDay.get(d.format('YYYY-MM-DD')) ?? [];
          if (!list.length) return null;
          return (
            <ul className="act-cal-list">
              {list.slice(0, 4).map((a) => (
                <li key={a.id}>
                  <Tooltip title={`${formatTimeRange(a.startsAt, a.endsAt)} · ${categoryName(a.category)} · ${a.orgName}`}>
                    <a
                      className={`act-cal-item ${a.state}`}
                      href={`/admin/activities/${a.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        e.stopPropagation();
                        navigate(`/admin/activities/${a.id}`);
                      }}
                      data-testid="calendar-activity"
                    >
                      <Badge status={DOT[a.state]} />
                      <span className="act-cal-time">{chinaTime(a.startsAt)}</span>
                      <span className="act-cal-title">{a.title}</span>
                    </a>
                  </Tooltip>
                </li>
              ))}
              {list.length > 4 && <li className="act-cal-more">另有 {list.length - 4} 个</li>}
            </ul>
          );
        }}
      />
    </Spin>
  );
}

/** 活动管理: activities of the caller's sites, as a list (with state filter) or a month calendar. */
export function AdminActivitiesPage({ me }: { me: MeDto }) {
  useDocumentTitle('活动管理');
  const navigate = useNavigate();
  const [params, set] = useUrlParams();
  const view = params.get('view') === 'calendar' ? 'calendar' : 'list';
  const state = (params.get('state') ?? 'all') as ActivityState | 'all';
  const category = params.get('category') ?? undefined;
  const [orgId, setOrg] = useOrgParam(me);
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 350);
  const categories = useCategories();
  const categoryName = useCategoryName();
  // 队长 see what their teams organise (and what they created), not a site's whole subtree.
  const leader = isLeaderOnly(me);
  const filter: ActivityFilter = { ...(leader ? { organized: true } : { orgId }), state: state === 'all' ? undefined : state, category, q: q || undefined };

  return (
    <div>
      <PageHeader
        title="活动管理"
        description="组织志愿服务活动：新建草稿、发布招募、现场扫码签到，结束后按出勤生成服务时长。"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/admin/activities/new')} data-testid="activity-new">
            新建活动
          </Button>
        }
      />
      <Card>
        <div className="act-admin-filters">
          <Space wrap size={12}>
            <Segmented
              value={view}
              onChange={(v) => set({ view: v === 'calendar' ? 'calendar' : null })}
              options={[
                { value: 'list', label: '列表', icon: <UnorderedListOutlined /> },
                { value: 'calendar', label: '日历', icon: <CalendarOutlined /> },
              ]}
              data-testid="activity-view"
            />
            <Segmented value={state} onChange={(v) => set({ state: v === 'all' ? null : String(v) })} options={STATES} data-testid="activity-state-filter" />
          </Space>
          <Space wrap size={12}>
            {!leader && <OrgSearchSelect value={orgId} allowClear placeholder="全部阵地" style={{ width: 260 }} onChange={setOrg} />}
            <CategoryFilter
              value={category}
              onChange={(c) => set({ category: c })}
              options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
            />
            <Input.Search
              allowClear
              placeholder="搜索名称、地点"
              value={input}
              onChange={(e) => setInput(e.target.value)}
              style={{ width: 220 }}
              data-testid="activity-admin-search"
            />
          </Space>
        </div>
        {view === 'list' ? <ListView filter={filter} categoryName={categoryName} /> : <CalendarView filter={filter} categoryName={categoryName} />}
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
          {leader
            ? `显示您带领的队伍（${me.ledTeams.map((t) => t.name).join('、')}）承办的活动，以及您创建的活动。`
            : orgId
              ? '显示所选阵地及其下级阵地的活动。'
              : '显示您可见的全部活动。'}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}

function CategoryFilter({
  value,
  onChange,
  options,
}: {
  value?: string;
  onChange: (v: string | undefined) => void;
  options: { value: string; label: string }[];
}) {
  return <Select allowClear placeholder="全部类别" value={value} onChange={(v: string | undefined) => onChange(v)} options={options} style={{ width: 160 }} />;
}
