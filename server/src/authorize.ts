import type { AuthUser, Ctx } from './context';
import { AppError } from './errors';

/** A context whose user is signed in. */
export type SignedInCtx = Ctx & { user: AuthUser };

/** Signed in, or UNAUTHENTICATED (401). Narrows `ctx.user` for the code after it. */
export function authenticate(ctx: Ctx): asserts ctx is SignedInCtx {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
}

/**
 * THE authorization gate of the services: signed in (else 401), and the module's policy (`*.policy.ts`) allows the
 * user (else 403 with the message, in Chinese). Policies stay pure functions of the user and, where it matters, the
 * record acted on; routes never decide. Narrows `ctx.user` for the code after it.
 */
export function authorize(
  ctx: Ctx,
  policy: (user: AuthUser) => boolean,
  message?: string,
): asserts ctx is SignedInCtx {
  authenticate(ctx);
  if (!policy(ctx.user)) throw new AppError('FORBIDDEN', message);
}
