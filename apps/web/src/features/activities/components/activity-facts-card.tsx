import { Card, Descriptions, Typography } from 'antd';
import { ExportOutlined } from '@ant-design/icons';
import { formatCoord, formatDateTime } from '../../../lib/format';
import type { ActivityDto } from '../api/activities-api';
import { formatTimeRange } from './activity-format';
import { ActivityPhotos } from './activity-photos';
import { activityLink } from './share-sheet';
import { usePublicOrigin } from '../../../lib/public-origin';

/** The facts of an activity on its admin page, and the sign-up link once it is published. */
export function ActivityFactsCard({ a, categoryName, teamName, rules }: { a: ActivityDto; categoryName: string; teamName?: string; rules: string[] }) {
  usePublicOrigin(); // the recruitment link below carries the public address (PUBLIC_BASE_URL)
  return (
    <Card className="act-admin-card">
      <Descriptions
        column={{ xs: 1, md: 2, xl: 3 }}
        size="middle"
        items={[
          { key: 'cat', label: '服务类别', children: categoryName },
          { key: 'org', label: '举办阵地', children: a.orgName },
          { key: 'team', label: '承办队伍', children: a.teamId ? (teamName ?? '—') : '未指定' },
          { key: 'time', label: '活动时间', children: formatTimeRange(a.startsAt, a.endsAt) },
          { key: 'deadline', label: '报名截止', children: formatDateTime(a.signupDeadline) },
          { key: 'created', label: '创建时间', children: formatDateTime(a.createdAt) },
          {
            key: 'quota',
            label: '志愿者名额',
            children: (
              <span data-testid="volunteer-quota">
                已报 {a.volunteerRegistered} / {a.volunteerQuota}
              </span>
            ),
          },
          { key: 'pquota', label: '群众名额', children: a.publicQuota ? `已报 ${a.publicRegistered} / ${a.publicQuota}` : '不招群众' },
          { key: 'rules', label: '报名条件', children: rules.length ? rules.join('；') : '不限' },
          { key: 'addr', label: '活动地址', children: a.address ?? '—' },
          { key: 'coord', label: '位置', children: formatCoord(a.lat, a.lng) },
          { key: 'fence', label: '签到范围', children: a.geofenceM ? `活动地点 ${a.geofenceM} 米内` : '不限位置' },
          {
            key: 'desc',
            label: '活动介绍',
            span: 'filled',
            children: <div className="act-pre">{a.description || '—'}</div>,
          },
          ...(a.summary && !a.report
            ? [{ key: 'summary', label: '活动总结', span: 'filled' as const, children: <div className="act-pre">{a.summary}</div> }]
            : []),
          ...(a.photoIds.length
            ? [
                {
                  key: 'photos',
                  label: '活动图片',
                  span: 'filled' as const,
                  children: <ActivityPhotos ids={a.photoIds} alt={a.title} variant="strip" testId="activity-photos" />,
                },
              ]
            : []),
        ]}
      />
      {a.state === 'published' && (
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
          报名页：
          <Typography.Link href={activityLink(a.id)} target="_blank" copyable={{ text: activityLink(a.id), tooltips: ['复制', '已复制'] }}>
            {activityLink(a.id)} <ExportOutlined />
          </Typography.Link>
        </Typography.Paragraph>
      )}
    </Card>
  );
}
