import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('config', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', DATA_DIR: './data', WENMING_SEED: 'demo', RATE_LIMIT_PER_MINUTE: 600 });
    expect(c.DATABASE_URL).toBeUndefined();
    // docs/operations.md: the serving pool's timeouts and the readiness deadline.
    expect(c).toMatchObject({
      DATABASE_CONNECT_TIMEOUT_MS: 5000,
      DATABASE_STATEMENT_TIMEOUT_MS: 30000,
      DATABASE_QUERY_TIMEOUT_MS: 35000,
      READYZ_TIMEOUT_MS: 2000,
    });
  });

  it('lists every bad value at once, hiding secrets', () => {
    try {
      loadConfig({ PORT: 'eighty', WENMING_SEED: 'lots', DATABASE_URL: 'mysql://x', WENMING_ADMIN_PASSWORD: 'short', RATE_LIMIT_PER_MINUTE: '0' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems.map((p) => p.split(':')[0])).toEqual(
        expect.arrayContaining(['PORT', 'WENMING_SEED', 'DATABASE_URL', 'WENMING_ADMIN_PASSWORD', 'RATE_LIMIT_PER_MINUTE']),
      );
      expect(problems.join('\n')).not.toContain('short');
      expect(problems.join('\n')).not.toContain('mysql://x');
    }
  });
});
