#!/usr/bin/env node
// The `wenming` command: runs the TypeScript server through tsx (no separate build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
