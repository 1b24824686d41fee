import { useMemo, useState } from 'react';
import { Button, Tag } from 'antd';
import { CalendarOutlined, RightOutlined, StarFilled, TeamOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { MeDto, ResourceCategory } from '@wenming/contracts';
import { AreaScope } from '../../../components/area-scope';
import { H5FilterChips, H5SearchInput } from '../../../components/h5-filters';
import { H5PagedList } from '../../../components/h5-paged-list';
import { useAreaScope } from '../../../lib/my-community';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useUrlParams } from '../../../lib/use-url-params';
import { useResourceList, type ResourceDto } from '../api/resources-api';
import { addDays, CATEGORY_NAMES, chinaDate, dayLabel, hoursOfDay, openOn, relativeDay, weekdayOf } from './resource-format';
import './resources.css';

function ResourceCard({ r, date }: { r: ResourceDto; date: string }) {
  const open = openOn(r, date);
  return (
    <Link to={`/h5/resources/${r.id}?date=${date}`} className="h5-card res-card" data-testid="resource-card">
      <div className="res-card-photo">{r.photos[0] ? <img src={r.photos[0]} alt="" /> : <span>{r.typeName.slice(0, 2)}</span>}</div>
      <div className="res-card-body">
        <div className="res-card-title">
          <b>{r.name}</b>
          <RightOutlined className="res-card-arrow" />
        </div>
        <div className="res-card-org">{r.orgName}</div>
        <div className="res-card-tags">
          <Tag color="red">{r.typeName}</Tag>
          {r.quantity !== null ? <Tag>共 {r.quantity} 件</Tag> : r.capacity ? <Tag icon={<TeamOutlined />}>{r.capacity} 人</Tag> : null}
          {r.rating !== null && (
            <Tag color="gold" icon={<StarFilled />}>
              {r.rating}
            </Tag>
          )}
          {r.requiresApproval ? <Tag color="orange">需审核</Tag> : <Tag color="green">免审核</Tag>}
        </div>
        <div className={`res-card-hours${open ? '' : ' closed'}`}>
          <CalendarOutlined /> {relativeDay(date)}：{open ? hoursOfDay(r.openHours, weekdayOf(date)) : r.closedDates.includes(date) ? '闭馆' : '不开放'}
        </div>
      </div>
    </Link>
  );
}

/**
 * 场馆预约 (H5): bookable resources around my community (the district's), by category, day and
 * words; each opens its availability and booking form.
 */
export function H5ResourcesPage({ me }: { me: MeDto }) {
  useDocumentTitle('场馆预约');
  const [params, set] = useUrlParams();
  const today = chinaDate();
  const days = useMemo(() => Array.from({ length: 7 }, (_, i) => addDays(today, i)), [today]);
  const date = params.get('date') && days.includes(params.get('date')!) ? params.get('date')! : today;
  const category = (params.get('category') ?? undefined) as ResourceCategory | undefined;
  const everywhere = params.get('scope') === 'all';
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 350);
  const { community, setCommunity, scoped, ready, districtId, areaName } = useAreaScope(me.id, everywhere);
  const list = useResourceList({ category, q: q || undefined, orgId: districtId }, { enabled: ready, limit: 100 });
  const all = (list.data?.pages.flatMap((p) => p.items) ?? []).filter((r) => r.bookable);
  // Open that day first; then by name. My own community's resources lead.
  const items = [...all].sort(
    (a, b) => Number(openOn(b, date)) - Number(openOn(a, date)) || Number(b.orgId === community?.id) - Number(a.orgId === community?.id),
  );

  return (
    <div className="h5-page res-h5">
      <Link to="/h5/bookings" className="h5-card res-mine-link" data-testid="my-bookings-link">
        <CalendarOutlined />
        <span className="res-mine-text">
          <b>我的预约</b>
          <small>查看审核结果、签到、取消、评价</small>
        </span>
        <RightOutlined />
      </Link>
      <section className="h5-card res-filters-h5">
        <AreaScope
          community={community}
          everywhere={everywhere}
          areaName={areaName}
          what="场馆和资源"
          pickReason="看身边的场馆"
          onToggle={() => set({ scope: everywhere ? null : 'all' })}
          onChoose={(org) => {
            setCommunity(org);
            set({ scope: null });
          }}
          testId="resource-scope"
          pickTestId="resource-pick-community"
        />
        <H5SearchInput value={input} onChange={setInput} placeholder="搜索：舞蹈室、影院、音响…" testId="resource-search" />
        <div className="res-days" role="group" aria-label="哪天用">
          {days.map((d) => (
            <button
              key={d}
              type="button"
              className={`res-day${d === date ? ' active' : ''}`}
              onClick={() => set({ date: d === today ? null : d })}
              data-testid="resource-day"
            >
              <b>{relativeDay(d)}</b>
              <small>{dayLabel(d, false)}</small>
            </button>
          ))}
        </div>
        <H5FilterChips
          className="res-cats"
          label="类别"
          allLabel="全部"
          value={category}
          options={(Object.keys(CATEGORY_NAMES) as ResourceCategory[]).map((c) => ({ value: c, label: CATEGORY_NAMES[c] }))}
          onChange={(c) => set({ category: c })}
        />
      </section>
      <H5PagedList
        query={list}
        items={items}
        ready={ready}
        empty={q ? `没有找到与“${q}”有关的资源` : '这里暂时没有可预约的资源'}
        emptyAction={
          scoped && (
            <Button type="primary" onClick={() => set({ scope: 'all' })}>
              看看全部地区
            </Button>
          )
        }
        renderItem={(r) => <ResourceCard r={r} date={date} />}
      />
    </div>
  );
}
