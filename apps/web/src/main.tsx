import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import zodZhCN from 'zod/v4/locales/zh-CN.js';
import { App } from './app/app';
import './app/global.css';

// Messages of schema checks that carry no text of their own (e.g. number ranges) in Chinese too.
z.config(zodZhCN());
// No code generation: zod otherwise probes `new Function('')`, which the server's CSP forbids
// (script-src without 'unsafe-eval'); the probe fails safely but is reported as a violation.
z.config({ jitless: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
