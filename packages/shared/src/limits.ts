/** Limits shared by server and web, so a form refuses what the server would refuse. */
export const LIMITS = {
  /** Largest JSON request body accepted by the API, bytes. */
  jsonBodyBytes: 1024 * 1024,
  /** Largest uploaded file, bytes. */
  uploadBytes: 10 * 1024 * 1024,
  pageSizeDefault: 20,
  pageSizeMax: 200,
  passwordMin: 10,
  passwordMax: 128,
  /** Failed sign-ins on one account before it is locked. */
  loginFailuresBeforeLock: 5,
  /** How long a locked account stays locked, minutes. */
  lockMinutes: 15,
  /** Failed sign-ins from one IP address within the window before further attempts are refused. */
  loginFailuresPerIp: 20,
  loginWindowMinutes: 15,
} as const;
