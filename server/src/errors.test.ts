import fs from 'node:fs';
import { ERROR_MESSAGES } from '@kesu/shared';
import { expect, it } from 'vitest';
import { ERROR_STATUS } from './errors';

it('docs/ERRORS.md lists every public error code with its status and message', () => {
  const doc = fs.readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
  // Table rows: | `CODE` | status | message | when |, however the columns are padded.
  const rows = new Map(
    doc
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .filter((cells) => /^`[A-Z_]+`$/.test(cells[1] ?? ''))
      .map((cells) => [cells[1]!.slice(1, -1), { status: Number(cells[2]), message: cells[3] }]),
  );
  for (const [code, message] of Object.entries(ERROR_MESSAGES)) {
    expect(rows.get(code), code).toEqual({
      status: ERROR_STATUS[code as keyof typeof ERROR_STATUS],
      message,
    });
  }
  expect([...rows.keys()].sort()).toEqual(Object.keys(ERROR_MESSAGES).sort());
});
