import { Input, Tag } from 'antd';
import { SearchOutlined } from '@ant-design/icons';

/** The large search box at the top of an H5 list (the phone's keyboard shows 搜索). */
export function H5SearchInput({ value, onChange, placeholder, testId }: { value: string; onChange: (v: string) => void; placeholder: string; testId: string }) {
  return (
    <Input
      size="large"
      allowClear
      prefix={<SearchOutlined />}
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      enterKeyHint="search"
      data-testid={testId}
    />
  );
}

/**
 * A row of H5 filter chips: 全部 first (checked when nothing is chosen), then each option; a tap
 * on the chosen one clears it.
 */
export function H5FilterChips<V extends string>({
  className,
  label,
  allLabel,
  value,
  options,
  onChange,
}: {
  className: string;
  label: string;
  allLabel: string;
  value: V | undefined;
  options: { value: V; label: string }[];
  onChange: (v: V | null) => void;
}) {
  return (
    <div className={className} role="group" aria-label={label}>
      <Tag.CheckableTag className="h5-chip" checked={!value} onChange={() => onChange(null)}>
        {allLabel}
      </Tag.CheckableTag>
      {options.map((o) => (
        <Tag.CheckableTag key={o.value} className="h5-chip" checked={value === o.value} onChange={() => onChange(value === o.value ? null : o.value)}>
          {o.label}
        </Tag.CheckableTag>
      ))}
    </div>
  );
}
