import { useState, type ReactNode } from 'react';
import { App as AntdApp, ConfigProvider, theme as antdTheme, type ThemeConfig } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from '../lib/query-client';
import { ElderlyModeProvider, useElderlyMode } from '../lib/elderly-mode';

const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Helvetica Neue', Arial, sans-serif";

const baseTheme: ThemeConfig = {
  token: {
    colorPrimary: '#c8102e',
    colorLink: '#c8102e',
    colorInfo: '#1668dc',
    borderRadius: 8,
    fontFamily: FONT_FAMILY,
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#1d1f24', headerPadding: '0 24px' },
    Menu: { darkItemBg: '#1d1f24', darkSubMenuItemBg: '#16181c', darkItemSelectedBg: '#c8102e' },
  },
};

/** 长辈模式: 20px base type, bigger controls, near-black text and darker lines. */
const elderlyTheme: ThemeConfig = {
  algorithm: antdTheme.defaultAlgorithm,
  token: {
    ...baseTheme.token,
    colorPrimary: '#a8071a',
    colorLink: '#a8071a',
    fontSize: 20,
    lineHeight: 1.6,
    controlHeight: 48,
    colorText: '#000000',
    colorTextSecondary: '#1a1a1a',
    colorTextTertiary: '#262626',
    colorTextDescription: '#262626',
    colorTextPlaceholder: '#595959',
    colorBorder: '#595959',
    colorBorderSecondary: '#8c8c8c',
    colorBgLayout: '#ffffff',
  },
  components: baseTheme.components,
};

function ThemedApp({ children }: { children: ReactNode }) {
  const { enabled } = useElderlyMode();
  return (
    <ConfigProvider locale={zhCN} theme={enabled ? elderlyTheme : baseTheme}>
      <AntdApp>{children}</AntdApp>
    </ConfigProvider>
  );
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <ElderlyModeProvider>
        <ThemedApp>{children}</ThemedApp>
      </ElderlyModeProvider>
    </QueryClientProvider>
  );
}
