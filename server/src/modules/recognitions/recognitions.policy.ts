import type { AuthUser } from '../../context';

/** The office's staff read commendations (admins, leaders, analysts) of their level and below. */
export function canReadRecognitions(user: AuthUser): boolean {
  return user.role === 'admin' || user.role === 'leader' || user.role === 'analyst';
}

/** The admin of the awarding level records, decides and publishes (the service checks the level is its own). */
export function canEditRecognitions(user: AuthUser): boolean {
  return user.role === 'admin';
}
