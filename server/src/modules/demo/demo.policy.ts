import type { AuthUser } from '../../context';

/** Every signed-in user sees whether demo data is loaded (the banner and 演示数据 tags); loading and removing it is
 * done on the server with `kesu demo`, never over HTTP. */
export function canReadDemoStatus(_user: AuthUser): boolean {
  return true;
}
