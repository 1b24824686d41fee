import { useState } from 'react';
import { App, Button } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import type { OrgDto } from '@wenming/contracts';
import { CommunityPicker } from './community-picker';
import './area-scope.css';

interface Props {
  /** 我的社区, when chosen. */
  community: { id: string; name: string } | null | undefined;
  /** Showing every district instead of mine. */
  everywhere: boolean;
  /** My district's short name (e.g. 小店区). */
  areaName: string;
  /** What the list shows: 活动, 场馆和资源. */
  what: string;
  /** What choosing a community is for, when none is chosen (e.g. 就近看活动). */
  pickReason: string;
  onToggle: () => void;
  /** A community was chosen in the picker (the bar says so with a toast). */
  onChoose: (org: OrgDto) => void;
  testId: string;
  pickTestId: string;
}

/**
 * The area bar of the H5 lists: my district's items (from 我的社区) or every district, with a
 * switch between them; without a community, a button that opens the community picker.
 */
export function AreaScope({ onChoose, ...bar }: Props) {
  const { message } = App.useApp();
  const [picking, setPicking] = useState(false);
  return (
    <>
      <AreaBar {...bar} onPick={() => setPicking(true)} />
      <CommunityPicker
        open={picking}
        onClose={() => setPicking(false)}
        currentId={bar.community?.id}
        onPick={(org) => {
          onChoose(org);
          setPicking(false);
          message.success(`已设为我的社区：${org.name}`);
        }}
      />
    </>
  );
}

function AreaBar({
  community,
  everywhere,
  areaName,
  what,
  pickReason,
  onToggle,
  onPick,
  testId,
  pickTestId,
}: Omit<Props, 'onChoose'> & { onPick: () => void }) {
  if (!community)
    return (
      <div className="area-scope area-scope-empty">
        <EnvironmentOutlined />
        <span className="area-scope-text">
          选择我的社区，{pickReason}
          <small>现在显示全部地区的{what}</small>
        </span>
        <Button type="primary" size="small" onClick={onPick} data-testid={pickTestId}>
          选择社区
        </Button>
      </div>
    );
  return (
    <div className="area-scope" data-testid={testId}>
      <EnvironmentOutlined />
      <span className="area-scope-text">
        {everywhere ? `全部地区的${what}` : `${areaName}的${what}`}
        <small>我的社区：{community.name}</small>
      </span>
      <Button type="link" size="small" onClick={onToggle}>
        {everywhere ? `只看${areaName}` : '全部地区'}
      </Button>
    </div>
  );
}
