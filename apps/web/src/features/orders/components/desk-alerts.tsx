import { useEffect, useRef, useState } from 'react';
import { App, Button, Tooltip } from 'antd';
import { BellOutlined, SoundOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { api } from '../../../lib/api-client';
import { useServerEvents, type ServerNotification } from '../../../lib/server-events';
import { loadJson, saveJson } from '../../../lib/storage';
import type { OrderDto } from '../api/orders-api';

const SOUND_KEY = 'wenming.desk.alertSound';

/**
 * What the desk is alerted to (issue 18): a new 特急 order, and an order escalated or supervised
 * (督办) to this desk — not the notice to the desk an escalation left. Null for anything else.
 */
export function deskAlertFor(n: Pick<ServerNotification, 'kind' | 'title'>, o: Pick<OrderDto, 'code' | 'urgency' | 'handlingOrgId' | 'content'>, me: MeDto) {
  const myOrgs = new Set(me.roles.filter((r) => r.role === 'org_admin' || r.role === 'dispatcher').map((r) => r.orgId));
  const toThisDesk = me.roles.some((r) => r.role === 'admin') || myOrgs.has(o.handlingOrgId);
  if (n.kind === 'order.submitted' && o.urgency === 'critical') return { title: `特急工单 ${o.code}`, body: o.content.slice(0, 80) };
  if (n.kind === 'order.escalated' && toThisDesk) return { title: n.title, body: o.content.slice(0, 80) };
  if (n.kind === 'order.supervised') return { title: n.title, body: o.content.slice(0, 80) };
  return null;
}

let audio: AudioContext | null = null;
/** Three short high beeps (no sound file to fetch): the Web Audio API, unlocked by a click on the switch. */
function beep() {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return;
  audio ??= new Ctx();
  void audio.resume();
  const t0 = audio.currentTime;
  for (let i = 0; i < 3; i++) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'square';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, t0 + i * 0.35);
    gain.gain.exponentialRampToValueAtTime(0.25, t0 + i * 0.35 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.35 + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0 + i * 0.35);
    osc.stop(t0 + i * 0.35 + 0.26);
  }
}

const canNotify = () => typeof Notification !== 'undefined';

/**
 * The desk's alert for 特急 and escalations: a sound, a desktop notification (when allowed) and a
 * red notice on the page that opens the order. The server pushes the notice (GET /events); the
 * order is read to know its urgency and desk.
 */
export function DeskAlerts({ me }: { me: MeDto }) {
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const [sound, setSound] = useState<boolean>(() => loadJson<boolean>(SOUND_KEY) ?? true);
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(() => (canNotify() ? Notification.permission : 'unsupported'));
  const seen = useRef(new Set<string>());

  useEffect(() => saveJson(SOUND_KEY, sound), [sound]);

  useServerEvents((n) => {
    if (n.refType !== 'order' || !n.refId || !['order.submitted', 'order.escalated', 'order.supervised'].includes(n.kind)) return;
    if (seen.current.has(n.id)) return;
    seen.current.add(n.id);
    const id = n.refId;
    void api<OrderDto>(`/orders/${id}`)
      .then((o) => {
        const alert = deskAlertFor(n, o, me);
        if (!alert) return;
        const open = () => navigate(`/admin/dispatch?order=${id}`);
        if (sound) beep();
        if (canNotify() && Notification.permission === 'granted') {
          const desktop = new Notification(alert.title, { body: alert.body, tag: `order-${id}`, requireInteraction: true });
          desktop.onclick = () => {
            window.focus();
            open();
            desktop.close();
          };
        }
        notification.error({
          key: `alert-${n.id}`,
          title: alert.title,
          description: alert.body,
          placement: 'topRight',
          duration: 0,
          onClick: () => {
            notification.destroy(`alert-${n.id}`);
            open();
          },
          style: { cursor: 'pointer' },
          props: { 'data-testid': 'desk-alert' } as object,
        });
      })
      .catch(() => {});
  });

  const enable = async () => {
    // A click is also what browsers need before a page may play sound.
    beep();
    setSound(true);
    if (canNotify() && Notification.permission === 'default') setPermission(await Notification.requestPermission());
  };

  return (
    <span className="desk-alerts" data-testid="desk-alerts">
      <Tooltip title={sound ? '特急和上报工单到达时响铃（点击关闭）' : '响铃已关闭（点击开启）'}>
        <Button
          icon={<SoundOutlined />}
          type={sound ? 'default' : 'dashed'}
          onClick={() => (sound ? setSound(false) : void enable())}
          aria-pressed={sound}
          data-testid="desk-alert-sound"
        >
          {sound ? '响铃提醒：开' : '响铃提醒：关'}
        </Button>
      </Tooltip>
      {permission === 'default' && (
        <Button icon={<BellOutlined />} onClick={() => void enable()} data-testid="desk-alert-desktop">
          开启桌面通知
        </Button>
      )}
      {permission === 'denied' && (
        <Tooltip title="浏览器已禁止本网站的通知，可在地址栏左侧的网站设置中允许">
          <Button icon={<BellOutlined />} disabled>
            桌面通知已被浏览器禁止
          </Button>
        </Tooltip>
      )}
    </span>
  );
}
