import { useState } from 'react';
import { Alert, App, Button, Form, Input, Radio, Result, Tag } from 'antd';
import { EnvironmentOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { POLITICAL_STATUS_NAMES, ZRegisterVolunteerBody, type MeDto } from '@wenming/contracts';
import { isValidIdNumber } from '@wenming/domain';
import { CommunityPicker } from '../../../components/community-picker';
import { isApiError } from '../../../lib/api-client';
import { useCategories } from '../../../lib/categories';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { useMyCommunity, type Community } from '../../../lib/my-community';
import { placePath } from '../../../lib/site-names';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useRegisterVolunteer } from '../api/volunteers-api';
import { AvailabilityGrid, type Slot } from './availability-grid';
import './volunteers.css';

const NO_STATION = '请选择您报到的社区（实践站）';

interface Values {
  realName?: string;
  idNumber?: string;
  politicalStatus?: 'party' | 'league' | 'masses';
  workUnit?: string;
  availability?: Slot[];
}

const SPECIALTIES = ['医疗', '护理', '法律', '心理', '文艺', '教育', '理发', '家电维修', '摄影', '驾驶', '电脑', '外语'];
const FIELDS = ['realName', 'idNumber', 'orgId', 'skills', 'specialties', 'politicalStatus', 'workUnit', 'availability'] as const;

/** 志愿者报到: who I am, where I serve, what I can do and when. */
export function H5VolunteerRegisterPage({ me }: { me: MeDto }) {
  useDocumentTitle('志愿者报到');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const { community, setCommunity } = useMyCommunity(me.id);
  const [station, setStation] = useState<Community | null>(community);
  const [picking, setPicking] = useState(false);
  const [skills, setSkills] = useState<string[]>([]);
  const [specialties, setSpecialties] = useState<string[]>([]);
  const [custom, setCustom] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [stationError, setStationError] = useState(false);
  const categories = useCategories();
  const register = useRegisterVolunteer();
  const political = Form.useWatch('politicalStatus', form);

  if (me.volunteerId)
    return (
      <Result
        status="success"
        title="您已经是志愿者了"
        extra={
          <Link to="/h5/volunteer">
            <Button type="primary" size="large">
              查看我的志愿
            </Button>
          </Link>
        }
      />
    );

  const toggle = (list: string[], set: (v: string[]) => void, v: string) => set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    if (!station) {
      setStationError(true);
      setFormError(NO_STATION);
      return;
    }
    const body = validateForm(form, ZRegisterVolunteerBody, {
      realName: v.realName ?? '',
      idNumber: v.idNumber ?? '',
      orgId: station.id,
      skills,
      specialties: specialties.length ? specialties : undefined,
      politicalStatus: v.politicalStatus,
      workUnit: v.politicalStatus === 'party' && v.workUnit?.trim() ? v.workUnit.trim() : undefined,
      availability: v.availability?.length ? v.availability : undefined,
      lat: station.lat ?? undefined,
      lng: station.lng ?? undefined,
    });
    if (!body) return;
    if (!isValidIdNumber(body.idNumber)) {
      form.setFields([{ name: ['idNumber'], errors: ['身份证号码有误，请核对（最后一位校验码不符）'] }]);
      return;
    }
    if (!skills.length) {
      setFormError('请至少选择一项服务技能');
      return;
    }
    try {
      await register.mutateAsync(body);
      message.success('报到成功，欢迎加入志愿者队伍！');
      navigate('/h5/volunteer', { replace: true });
    } catch (e) {
      if (isApiError(e) && e.code === 'DUPLICATE') {
        setFormError(e.message);
        return;
      }
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  return (
    <div className="h5-page h5-volunteer-form">
      <section className="h5-vol-banner">
        <b>新时代文明实践志愿者</b>
        <span>奉献、友爱、互助、进步</span>
      </section>
      <section className="h5-card">
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          name="volunteer-register"
          onValuesChange={clearErrorsOnChange(form)}
          onFinish={() => void submit()}
          initialValues={{ realName: me.name, availability: [] }}
          requiredMark={false}
        >
          <Form.Item name="realName" label="真实姓名" required>
            <Input size="large" maxLength={50} autoComplete="name" />
          </Form.Item>
          <Form.Item name="idNumber" label="身份证号码" required extra="仅用于身份核验，不会对外显示">
            <Input size="large" maxLength={18} autoComplete="off" inputMode="text" placeholder="18位，末位可能是 X" style={{ letterSpacing: 1 }} />
          </Form.Item>
          <Form.Item label="报到社区（实践站）" required validateStatus={stationError && !station ? 'error' : undefined}>
            {station ? (
              <button type="button" className="h5-site-pick" onClick={() => setPicking(true)} data-testid="volunteer-station">
                <EnvironmentOutlined />
                <span className="h5-site-pick-text">
                  <b>{station.name}</b>
                  <small>{placePath(station.pathNames)}</small>
                </span>
                <span className="h5-site-pick-change">更换</span>
              </button>
            ) : (
              <Button block size="large" icon={<EnvironmentOutlined />} onClick={() => setPicking(true)} danger={stationError}>
                选择社区
              </Button>
            )}
          </Form.Item>
          <Form.Item label="服务技能（可多选）" required>
            <div className="h5-chips" data-testid="volunteer-skills">
              {(categories.data ?? []).map((c) => (
                <Tag.CheckableTag key={c.code} checked={skills.includes(c.code)} onChange={() => toggle(skills, setSkills, c.code)} className="h5-chip">
                  {c.name}
                </Tag.CheckableTag>
              ))}
            </div>
          </Form.Item>
          <Form.Item label="特长（可多选，也可自己填写）">
            <div className="h5-chips" data-testid="volunteer-specialties">
              {[...SPECIALTIES, ...specialties.filter((s) => !SPECIALTIES.includes(s))].map((s) => (
                <Tag.CheckableTag key={s} checked={specialties.includes(s)} onChange={() => toggle(specialties, setSpecialties, s)} className="h5-chip">
                  {s}
                </Tag.CheckableTag>
              ))}
            </div>
            <div className="h5-add-specialty">
              <Input
                value={custom}
                onChange={(e) => setCustom(e.target.value)}
                maxLength={20}
                placeholder="其他特长，如：剪纸"
                onPressEnter={(e) => {
                  e.preventDefault();
                  const s = custom.trim();
                  if (s && !specialties.includes(s)) setSpecialties([...specialties, s]);
                  setCustom('');
                }}
              />
              <Button
                icon={<PlusOutlined />}
                onClick={() => {
                  const s = custom.trim();
                  if (s && !specialties.includes(s)) setSpecialties([...specialties, s]);
                  setCustom('');
                }}
              >
                添加
              </Button>
            </div>
          </Form.Item>
          <Form.Item name="politicalStatus" label="政治面貌">
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              size="large"
              className="h5-radio-row"
              options={Object.entries(POLITICAL_STATUS_NAMES).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          {political === 'party' && (
            <Form.Item name="workUnit" label="工作单位（党员双报到）" extra="在职党员到社区报到，填写所在单位">
              <Input size="large" maxLength={100} />
            </Form.Item>
          )}
          <Form.Item name="availability" label="每周可服务时间（点选）">
            <AvailabilityGrid />
          </Form.Item>
          <Button type="primary" size="large" block htmlType="submit" loading={register.isPending} className="h5-big-button" data-testid="volunteer-submit">
            提交报到
          </Button>
        </Form>
      </section>
      <CommunityPicker
        open={picking}
        onClose={() => setPicking(false)}
        currentId={station?.id}
        onPick={(org) => {
          setStation({ id: org.id, name: org.name, pathNames: org.pathNames, address: org.address, lat: org.lat, lng: org.lng });
          if (!community) setCommunity(org);
          setStationError(false);
          setFormError((e) => (e === NO_STATION ? null : e));
          setPicking(false);
        }}
      />
    </div>
  );
}
