import { Tag } from 'antd';
import { CameraOutlined, StarFilled } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { photoUrl } from '../../../components/photo-upload';
import type { ActivityDto } from '../api/activities-api';
import { formatDay, placeOf } from './activity-format';

/** One 活动风采 entry: the cover picture, the title, when and where, the start of the report, the rating. */
export function H5ReportCard({ activity: a, categoryName }: { activity: ActivityDto; categoryName: (code: string) => string }) {
  const photos = a.report?.photoIds.length ? a.report.photoIds : a.photoIds;
  const cover = photos[0];
  return (
    <Link to={`/h5/activities/${a.id}`} className="h5-card act-story" data-testid="report-card" data-id={a.id}>
      <div className="act-story-cover">
        {cover ? (
          <img src={photoUrl(cover)} alt={a.title} loading="lazy" data-testid="report-cover" />
        ) : (
          <div className="act-story-nocover">
            <span>{categoryName(a.category)}</span>
          </div>
        )}
        {photos.length > 1 && (
          <span className="act-story-count">
            <CameraOutlined /> {photos.length}
          </span>
        )}
      </div>
      <div className="act-story-body">
        <div className="act-story-title">{a.title}</div>
        <div className="act-story-meta">
          <Tag color="volcano" style={{ marginInlineEnd: 0 }}>
            {categoryName(a.category)}
          </Tag>
          <span>{formatDay(a.startsAt)}</span>
          <span className="act-story-place">{placeOf(a)}</span>
        </div>
        {a.report && <p className="act-story-text">{a.report.summary}</p>}
        {a.rating.count > 0 && (
          <div className="act-story-rating">
            <StarFilled /> {a.rating.average?.toFixed(1)} 分 · {a.rating.count} 人评价
          </div>
        )}
      </div>
    </Link>
  );
}
