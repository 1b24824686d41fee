import { Button, Dropdown, Select, Space, Switch, Tooltip, Typography } from 'antd';
import { CopyOutlined, DeleteOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { OpenHours } from '@wenming/domain';
import { hhmm, toMinutes, WEEKDAY_NAMES } from './resource-format';

/** Half-hour steps from 00:00 to 24:00. */
const TIMES = Array.from({ length: 49 }, (_, i) => hhmm(i * 30));
const OPEN_OPTIONS = TIMES.slice(0, -1).map((t) => ({ value: t, label: t }));
const CLOSE_OPTIONS = TIMES.slice(1).map((t) => ({ value: t, label: t }));

const TEMPLATES: { key: string; label: string; days: number[]; periods: [string, string][] }[] = [
  {
    key: 'station',
    label: '每天 08:30–11:30、14:30–21:00（社区站常用）',
    days: [1, 2, 3, 4, 5, 6, 7],
    periods: [
      ['08:30', '11:30'],
      ['14:30', '21:00'],
    ],
  },
  {
    key: 'office',
    label: '工作日 09:00–12:00、14:00–17:30',
    days: [1, 2, 3, 4, 5],
    periods: [
      ['09:00', '12:00'],
      ['14:00', '17:30'],
    ],
  },
  { key: 'daytime', label: '每天 08:00–20:00', days: [1, 2, 3, 4, 5, 6, 7], periods: [['08:00', '20:00']] },
  { key: 'closed-monday', label: '周二至周日 09:00–17:00（周一闭馆）', days: [2, 3, 4, 5, 6, 7], periods: [['09:00', '17:00']] },
];

/** Overlapping periods of a day (touching ones are fine: they merge). */
export function overlapsOf(hours: OpenHours[]): number[] {
  const bad = new Set<number>();
  for (let d = 1; d <= 7; d++) {
    const list = hours.filter((h) => h.weekday === d).sort((a, b) => a.open.localeCompare(b.open));
    for (let i = 1; i < list.length; i++) if (toMinutes(list[i]!.open) < toMinutes(list[i - 1]!.close)) bad.add(d);
  }
  return [...bad];
}

/**
 * 每周开放时间: one row per weekday (Mon–Sun), each open or closed with one or more periods.
 * Templates fill the week; a day's periods copy to the other days.
 */
export function OpenHoursGrid({ value = [], onChange, id }: { value?: OpenHours[]; onChange?: (v: OpenHours[]) => void; id?: string }) {
  const set = (v: OpenHours[]) => onChange?.([...v].sort((a, b) => a.weekday - b.weekday || a.open.localeCompare(b.open)));
  const ofDay = (d: number) => value.filter((h) => h.weekday === d).sort((a, b) => a.open.localeCompare(b.open));
  const others = (d: number) => value.filter((h) => h.weekday !== d);
  const replaceDay = (d: number, periods: OpenHours[]) => set([...others(d), ...periods]);
  const overlaps = overlapsOf(value);

  return (
    <div className="res-hours-grid" id={id} data-testid="open-hours-grid">
      <div className="res-hours-toolbar">
        <Dropdown
          menu={{
            items: TEMPLATES.map((t) => ({ key: t.key, label: t.label })),
            onClick: ({ key }) => {
              const t = TEMPLATES.find((x) => x.key === key)!;
              set(t.days.flatMap((weekday) => t.periods.map(([open, close]) => ({ weekday, open, close }))));
            },
          }}
        >
          <Button icon={<ThunderboltOutlined />}>套用常用时间</Button>
        </Dropdown>
        <Button onClick={() => set([])} disabled={!value.length}>
          全部清空
        </Button>
        <Typography.Text type="secondary">时间按北京时间；同一天可设多个时段（如中午休息）。</Typography.Text>
      </div>
      {[1, 2, 3, 4, 5, 6, 7].map((d) => {
        const periods = ofDay(d);
        const open = periods.length > 0;
        return (
          <div key={d} className={`res-hours-row${open ? '' : ' closed'}${overlaps.includes(d) ? ' bad' : ''}`} data-testid={`hours-day-${d}`}>
            <div className="res-hours-day">
              <Switch
                size="small"
                checked={open}
                onChange={(on) => replaceDay(d, on ? [{ weekday: d, open: '09:00', close: '17:00' }] : [])}
                aria-label={`${WEEKDAY_NAMES[d - 1]}开放`}
              />
              <b>{WEEKDAY_NAMES[d - 1]}</b>
            </div>
            <div className="res-hours-periods">
              {!open && <Typography.Text type="secondary">不开放</Typography.Text>}
              {periods.map((p, i) => (
                <Space key={`${p.open}-${i}`} size={4} className="res-hours-period">
                  <Select
                    size="small"
                    value={p.open}
                    options={OPEN_OPTIONS}
                    style={{ width: 84 }}
                    aria-label={`${WEEKDAY_NAMES[d - 1]}第${i + 1}段开始`}
                    onChange={(v: string) =>
                      replaceDay(
                        d,
                        periods.map((x, j) =>
                          j === i ? { ...x, open: v, close: toMinutes(x.close) > toMinutes(v) ? x.close : hhmm(Math.min(1440, toMinutes(v) + 60)) } : x,
                        ),
                      )
                    }
                  />
                  –
                  <Select
                    size="small"
                    value={p.close}
                    options={CLOSE_OPTIONS.filter((o) => toMinutes(o.value) > toMinutes(p.open))}
                    style={{ width: 84 }}
                    aria-label={`${WEEKDAY_NAMES[d - 1]}第${i + 1}段结束`}
                    onChange={(v: string) =>
                      replaceDay(
                        d,
                        periods.map((x, j) => (j === i ? { ...x, close: v } : x)),
                      )
                    }
                  />
                  <Tooltip title="删除这个时段">
                    <Button
                      size="small"
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label="删除时段"
                      onClick={() =>
                        replaceDay(
                          d,
                          periods.filter((_, j) => j !== i),
                        )
                      }
                    />
                  </Tooltip>
                </Space>
              ))}
              {open && (
                <Button
                  size="small"
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => {
                    const last = periods.at(-1)!;
                    const start = Math.min(toMinutes(last.close) + 60, 1410);
                    replaceDay(d, [...periods, { weekday: d, open: hhmm(start), close: hhmm(Math.min(1440, start + 120)) }]);
                  }}
                >
                  加时段
                </Button>
              )}
            </div>
            <div className="res-hours-copy">
              {open && (
                <Dropdown
                  menu={{
                    items: [
                      { key: 'work', label: '复制到工作日（周一至周五）' },
                      { key: 'all', label: '复制到每天' },
                    ],
                    onClick: ({ key }) => {
                      const targets = key === 'work' ? [1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6, 7];
                      set([...value.filter((h) => !targets.includes(h.weekday)), ...targets.flatMap((t) => periods.map((p) => ({ ...p, weekday: t })))]);
                    },
                  }}
                >
                  <Button size="small" type="link" icon={<CopyOutlined />}>
                    复制到…
                  </Button>
                </Dropdown>
              )}
            </div>
          </div>
        );
      })}
      {overlaps.length > 0 && <Typography.Text type="danger">{overlaps.map((d) => WEEKDAY_NAMES[d - 1]).join('、')}的时段有重叠，请调整。</Typography.Text>}
    </div>
  );
}
