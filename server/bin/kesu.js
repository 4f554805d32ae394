#!/usr/bin/env node
// The `kesu` command. `npm run build` (or `npm start`) builds dist/ first.
import './require-node.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('kesu 尚未构建：请先在仓库根目录运行 npm run build');
  process.exit(2);
}
await import(cli);
