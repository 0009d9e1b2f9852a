/**
 * The display filter against tshark's: for each capture and expression, as many frames kept as
 * `tshark -Y` keeps (test/oracles/tshark-filters.json, made by make-filter-oracle.py with tshark
 * 4.0), through the same pipeline option the CLI's --filter uses.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFiles, REPO } from '../../../test/helpers/corpus';
import { compileFilter } from '.';

const ORACLE = JSON.parse(readFileSync(`${REPO}/test/oracles/tshark-filters.json`, 'utf8')) as {
  tshark: string;
  counts: Record<string, Record<string, number>>;
};

describe(`display filters count what ${ORACLE.tshark} -Y counts`, () => {
  for (const [file, exprs] of Object.entries(ORACLE.counts)) {
    it(file, async () => {
      const got: Record<string, number> = {};
      for (const expression of Object.keys(exprs)) {
        const r = await analyzeFiles([file], { filter: { expression, fn: compileFilter(expression) } });
        got[expression] = r.filter!.matched;
      }
      expect(got).toEqual(exprs);
    });
  }
});
