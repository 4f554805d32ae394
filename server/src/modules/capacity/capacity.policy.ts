import type { AuthUser } from '../../context';

/** The office's staff read the index (admins, leaders, analysts); the service shows only a level the user reads. */
export function canReadCapacity(user: AuthUser): boolean {
  return user.role === 'admin' || user.role === 'leader' || user.role === 'analyst';
}

/** The admin of a level configures, computes and publishes its index (the service checks the level is its own). */
export function canEditCapacity(user: AuthUser): boolean {
  return user.role === 'admin';
}
