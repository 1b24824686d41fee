import { Alert, Card, Skeleton, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { LoadFailure } from '../../../components/load-failure';
import { useCategoryName } from '../../../lib/categories';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useActivity, useTeamName } from '../api/activities-api';
import { ActivityActionsBar } from './activity-actions-bar';
import { ActivityFactsCard } from './activity-facts-card';
import { eligibilityOf, formatTimeRange } from './activity-format';
import { ActivityStateTag } from './activity-tags';
import { RatingsCard } from './ratings-card';
import { ReportEditorCard } from './report-editor-card';
import { SeriesCard } from './series-card';
import { SignupsCard } from './signups-card';
import './activities.css';

/** 活动详情 (admin): the facts, the actions its state allows, and the sign-up and attendance list. */
export function AdminActivityPage() {
  const { id } = useParams();
  const q = useActivity(id);
  const categoryName = useCategoryName();
  const team = useTeamName(q.data?.teamId);
  useDocumentTitle(q.data?.title ?? '活动详情');
  if (q.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (q.isError)
    return (
      <LoadFailure
        error={q.error}
        onRetry={() => void q.refetch()}
        title="找不到这个活动"
        subTitle="活动不存在，或不在您的管辖范围内。"
        back={{ to: '/admin/activities', label: '返回活动列表' }}
      />
    );
  const a = q.data;
  return (
    <div className="act-admin-detail">
      <div className="act-admin-back">
        <Link to="/admin/activities">
          <ArrowLeftOutlined /> 活动管理
        </Link>
      </div>
      <div className="page-header act-admin-head">
        <div style={{ minWidth: 0 }}>
          <Space size={8} wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="activity-title">
              {a.title}
            </Typography.Title>
            <ActivityStateTag activity={a} organiser />
          </Space>
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {formatTimeRange(a.startsAt, a.endsAt)} · {a.orgName}
          </Typography.Paragraph>
        </div>
        <div className="page-header-extra">
          <ActivityActionsBar a={a} />
        </div>
      </div>
      {a.state === 'draft' && <Alert type="warning" showIcon title="草稿：核对信息后点“发布”，居民和志愿者才能看到并报名。" style={{ marginBottom: 16 }} />}
      <ActivityFactsCard a={a} categoryName={categoryName(a.category)} teamName={team.data ?? undefined} rules={eligibilityOf(a, categoryName)} />
      {a.seriesId && <SeriesCard a={a} />}
      {a.state === 'finished' && <ReportEditorCard key={a.report?.publishedAt ?? 'new'} a={a} />}
      {a.state === 'finished' && <RatingsCard a={a} />}
      {a.state !== 'draft' && <SignupsCard a={a} />}
    </div>
  );
}
