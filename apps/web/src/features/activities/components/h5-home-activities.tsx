import { useMemo } from 'react';
import { Empty, Skeleton } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useCategoryName } from '../../../lib/categories';
import type { Community } from '../../../lib/my-community';
import { useDistrictOf } from '../../../lib/sites';
import { useActivityList } from '../api/activities-api';
import { H5ActivityCard } from './h5-activity-card';
import './activities.css';

/** 首页 · 近期活动: the next three published activities around my community (its district). */
export function H5HomeActivities({ community }: { community: Community }) {
  const center = useDistrictOf(community);
  const categoryName = useCategoryName();
  const from = useMemo(() => new Date().toISOString(), []);
  const q = useActivityList({ orgId: center.data?.id ?? community.id, from }, { limit: 3, enabled: !center.isPending });
  const items = q.data?.pages[0]?.items ?? [];
  return (
    <section data-testid="home-activities">
      <div className="h5-card-head" style={{ padding: '4px 4px 8px' }}>
        <span className="h5-card-title">近期活动</span>
        <Link to="/h5/activities" style={{ fontSize: 15 }}>
          更多 <RightOutlined />
        </Link>
      </div>
      {q.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <section className="h5-card">
          <Empty description="附近暂无即将开始的活动" />
        </section>
      ) : (
        items.map((a) => <H5ActivityCard key={a.id} activity={a} categoryName={categoryName} />)
      )}
    </section>
  );
}
