import { useRef, useState } from 'react';
import { App, Form } from 'antd';
import { useNavigate } from 'react-router-dom';
import { ZCreateActivityBody, type OrgDto } from '@wenming/contracts';
import { isApiError } from '../../../lib/api-client';
import { useCategories } from '../../../lib/categories';
import { applyApiError, validateForm } from '../../../lib/form-errors';
import { localInputToIso } from '../../../lib/format';
import { isLeaderOnly, useMe } from '../../../lib/session';
import { uuid } from '../../../lib/uuid';
import { useCreateActivity, useTeamName, useUpdateActivity, type ActivityDto } from '../api/activities-api';
import { blankValues, bodyOf, changesOf, FIELDS, REQUIRED, valuesOf, type ActivityFormValues } from '../components/activity-form-values';

/**
 * 新建活动 (saved as a draft; published from its page after a check), or 编辑草稿 with `draft`:
 * the form, its initial values, the fields the layout watches, the site that fills the address,
 * and the save (create with an idempotency key, or PATCH of what changed).
 */
export function useActivityEditor(draft?: ActivityDto) {
  const editing = !!draft;
  const [form] = Form.useForm<ActivityFormValues>();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const create = useCreateActivity();
  const update = useUpdateActivity(draft?.id ?? '');
  const categories = useCategories();
  const teamName = useTeamName(draft?.teamId);
  const me = useMe().data;
  // 队长 (no staff role) pick one of their teams, and the team's site or one below it.
  const ledTeams = isLeaderOnly(me) ? (me?.ledTeams ?? []) : null;
  const [formError, setFormError] = useState<string | null>(null);
  // The site's own address and position fill the fields until someone types their own.
  const filledFrom = useRef<OrgDto | null>(null);
  const key = useRef(uuid());
  const [initial] = useState<ActivityFormValues>(() => {
    if (draft) return valuesOf(draft);
    const only = ledTeams?.length === 1 ? ledTeams[0] : undefined;
    return only ? { ...blankValues(), teamId: only.id, orgId: only.orgId } : blankValues();
  });
  const startsAt = Form.useWatch('startsAt', form);
  const endsAt = Form.useWatch('endsAt', form);
  const watchedTeam = Form.useWatch('teamId', form);
  // A draft's team is fixed (no field for it): the team-only switch follows the draft's.
  const teamId = draft ? draft.teamId : watchedTeam;
  const lat = Form.useWatch('lat', form);
  const repeat = Form.useWatch('repeat', form);
  const repeatWeeks = Form.useWatch('repeatWeeks', form);
  const span = startsAt && endsAt ? Date.parse(localInputToIso(endsAt)!) - Date.parse(localInputToIso(startsAt)!) : NaN;
  const backTo = draft ? `/admin/activities/${draft.id}` : '/admin/activities';

  const pickSite = (org: OrgDto | undefined) => {
    const prev = filledFrom.current;
    const v = form.getFieldsValue();
    const untouched = (field: 'address' | 'lat' | 'lng') =>
      v[field] === undefined || v[field] === null || v[field] === '' || (prev && v[field] === prev[field]);
    if (org) {
      form.setFieldsValue({
        ...(untouched('address') ? { address: org.address ?? undefined } : {}),
        ...(untouched('lat') && untouched('lng') ? { lat: org.lat, lng: org.lng } : {}),
      });
    }
    filledFrom.current = org ?? null;
  };

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue(true) as ActivityFormValues;
    const missing = REQUIRED.filter(([k]) => v[k] === undefined || v[k] === null || v[k] === '');
    if (ledTeams && !editing && !v.teamId) missing.unshift(['teamId', '请选择承办队伍']);
    if (v.volunteerQuota === undefined || v.volunteerQuota === null) missing.push(['volunteerQuota', '请填写志愿者名额（不招志愿者填 0）']);
    if (v.repeat && !editing && (v.repeatWeeks === undefined || v.repeatWeeks === null)) missing.push(['repeatWeeks', '请填写重复次数（2 到 52 次）']);
    if (missing.length) {
      form.setFields(missing.map(([name, msg]) => ({ name, errors: [msg] })));
      return;
    }
    // A draft is checked as a whole, as the server checks it after merging the changes.
    const body = validateForm(form, ZCreateActivityBody, bodyOf(v, editing));
    if (!body) return;
    if (draft) {
      const patch = changesOf(draft, initial, body, v);
      if (!Object.keys(patch).length) {
        message.info('没有修改');
        navigate(backTo);
        return;
      }
      try {
        await update.mutateAsync(patch);
        message.success('草稿已保存');
        navigate(backTo, { replace: true });
      } catch (e) {
        if (isApiError(e) && e.status === 409) setFormError('活动已发布或已取消，不能再修改草稿。请返回活动页查看。');
        else setFormError(applyApiError(form, e, FIELDS));
      }
      return;
    }
    try {
      const a = await create.mutateAsync({ body, key: key.current });
      message.success(
        a.occurrenceIds.length > 1
          ? `已保存 ${a.occurrenceIds.length} 次活动草稿（每周一次）。核对无误后点“发布整个系列”。`
          : '已保存为草稿。核对无误后点“发布”开始招募。',
      );
      navigate(`/admin/activities/${a.id}`, { replace: true });
    } catch (e) {
      key.current = uuid();
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  return {
    form,
    draft,
    editing,
    initial,
    formError,
    submit,
    saving: create.isPending || update.isPending,
    cancel: () => navigate(backTo),
    backTo,
    categoryOptions: (categories.data ?? []).map((c) => ({ value: c.code, label: c.name })),
    categoriesLoading: categories.isPending,
    draftTeamName: teamName.data,
    ledTeams,
    pickSite,
    watched: { startsAt, endsAt, watchedTeam, teamId, lat, repeat, repeatWeeks, span },
  };
}

export type ActivityEditor = ReturnType<typeof useActivityEditor>;
