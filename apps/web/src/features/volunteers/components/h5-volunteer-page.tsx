import { Button, Empty, Progress, Result, Skeleton, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { POLITICAL_STATUS_NAMES, type MeDto } from '@wenming/contracts';
import { STAR_THRESHOLDS } from '@wenming/domain';
import { QueryError } from '../../../components/query-error';
import { useCategoryName } from '../../../lib/categories';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useMyPoints, useMyVolunteer, useVolunteerRecords } from '../api/volunteers-api';
import { RecordStatusTag, SOURCE_NAMES, Stars } from './record-status-tag';
import './volunteers.css';

function Records({ volunteerId }: { volunteerId: string }) {
  const q = useVolunteerRecords(volunteerId);
  if (q.isPending) return <Skeleton active />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data.pages.flatMap((p) => p.items);
  if (!items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有服务记录，接单或参加活动后会记在这里" />;
  return (
    <>
      <ul className="vol-records" data-testid="volunteer-records">
        {items.map((r) => (
          <li key={r.id} className="vol-record">
            <div className="vol-record-main">
              <span className="vol-record-title">{r.title ?? SOURCE_NAMES[r.source]}</span>
              <span className="vol-record-meta">
                {SOURCE_NAMES[r.source]} · {formatDateTime(r.endedAt ?? r.createdAt)}
              </span>
              {r.decisionNote && r.status !== 'verified' && <span className="vol-record-meta">说明：{r.decisionNote}</span>}
            </div>
            <div className="vol-record-side">
              <span className="vol-record-hours">{r.hours}h</span>
              <RecordStatusTag status={r.status} />
            </div>
          </li>
        ))}
      </ul>
      {q.hasNextPage && (
        <Button block type="text" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
          加载更多
        </Button>
      )}
    </>
  );
}

/** 我的志愿: star level, hours, points, teams and the service records. */
export function H5VolunteerPage({ me }: { me: MeDto }) {
  useDocumentTitle('我的志愿');
  const v = useMyVolunteer();
  const points = useMyPoints(!!v.data);
  const categoryName = useCategoryName();
  if (v.isPending)
    return (
      <div className="h5-page">
        <section className="h5-card" style={{ marginTop: 12 }}>
          <Skeleton active />
        </section>
      </div>
    );
  if (v.isError)
    return (
      <div className="h5-page">
        <QueryError error={v.error} onRetry={() => void v.refetch()} />
      </div>
    );
  if (!v.data)
    return (
      <Result
        status="info"
        title="您还不是志愿者"
        subTitle="报到成为新时代文明实践志愿者，就近参加服务、积累志愿时长。"
        extra={
          <Link to="/h5/volunteer/register">
            <Button type="primary" size="large">
              志愿者报到
            </Button>
          </Link>
        }
      />
    );
  const d = v.data;
  const next = STAR_THRESHOLDS.find((t) => d.totalHours < t);
  const prev = [0, ...STAR_THRESHOLDS].filter((t) => t <= d.totalHours).at(-1) ?? 0;
  const pct = next ? Math.min(100, Math.round(((d.totalHours - prev) / (next - prev)) * 100)) : 100;

  return (
    <div className="h5-page">
      <section className="vol-hero" data-testid="volunteer-hero">
        <div className="vol-hero-name">
          {d.realName}
          {d.status === 'suspended' && <Tag color="default">已暂停服务</Tag>}
        </div>
        <Stars star={d.star} size="large" />
        <div className="vol-hero-org">{d.orgName}</div>
        <div className="vol-stats">
          <div>
            <b data-testid="volunteer-hours">{d.totalHours}</b>
            <span>累计时长（小时）</span>
          </div>
          <div>
            <b data-testid="volunteer-star">{d.star}</b>
            <span>星级</span>
          </div>
          <div>
            <Link to="/h5/points" data-testid="volunteer-points-link" style={{ color: 'inherit', display: 'flex', flexDirection: 'column' }}>
              <b data-testid="volunteer-points">{points.data?.balance ?? d.points}</b>
              <span>积分 · 去兑换 ›</span>
            </Link>
          </div>
        </div>
        <div className="vol-next">
          {d.hoursToNextStar === null ? (
            '已是最高星级，感谢您的长期奉献！'
          ) : (
            <>
              再服务 <b>{d.hoursToNextStar}</b> 小时升为 {d.star + 1} 星志愿者
              <Progress percent={pct} showInfo={false} size="small" strokeColor="#ffd54f" railColor="rgba(255,255,255,0.3)" />
            </>
          )}
        </div>
      </section>

      {d.status === 'suspended' && d.statusReason && <section className="h5-card vol-suspended">暂停原因：{d.statusReason}</section>}

      <section className="h5-card">
        <div className="h5-card-head">
          <span className="h5-card-title">我的队伍</span>
        </div>
        {d.teams.length ? (
          <div className="h5-chips">
            {d.teams.map((t) => (
              <Tag key={t.id} color="red" className="vol-team-tag">
                {t.name}
              </Tag>
            ))}
          </div>
        ) : (
          <span className="vol-muted">还没有加入队伍，实践站会根据您的技能邀请您加入。</span>
        )}
        <div className="vol-skills">
          <span className="vol-muted">服务技能：</span>
          {d.skills.map((s) => categoryName(s)).join('、') || '—'}
          {d.specialties.length > 0 && (
            <>
              <br />
              <span className="vol-muted">特长：</span>
              {d.specialties.join('、')}
            </>
          )}
          {d.politicalStatus && (
            <>
              <br />
              <span className="vol-muted">政治面貌：</span>
              {POLITICAL_STATUS_NAMES[d.politicalStatus]}
              {d.workUnit ? `（${d.workUnit}）` : ''}
            </>
          )}
        </div>
      </section>

      <section className="h5-card">
        <div className="h5-card-head">
          <span className="h5-card-title">服务记录</span>
          {me.volunteerId && (
            <Link to="/h5/tasks" className="h5-card-hint">
              去看任务
            </Link>
          )}
        </div>
        <Records volunteerId={d.id} />
      </section>
    </div>
  );
}
