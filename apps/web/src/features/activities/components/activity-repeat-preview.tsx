import { Tag, Typography } from 'antd';
import { localInputToIso } from '../../../lib/format';
import { formatTimeRange } from './activity-format';
import { weeklyOccurrences } from './activity-form-values';

/** 每周重复: the dates the series will have, so the organiser sees what will be created. */
export function RepeatPreview({ startsAt, endsAt, weeks }: { startsAt?: string; endsAt?: string; weeks?: number | null }) {
  const s = localInputToIso(startsAt);
  const e = localInputToIso(endsAt);
  if (!s || !e || !(Date.parse(e) > Date.parse(s))) return <Typography.Text type="secondary">先填写开始和结束时间，这里会列出每次活动的日期。</Typography.Text>;
  if (!weeks || weeks < 2 || weeks > 52) return <Typography.Text type="secondary">重复次数为 2 到 52 次。</Typography.Text>;
  const list = weeklyOccurrences(s, e, weeks);
  return (
    <div className="act-repeat-preview" data-testid="repeat-preview">
      <Typography.Text>
        将创建 <b>{weeks}</b> 次活动（每次都是草稿，可在活动页一起发布）：
      </Typography.Text>
      <div className="act-repeat-dates">
        {list.map((o, k) => (
          <Tag key={o.startsAt} color={k === 0 ? 'red' : undefined} data-testid="repeat-date">
            第 {k + 1} 次 · {formatTimeRange(o.startsAt, o.endsAt)}
          </Tag>
        ))}
      </div>
    </div>
  );
}
