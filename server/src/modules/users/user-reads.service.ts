/** What the sign-in (auth) may read and write of users: it comes here, never to users.repository. */
export {
  findUserByUsername,
  findUserRow,
  setLoginState,
  updateUserRow,
  type UserRow,
} from './users.repository';
