import { useState } from 'react';
import { App } from 'antd';
import { ApiError, API_BASE, errorMessage, readCookie, withQuery, type Query } from './api-client';

/** Downloads an .xlsx export with the session cookie; an error body becomes an ApiError. */
async function downloadXlsx(path: string, query: Query, fallbackName: string): Promise<void> {
  const res = await fetch(withQuery(`${API_BASE}${path}`, query), {
    credentials: 'same-origin',
    headers: { 'Accept-Language': 'zh-CN', 'X-CSRF-Token': readCookie('csrf') ?? '' },
  });
  if (!res.ok) {
    let message = `导出失败（${res.status}）`;
    let code = `HTTP_${res.status}`;
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      message = body.error?.message ?? message;
      code = body.error?.code ?? code;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, code, message);
  }
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)?.[1];
  const name = star ? decodeURIComponent(star) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** An export button's download: `busy` while it runs; a failure is shown as a message. */
export function useXlsxDownload() {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const download = async (path: string, query: Query, fallbackName: string) => {
    setBusy(true);
    try {
      await downloadXlsx(path, query, fallbackName);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { download, busy };
}
