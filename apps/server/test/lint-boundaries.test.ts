// The architecture rules of eslint.config.js, proved on snippets: each layer rule refuses the
// import it exists to refuse and lets the legal one through. Runs ESLint's Node API with only the
// boundaries block (no type information), on in-memory code given a path in the tree; the files
// the snippets import are real, so the plugin classifies both ends as it does in `npm run lint`.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import type { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// Loaded by URL: the config is plain JS, outside the TypeScript program.
const configUrl = new URL('../../../eslint.config.js', import.meta.url).href;

async function lintImports(filePath: string, code: string): Promise<string[]> {
  const { default: config } = (await import(configUrl)) as { default: Linter.Config[] };
  const boundariesOnly = config.filter((c) => c.plugins && 'boundaries' in c.plugins);
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } }, ...boundariesOnly],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const cases: { name: string; file: string; bad: string; good: string }[] = [
  {
    name: 'contracts import nothing of ours',
    file: 'packages/contracts/src/example.ts',
    bad: "import { isValidIdNumber } from '@wenming/domain';",
    good: "import { z } from 'zod';\nimport { ZPage } from './common.ts';",
  },
  {
    name: 'domain imports only contracts',
    file: 'packages/domain/src/example.ts',
    bad: "import { newId } from '../../../apps/server/src/lib/ids.ts';",
    good: "import type { TOrder } from '@wenming/contracts';\nimport { addDays } from './pairing.ts';",
  },
  {
    name: 'a server module reaches another module only through its index.ts',
    file: 'apps/server/src/modules/activities/example.ts',
    bad: "import type { OrgsRepository } from '../orgs/orgs.repository.ts';",
    good: "import type { OrgsRepository } from '../orgs/index.ts';\nimport type { ActivitiesRepository } from './activities.repository.ts';\nimport { newId } from '../../lib/ids.ts';",
  },
  {
    name: 'plugins, db and lib never import a module',
    file: 'apps/server/src/lib/example.ts',
    bad: "import type { OrgsRepository } from '../modules/orgs/index.ts';",
    good: "import { newId } from './ids.ts';\nimport { localDate } from '@wenming/domain';",
  },
  {
    name: 'the web never imports server code',
    file: 'apps/web/src/lib/example.ts',
    bad: "import { newId } from '../../../server/src/lib/ids.ts';",
    good: "import { ZOrder } from '@wenming/contracts';\nimport { api } from './api-client';",
  },
  {
    name: 'the web never names the server package either',
    file: 'apps/web/src/features/orders/example.ts',
    bad: "import { buildApp } from '@wenming/server';",
    good: "import { localDate } from '@wenming/domain';",
  },
  {
    name: 'a web feature reaches another feature only through its index.ts',
    file: 'apps/web/src/features/h5/example.tsx',
    bad: "import { CertificateLink } from '../certificates/components/certificate-link';",
    good: "import { CertificateLink } from '../certificates';\nimport { formatDate } from '../../lib/format';",
  },
];

describe('architecture rules (eslint-plugin-boundaries)', () => {
  it.each(cases)('$name', async ({ file, bad, good }) => {
    const refused = await lintImports(file, bad);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^boundaries\/dependencies: /);
    expect(await lintImports(file, good)).toEqual([]);
  });

  it('lets the composition root see inside every module', async () => {
    expect(await lintImports('apps/server/src/modules/index.ts', "import { createOrgsRepository } from './orgs/orgs.repository.ts';")).toEqual([]);
    expect(await lintImports('apps/server/src/config.ts', "import { createOrgsRepository } from './modules/orgs/orgs.repository.ts';")).toHaveLength(1);
  });
});
