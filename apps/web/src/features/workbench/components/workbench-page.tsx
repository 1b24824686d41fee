import type { ReactNode } from 'react';
import { Button, Card, Col, Empty, List, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  BarChartOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  FundProjectionScreenOutlined,
  PlusOutlined,
  ReloadOutlined,
  ScheduleOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { MeDto, WorkbenchDto, WorkbenchTodoKey } from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { formatDateTime } from '../../../lib/format';
import { isDeptOfficer, isStaff } from '../../../lib/session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useRecentNotices, useWorkbench } from '../api/workbench-api';
import './workbench.css';

export const WORKBENCH_PATH = '/admin/workbench';

/** Where each to-do is done. */
const TODO_LINKS: Record<WorkbenchTodoKey, string> = {
  orders_overdue: '/admin/dispatch',
  orders_to_dispatch: '/admin/dispatch',
  orders_due_soon: '/admin/dispatch',
  dept_overdue: '/admin/dispatch',
  orders_low_rated: '/admin/dispatch',
  records_pending: '/admin/records',
  bookings_pending: '/admin/bookings',
  redemptions_pending: '/admin/points/fulfil',
  dept_to_sign: '/admin/dept-work',
  dept_in_progress: '/admin/dept-work',
  dept_stage_overdue: '/admin/dept-work',
};

function Todos({ todos }: { todos: WorkbenchDto['todos'] }) {
  return (
    <Row gutter={[12, 12]} data-testid="workbench-todos">
      {todos.map((t) => (
        <Col key={t.key} xs={12} md={8} xl={6}>
          <Link to={TODO_LINKS[t.key]} className="workbench-todo-link" aria-label={`${t.label} ${t.count} 项，前往处理`}>
            <Card size="small" hoverable className={t.urgent ? 'workbench-todo urgent' : 'workbench-todo'} data-testid="workbench-todo" data-key={t.key}>
              <Statistic title={t.label} value={t.count} suffix="项" />
              <Typography.Text type="secondary" className="workbench-todo-hint">
                {t.hint}
              </Typography.Text>
            </Card>
          </Link>
        </Col>
      ))}
    </Row>
  );
}

function Figures({ figures }: { figures: WorkbenchDto['figures'] }) {
  return (
    <Card size="small" title="今日数据" extra={<Typography.Text type="secondary">与昨日同期全天相比</Typography.Text>} data-testid="workbench-figures">
      <Row gutter={[12, 12]}>
        {figures.map((f) => {
          const diff = Math.round((f.today - f.yesterday) * 10) / 10;
          return (
            <Col key={f.key} xs={12} md={6}>
              <Statistic title={f.label} value={f.today} suffix={f.unit} />
              <Typography.Text type="secondary" className="workbench-figure-yesterday">
                昨日 {f.yesterday} {f.unit}
                {diff !== 0 && (
                  <span className={diff > 0 ? 'workbench-up' : 'workbench-down'}>
                    {diff > 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />}
                    {Math.abs(diff)}
                  </span>
                )}
              </Typography.Text>
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}

function Shortcuts({ me }: { me: MeDto }) {
  const items: { to: string; icon: ReactNode; label: string }[] = [];
  if (isStaff(me))
    items.push(
      { to: '/admin/dispatch', icon: <ScheduleOutlined />, label: '调度台' },
      { to: '/admin/activities/new', icon: <PlusOutlined />, label: '发布活动' },
      { to: '/admin/records', icon: <ClockCircleOutlined />, label: '时长审核' },
      { to: '/admin/stats', icon: <BarChartOutlined />, label: '统计分析' },
    );
  else if (me.ledTeams.length)
    // 队长: their teams' activities and members' hours (a department officer has neither).
    items.push(
      { to: '/admin/records', icon: <ClockCircleOutlined />, label: '时长审核' },
      { to: '/admin/activities', icon: <CalendarOutlined />, label: '活动管理' },
    );
  if (isDeptOfficer(me)) items.push({ to: '/admin/dept-work', icon: <SolutionOutlined />, label: '部门工作台' });
  return (
    <Card size="small" title="快捷入口">
      <Space wrap>
        {items.map((s) => (
          <Link key={s.to} to={s.to}>
            <Button icon={s.icon}>{s.label}</Button>
          </Link>
        ))}
        {isStaff(me) && (
          <a href="/screen/dashboard" target="_blank" rel="noreferrer">
            <Button icon={<FundProjectionScreenOutlined />}>数据大屏</Button>
          </a>
        )}
      </Space>
    </Card>
  );
}

function Upcoming({ items }: { items: WorkbenchDto['upcoming'] }) {
  return (
    <Card size="small" title="即将开始的活动（7天内）" extra={<Link to="/admin/activities">全部活动</Link>} data-testid="workbench-upcoming">
      {items.length ? (
        <List
          size="small"
          dataSource={items}
          renderItem={(a) => (
            <List.Item extra={<Tag color={a.signups ? 'blue' : 'default'}>已报名 {a.signups} 人</Tag>}>
              <List.Item.Meta title={<Link to={`/admin/activities/${a.id}`}>{a.title}</Link>} description={`${formatDateTime(a.startsAt)} · ${a.orgName}`} />
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="7天内没有已发布的活动" />
      )}
    </Card>
  );
}

function Notices() {
  const q = useRecentNotices();
  const items = (q.data?.items ?? []).slice(0, 6);
  return (
    <Card size="small" title="最新通知" data-testid="workbench-notices">
      {q.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : items.length ? (
        <List
          size="small"
          dataSource={items}
          renderItem={(n) => (
            <List.Item>
              <List.Item.Meta
                title={n.refType === 'order' && n.refId ? <Link to={`/admin/orders/${n.refId}`}>{n.title}</Link> : <Typography.Text>{n.title}</Typography.Text>}
                description={
                  <>
                    {!n.read && <Tag color="red">未读</Tag>}
                    {formatDateTime(n.at)}
                  </>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无通知" />
      )}
    </Card>
  );
}

/** 工作台: what needs doing now for the signed-in staff member's role, with links to do it. */
export function WorkbenchPage({ me }: { me: MeDto }) {
  useDocumentTitle('工作台');
  const q = useWorkbench();
  const w = q.data;
  const urgent = w?.todos.filter((t) => t.urgent).reduce((n, t) => n + t.count, 0) ?? 0;
  return (
    <div className="workbench">
      <PageHeader
        title="工作台"
        description={w ? `${me.name}（${w.roles.join('、')}）· ${w.scope.join('、')}` : `${me.name}，您好`}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} loading={q.isFetching}>
            刷新
          </Button>
        }
      />
      {q.isError && !w ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : !w ? (
        <Skeleton active />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Typography.Paragraph className="workbench-summary" data-testid="workbench-summary">
            {urgent > 0 ? `今天有 ${urgent} 项需要优先处理（红色标记），点击卡片直接前往。` : '暂无需要优先处理的事项。'}
          </Typography.Paragraph>
          <Todos todos={w.todos} />
          {w.figures.length > 0 && <Figures figures={w.figures} />}
          <Row gutter={[16, 16]}>
            {isStaff(me) && (
              <Col xs={24} lg={12}>
                <Upcoming items={w.upcoming} />
              </Col>
            )}
            <Col xs={24} lg={isStaff(me) ? 12 : 24}>
              <Notices />
            </Col>
          </Row>
          <Shortcuts me={me} />
        </Space>
      )}
    </div>
  );
}
