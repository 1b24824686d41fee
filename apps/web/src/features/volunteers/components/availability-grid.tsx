export interface Slot {
  weekday: number;
  period: 'morning' | 'afternoon' | 'evening';
}

const DAYS = ['一', '二', '三', '四', '五', '六', '日'];
const PERIODS: { key: Slot['period']; label: string }[] = [
  { key: 'morning', label: '上午' },
  { key: 'afternoon', label: '下午' },
  { key: 'evening', label: '晚上' },
];

const has = (v: Slot[], s: Slot) => v.some((x) => x.weekday === s.weekday && x.period === s.period);

/** 每周可服务时间: 7 days × 上午/下午/晚上, each a toggle. */
export function AvailabilityGrid({ value = [], onChange, readOnly }: { value?: Slot[]; onChange?: (v: Slot[]) => void; readOnly?: boolean }) {
  const toggle = (s: Slot) => onChange?.(has(value, s) ? value.filter((x) => !(x.weekday === s.weekday && x.period === s.period)) : [...value, s]);
  return (
    <table className="avail-grid" data-testid="availability">
      <thead>
        <tr>
          <th aria-label="时段" />
          {DAYS.map((d) => (
            <th key={d} scope="col">
              {d}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {PERIODS.map((p) => (
          <tr key={p.key}>
            <th scope="row">{p.label}</th>
            {DAYS.map((d, i) => {
              const s: Slot = { weekday: i + 1, period: p.key };
              const on = has(value, s);
              return (
                <td key={d}>
                  <button
                    type="button"
                    className={`avail-cell${on ? ' on' : ''}`}
                    aria-pressed={on}
                    aria-label={`周${d}${p.label}`}
                    disabled={readOnly}
                    onClick={() => toggle(s)}
                  >
                    {on ? '✓' : ''}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
