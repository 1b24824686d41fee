import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Image, Input, InputNumber, Rate, Result, Skeleton, Tag } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, EnvironmentOutlined, TeamOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { LoadFailure } from '../../../components/load-failure';
import { QueryError } from '../../../components/query-error';
import { isApiError } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useAvailability, useBook, useResource, useWeekAvailability, type AvailabilityDto, type BookingDto, type ResourceDto } from '../api/resources-api';
import { addDays, bookingErrorText, chinaDate, chinaInstant, chinaMinutes, dayLabel, hhmm, relativeDay, weeklyHoursSummary } from './resource-format';
import './resources.css';

interface Slot {
  start: number; // minutes since local midnight
  end: number;
  interval: number; // which open interval
  left: number; // exclusive: 1 free / 0 taken; equipment: how many are left
  past: boolean;
}

/** The day's slots: each open interval cut into slotMinutes, with what is taken. */
function slotsOf(a: AvailabilityDto, date: string, quantity: number | null, nowMs: number): Slot[] {
  const slots: Slot[] = [];
  a.open.forEach((o, interval) => {
    const from = chinaDate(o.startsAt) === date ? chinaMinutes(o.startsAt) : 0;
    const to = chinaDate(o.endsAt) === date ? chinaMinutes(o.endsAt) : 1440;
    for (let s = from; s + a.slotMinutes <= to; s += a.slotMinutes) {
      const e = s + a.slotMinutes;
      const sMs = Date.parse(chinaInstant(date, s));
      const eMs = Date.parse(chinaInstant(date, e));
      const overlapping = a.booked.filter((b) => Date.parse(b.startsAt) < eMs && Date.parse(b.endsAt) > sMs);
      const left = quantity === null ? (overlapping.length ? 0 : 1) : Math.max(0, quantity - overlapping.reduce((n, b) => n + b.quantity, 0));
      slots.push({ start: s, end: e, interval, left, past: sMs < nowMs });
    }
  });
  return slots;
}

function freeCount(slots: Slot[]) {
  return slots.filter((s) => !s.past && s.left > 0).length;
}

/** The day as a bar: open periods (green) and taken ones (grey), from the first opening to the last closing. */
function DayBar({ a, date }: { a: AvailabilityDto; date: string }) {
  if (!a.open.length) return null;
  const min = Math.min(...a.open.map((o) => chinaMinutes(o.startsAt)));
  const max = Math.max(...a.open.map((o) => (chinaDate(o.endsAt) === date ? chinaMinutes(o.endsAt) : 1440)));
  const span = Math.max(1, max - min);
  const pos = (m: number) => `${((m - min) / span) * 100}%`;
  return (
    <div className="res-daybar" aria-hidden="true">
      {a.open.map((o) => {
        const s = chinaMinutes(o.startsAt);
        const e = chinaDate(o.endsAt) === date ? chinaMinutes(o.endsAt) : 1440;
        return <span key={o.startsAt} className="res-daybar-open" style={{ left: pos(s), width: `${((e - s) / span) * 100}%` }} />;
      })}
      {a.booked.map((b, i) => {
        const s = Math.max(min, chinaDate(b.startsAt) === date ? chinaMinutes(b.startsAt) : min);
        const e = Math.min(max, chinaDate(b.endsAt) === date ? chinaMinutes(b.endsAt) : max);
        return e > s ? <span key={i} className={`res-daybar-booked ${b.status}`} style={{ left: pos(s), width: `${((e - s) / span) * 100}%` }} /> : null;
      })}
      <span className="res-daybar-label start">{hhmm(min)}</span>
      <span className="res-daybar-label end">{hhmm(max)}</span>
    </div>
  );
}

const PURPOSES = ['广场舞排练', '合唱排练', '读书会', '居民议事', '志愿服务活动', '培训讲座'];

function BookingForm({ r, date, slots, onBooked }: { r: ResourceDto; date: string; slots: Slot[]; onBooked: (b: BookingDto) => void }) {
  const [sel, setSel] = useState<{ start: number; end: number; interval: number } | null>(null);
  const [purpose, setPurpose] = useState('');
  const [attendees, setAttendees] = useState<number | null>(r.quantity === null ? Math.min(10, r.capacity ?? 10) : 1);
  const [quantity, setQuantity] = useState<number | null>(1);
  const [error, setError] = useState<{ title: string; detail?: string } | null>(null);
  const book = useBook(r.id);
  const need = r.quantity === null ? 1 : (quantity ?? 1);
  const errorRef = useRef<HTMLDivElement>(null);
  // A refusal must be seen: bring it above the tab bar.
  useEffect(() => {
    if (error) errorRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [error]);
  useEffect(() => {
    setSel(null);
    setError(null);
  }, [date]);

  const usable = (s: Slot) => !s.past && s.left >= need;
  const tap = (s: Slot) => {
    setError(null);
    if (!usable(s)) return;
    if (sel && sel.start === s.start && sel.end === s.end) return setSel(null);
    if (
      sel &&
      s.interval === sel.interval &&
      s.start >= sel.end &&
      slots.filter((x) => x.interval === s.interval && x.start >= sel.start && x.end <= s.end).every(usable)
    )
      return setSel({ ...sel, end: s.end });
    setSel({ start: s.start, end: s.end, interval: s.interval });
  };
  const submit = async () => {
    setError(null);
    if (!sel) return setError({ title: '请先选择时段', detail: '在上面点一个空闲时段作为开始，再点后面的时段可延长。' });
    if (!purpose.trim()) return setError({ title: '请填写用途', detail: '例如：广场舞排练、读书会。' });
    try {
      const b = await book.mutateAsync({
        startsAt: chinaInstant(date, sel.start),
        endsAt: chinaInstant(date, sel.end),
        purpose: purpose.trim(),
        attendees: attendees ?? undefined,
        quantity: r.quantity === null ? undefined : (quantity ?? 1),
      });
      onBooked(b);
    } catch (e) {
      setError(bookingErrorText(e));
      if (isApiError(e) && e.code === 'BOOKING_CONFLICT') setSel(null);
    }
  };

  return (
    <section className="h5-card res-book" data-testid="booking-form">
      <div className="h5-card-head">
        <span className="h5-card-title">选择时段</span>
        <span className="res-muted">
          {relativeDay(date)} {dayLabel(date)}
        </span>
      </div>
      {r.quantity !== null && (
        <div className="res-field">
          <label htmlFor="res-qty">借用数量</label>
          <InputNumber
            id="res-qty"
            size="large"
            min={1}
            max={r.quantity}
            precision={0}
            value={quantity}
            onChange={(v) => {
              setQuantity(v);
              setSel(null);
            }}
            suffix={`件（共 ${r.quantity} 件）`}
            style={{ width: '100%' }}
            data-testid="booking-quantity"
          />
        </div>
      )}
      {slots.length === 0 ? (
        <Alert type="info" showIcon title="这一天不开放，请换一天" />
      ) : (
        <>
          <div className="res-slots" role="group" aria-label="时段">
            {slots.map((s) => {
              const chosen = !!sel && s.interval === sel.interval && s.start >= sel.start && s.end <= sel.end;
              const state = s.past ? 'past' : s.left < need ? 'taken' : 'free';
              return (
                <button
                  key={s.start}
                  type="button"
                  className={`res-slot ${state}${chosen ? ' chosen' : ''}`}
                  disabled={state !== 'free'}
                  onClick={() => tap(s)}
                  data-testid="slot"
                  data-state={chosen ? 'chosen' : state}
                  aria-pressed={chosen}
                >
                  <b>{hhmm(s.start)}</b>
                  <small>
                    {state === 'past'
                      ? '已过'
                      : state === 'taken'
                        ? r.quantity === null
                          ? '已约'
                          : `剩${s.left}`
                        : r.quantity === null
                          ? '空闲'
                          : `剩${s.left}`}
                  </small>
                </button>
              );
            })}
          </div>
          <div className={`res-chosen${sel ? '' : ' empty'}`} data-testid="chosen-slot">
            {sel ? (
              <>
                <CheckCircleFilled /> 已选 {hhmm(sel.start)}–{hhmm(sel.end)}（{(sel.end - sel.start) / 60} 小时）
              </>
            ) : (
              '点一个空闲时段作为开始，再点后面的时段可延长'
            )}
          </div>
        </>
      )}
      <div className="res-field">
        <label htmlFor="res-purpose">用途</label>
        <Input
          id="res-purpose"
          size="large"
          maxLength={500}
          value={purpose}
          onChange={(e) => setPurpose(e.target.value)}
          placeholder="做什么用，如：广场舞排练"
          data-testid="booking-purpose"
        />
        <div className="h5-chips res-purposes">
          {PURPOSES.map((p) => (
            <Tag.CheckableTag key={p} className="h5-chip" checked={purpose === p} onChange={() => setPurpose(p)}>
              {p}
            </Tag.CheckableTag>
          ))}
        </div>
      </div>
      <div className="res-field">
        <label htmlFor="res-attendees">人数</label>
        <InputNumber
          id="res-attendees"
          size="large"
          min={1}
          max={100000}
          precision={0}
          value={attendees}
          onChange={setAttendees}
          suffix={r.capacity ? `人（最多 ${r.capacity} 人）` : '人'}
          style={{ width: '100%' }}
          data-testid="booking-attendees"
        />
      </div>
      {error && (
        <div ref={errorRef}>
          <Alert type="error" showIcon title={error.title} description={error.detail} data-testid="booking-error" style={{ fontSize: '1rem' }} />
        </div>
      )}
      <Button type="primary" size="large" block className="h5-big-button" loading={book.isPending} onClick={() => void submit()} data-testid="booking-submit">
        {r.requiresApproval ? '提交预约（需审核）' : '确认预约'}
      </Button>
    </section>
  );
}

/** 资源详情 (H5): photos, rules, rating, a week of availability, and the booking form. */
export function H5ResourceDetailPage(_: { me: MeDto }) {
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const q = useResource(id);
  const r = q.data;
  useDocumentTitle(r?.name ?? '资源详情');
  const today = chinaDate();
  const horizon = r ? Math.min(7, r.maxDaysAhead + 1) : 7;
  const days = useMemo(() => Array.from({ length: horizon }, (_, i) => addDays(today, i)), [today, horizon]);
  const date = params.get('date') && days.includes(params.get('date')!) ? params.get('date')! : today;
  const week = useWeekAvailability(r?.bookable ? id : undefined, days);
  const day = useAvailability(r?.bookable ? id : undefined, date);
  const [done, setDone] = useState<BookingDto | null>(null);
  const [nowMs] = useState(() => Date.now());

  if (q.isPending)
    return (
      <div className="h5-page">
        <section className="h5-card" style={{ marginTop: 12 }}>
          <Skeleton active />
        </section>
      </div>
    );
  if (q.isError)
    return (
      <LoadFailure
        h5
        error={q.error}
        onRetry={() => void q.refetch()}
        title="找不到这个资源"
        subTitle="它可能已经下架。"
        back={{ to: '/h5/resources', label: '看看其他场馆' }}
      />
    );

  if (!r) return null;

  if (done)
    return (
      <div className="h5-page">
        <Result
          status="success"
          title={done.status === 'pending' ? '预约已提交，等待审核' : '预约成功'}
          subTitle={`${r.name} · ${dayLabel(chinaDate(done.startsAt))} ${hhmm(chinaMinutes(done.startsAt))}–${hhmm(chinaMinutes(done.endsAt))}${done.status === 'pending' ? '。审核结果会通知您，也可以在“我的预约”里查看。' : '。请按时到场，到场后在“我的预约”里签到。'}`}
          extra={[
            <Button key="mine" type="primary" size="large" onClick={() => navigate('/h5/bookings')} data-testid="go-my-bookings">
              查看我的预约
            </Button>,
            <Button key="again" size="large" onClick={() => setDone(null)}>
              继续预约
            </Button>,
          ]}
          data-testid="booking-done"
        />
      </div>
    );

  const slots = day.data ? slotsOf(day.data, date, r.quantity, nowMs) : [];
  const upcomingClosed = r.closedDates.filter((d) => d >= today).slice(0, 5);

  return (
    <div className="h5-page res-detail">
      {r.photos.length > 0 ? (
        <div className="res-photos" data-testid="resource-photos">
          <Image.PreviewGroup>
            {r.photos.map((src) => (
              <Image key={src} src={src} alt={r.name} height={180} />
            ))}
          </Image.PreviewGroup>
        </div>
      ) : (
        <div className="res-photo-empty">{r.typeName}</div>
      )}
      <section className="h5-card res-head">
        <h1 data-testid="resource-name">{r.name}</h1>
        <div className="res-card-tags">
          <Tag color="red">{r.typeName}</Tag>
          {r.quantity !== null ? <Tag>共 {r.quantity} 件可借</Tag> : r.capacity ? <Tag icon={<TeamOutlined />}>可容纳 {r.capacity} 人</Tag> : null}
          {r.requiresApproval ? <Tag color="orange">需审核</Tag> : <Tag color="green">免审核，约了就能用</Tag>}
        </div>
        <div className="res-rating" data-testid="resource-rating">
          {r.rating === null ? (
            <span className="res-muted">还没有评价</span>
          ) : (
            <>
              <Rate disabled allowHalf value={r.rating} /> <b>{r.rating}</b> <span className="res-muted">（{r.reviewCount} 人评价）</span>
            </>
          )}
        </div>
        <div className="res-kv">
          <EnvironmentOutlined /> {r.address || r.orgName}
          {r.address && <div className="res-muted">{r.orgName}</div>}
        </div>
        {r.description && <p className="res-desc">{r.description}</p>}
      </section>

      <section className="h5-card res-rules" data-testid="resource-rules">
        <div className="h5-card-head">
          <span className="h5-card-title">
            <ClockCircleOutlined /> 开放时间与规则
          </span>
        </div>
        <ul>
          {weeklyHoursSummary(r.openHours).map((l) => (
            <li key={l}>{l}</li>
          ))}
          {upcomingClosed.length > 0 && <li>闭馆：{upcomingClosed.map((d) => dayLabel(d)).join('、')}</li>}
          <li>
            每个时段 {r.slotMinutes >= 60 ? `${r.slotMinutes / 60} 小时` : `${r.slotMinutes} 分钟`}，最多提前 {r.maxDaysAhead} 天预约
          </li>
          {r.maxPerWeek && <li>每人每周最多预约 {r.maxPerWeek} 次</li>}
          {r.capacity && r.quantity === null && <li>人数不超过 {r.capacity} 人</li>}
          <li>可在开始前 15 分钟起签到；未签到的记为“未到场”</li>
        </ul>
      </section>

      {!r.bookable ? (
        <Alert type="info" showIcon title="该资源无需预约" description="开放时间内可直接前往使用。" />
      ) : (
        <>
          <section className="h5-card res-week-h5" data-testid="availability">
            <div className="h5-card-head">
              <span className="h5-card-title">哪天用</span>
              <span className="res-muted">绿色为开放，灰色为已被预约</span>
            </div>
            <div className="res-days">
              {days.map((d, i) => {
                const a = week[i]?.data;
                const free = a ? freeCount(slotsOf(a, d, r.quantity, nowMs)) : null;
                return (
                  <button
                    key={d}
                    type="button"
                    className={`res-day${d === date ? ' active' : ''}${free === 0 ? ' full' : ''}`}
                    onClick={() => setParams({ date: d }, { replace: true })}
                    data-testid="avail-day"
                  >
                    <b>{relativeDay(d)}</b>
                    <small>{dayLabel(d, false)}</small>
                    <em>{free === null ? '…' : a?.closed ? '闭馆' : a && !a.open.length ? '不开放' : free === 0 ? '约满' : `空 ${free}`}</em>
                  </button>
                );
              })}
            </div>
            {day.isError ? (
              <QueryError error={day.error} onRetry={() => void day.refetch()} />
            ) : day.data ? (
              <DayBar a={day.data} date={date} />
            ) : (
              <Skeleton active paragraph={{ rows: 1 }} />
            )}
          </section>
          {day.data && <BookingForm key={date} r={r} date={date} slots={slots} onBooked={setDone} />}
        </>
      )}
    </div>
  );
}
