import { Tag } from 'antd';
import { ORG_LEVEL_NAMES, type OrgLevel } from '@wenming/contracts';

const COLORS: Record<OrgLevel, string> = {
  city: 'red',
  center: 'volcano',
  institute: 'gold',
  station: 'green',
  point: 'blue',
};

/** 市 / 中心 / 所 / 站 / 点, with the full level name as a tooltip. */
export function OrgLevelTag({ level, full = false }: { level: OrgLevel; full?: boolean }) {
  const names = ORG_LEVEL_NAMES[level];
  return (
    <Tag color={COLORS[level]} title={names.zh} style={{ marginInlineEnd: 6 }}>
      {full ? names.zh : names.short}
    </Tag>
  );
}
