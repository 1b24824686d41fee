import { useEffect, useRef, useState } from 'react';
import { Select, Typography } from 'antd';
import type { LedTeamDto, OrgDto } from '@wenming/contracts';
import { useDebounced } from '../../../lib/use-debounced';
import { useTeamOptions, useTeamSites } from '../api/activities-api';

/** A team in a picker: its name, and its site in grey. */
const teamOption = (t: { id: string; name: string; orgName: string }) => ({
  value: t.id,
  label: (
    <span>
      {t.name}
      <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: '0.85em' }}>
        {t.orgName}
      </Typography.Text>
    </span>
  ),
});

/** Staff: any team in their area, searched by name. */
export function TeamSelect({ value, onChange, id }: { value?: string; onChange?: (v: string | undefined) => void; id?: string }) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const teams = useTeamOptions(q);
  return (
    <Select
      id={id}
      allowClear
      value={value}
      placeholder="可不选；选了队伍，队长也能管理此活动"
      showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
      loading={teams.isFetching}
      notFoundContent={q ? '没有找到匹配的队伍' : '暂无队伍'}
      onChange={(v: string | undefined) => {
        setInput('');
        onChange?.(v);
      }}
      options={(teams.data?.items ?? []).map(teamOption)}
    />
  );
}

/** 队长: one of the teams they lead organises the activity. */
export function LedTeamSelect({
  teams,
  value,
  onChange,
  id,
}: {
  teams: LedTeamDto[];
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
}) {
  return (
    <Select
      id={id}
      value={value}
      placeholder="选择您带领的队伍"
      onChange={(v: string) => onChange?.(v)}
      data-testid="activity-led-team"
      options={teams.map(teamOption)}
    />
  );
}

/**
 * 队长: the team's site or one directly below it. The site picked (also the first one, filled in
 * when the team is chosen) hands its address and position to the form once its details arrive.
 */
export function TeamSiteSelect({
  team,
  value,
  onChange,
  onSite,
  id,
}: {
  team?: LedTeamDto;
  value?: string;
  onChange?: (v: string | undefined) => void;
  onSite: (org: OrgDto | undefined) => void;
  id?: string;
}) {
  const sites = useTeamSites(team);
  const reported = useRef<string | undefined>(undefined);
  const current = sites.data?.find((o) => o.id === value);
  useEffect(() => {
    if (current && reported.current !== current.id) {
      reported.current = current.id;
      onSite(current);
    }
  }, [current, onSite]);
  const options = sites.data?.length ? sites.data : team ? [{ id: team.orgId, name: team.orgName } as OrgDto] : [];
  return (
    <Select
      id={id}
      value={value}
      disabled={!team}
      loading={sites.isFetching}
      placeholder={team ? '选择举办阵地' : '先选择承办队伍'}
      onChange={(v: string) => onChange?.(v)}
      data-testid="activity-team-site"
      options={options.map((o) => ({ value: o.id, label: o.name }))}
    />
  );
}
