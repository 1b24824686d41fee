import { Tag } from 'antd';
import { ClockCircleOutlined, EnvironmentOutlined, RightOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { ActivityDto, SignupRole } from '../api/activities-api';
import { formatTimeRange, placeOf, placesLeft } from './activity-format';
import { ActivityStateTag, MySignupTag } from './activity-tags';

function Places({ a, role }: { a: ActivityDto; role: SignupRole }) {
  const quota = role === 'volunteer' ? a.volunteerQuota : a.publicQuota;
  if (!quota) return null;
  const left = placesLeft(a, role);
  const label = role === 'volunteer' ? '志愿者' : '群众';
  return (
    <span className={`act-places${left ? '' : ' full'}`}>
      {label}
      {left ? (
        <>
          {' '}
          剩 <b>{left}</b>/{quota}
        </>
      ) : (
        ' 已满'
      )}
    </span>
  );
}

/** One activity in the phone list: title, when, where, places left, my sign-up. */
export function H5ActivityCard({ activity: a, categoryName }: { activity: ActivityDto; categoryName: (code: string) => string }) {
  const open = a.state === 'published';
  return (
    <Link to={`/h5/activities/${a.id}`} className="h5-card act-card" data-testid="activity-card" data-id={a.id}>
      <div className="act-card-head">
        <span className="act-card-title">{a.title}</span>
        <RightOutlined className="act-card-arrow" />
      </div>
      <div className="act-card-tags">
        <Tag color="volcano" style={{ marginInlineEnd: 0 }}>
          {categoryName(a.category)}
        </Tag>
        <ActivityStateTag activity={a} />
        {a.mySignup && <MySignupTag signup={a.mySignup} />}
      </div>
      <div className="act-card-row">
        <ClockCircleOutlined />
        <span>{formatTimeRange(a.startsAt, a.endsAt)}</span>
      </div>
      <div className="act-card-row">
        <EnvironmentOutlined />
        <span>{placeOf(a)}</span>
      </div>
      {open && (a.volunteerQuota > 0 || a.publicQuota > 0) && (
        <div className="act-card-foot">
          <Places a={a} role="volunteer" />
          <Places a={a} role="resident" />
        </div>
      )}
    </Link>
  );
}
