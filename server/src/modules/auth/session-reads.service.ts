/** What other modules may do with sessions (users: end a user's sessions): they come here, never to the repository. */
export { revokeUserSessions } from './sessions.repository';
