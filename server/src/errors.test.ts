import fs from 'node:fs';
import { ERROR_MESSAGES } from '@kesu/shared';
import { expect, it } from 'vitest';
import { ERROR_STATUS } from './errors';

it('docs/ERRORS.md lists every public error code with its status and message', () => {
  const doc = fs.readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
  for (const [code, message] of Object.entries(ERROR_MESSAGES)) {
    const status = ERROR_STATUS[code as keyof typeof ERROR_STATUS];
    expect(doc, code).toContain(`| \`${code}\` | ${status} | ${message} |`);
  }
});
