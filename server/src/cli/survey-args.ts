import { type ParseArgsConfig, parseArgs } from 'node:util';
import { AppError } from '../errors';

/** A refusal of `kesu survey …`: one Chinese line on stderr, exit 2 (runSurveyCommand). */
export function fail(message: string, details?: unknown): never {
  throw new AppError('BAD_REQUEST', message, details);
}

/** node:util parseArgs, with an unknown or malformed option reported as one Chinese line (exit 2). */
export function parseOptions<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (err) {
    fail(`选项有误：${(err as Error).message}（运行 kesu help 查看用法）`);
  }
}
