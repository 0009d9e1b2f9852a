/** The zone fence is enforced by ESLint: prove it rejects what it must. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function errors(code: string, filePath: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r!.messages.filter((m) => m.severity === 2).map((m) => m.message);
}

describe('dependency fence', () => {
  it('keeps src/core free of React, Comlink, Node and the DOM', async () => {
    expect((await errors("import { useState } from 'react';\nexport const x = useState;\n", 'src/core/x.ts')).join()).toMatch(
      /no React/,
    );
    expect((await errors("import * as C from 'comlink';\nexport const x = C;\n", 'src/core/x.ts')).join()).toMatch(/Comlink/);
    expect(
      (await errors("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src/core/x.ts')).join(),
    ).toMatch(/Node built-ins/);
    expect((await errors('export const x = document.title;\n', 'src/core/x.ts')).join()).toMatch(/no DOM/);
    expect((await errors("import { x } from '../ui/store';\nexport const y = x;\n", 'src/core/x.ts')).join()).toMatch(
      /outer zones/,
    );
    expect(await errors("import { fold } from './checksum';\nexport const y = fold;\n", 'src/core/x.ts')).toEqual([]);
  });

  it('lets the UI import the worker API as a type only', async () => {
    expect(
      (await errors("import { api } from '../../workers/analysis.worker';\nexport const y = api;\n", 'src/ui/x.ts')).join(),
    ).toMatch(/type only/);
    expect(
      await errors(
        "import type { AnalysisApi } from '../../workers/analysis.worker';\nexport type Y = AnalysisApi;\n",
        'src/ui/x.ts',
      ),
    ).toEqual([]);
  });
});
