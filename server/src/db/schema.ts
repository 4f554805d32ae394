import type { Generated } from 'kysely';

/**
 * Table types as stored: snake_case, times as ISO-8601 UTC text, booleans as 0/1 integers, JSON as text.
 * Keep in step with migrations/ (which never import this file).
 */
export interface UnitsTable {
  id: string;
  kind: string;
  name: string;
  short_name: string;
  /** JSON array of alternative names. */
  aliases: string;
  region_code: string | null;
  is_active: number;
  sort_order: number;
  /** Set when this unit was merged into another; references then point to that one. */
  merged_into_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  unit_id: string | null;
  is_active: number;
  must_change_password: number;
  failed_attempts: number;
  locked_until: string | null;
  last_login_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** sha256 of the cookie token, hex; the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  revoked_at: string | null;
}

export interface LoginAttemptsTable {
  id: string;
  at: string;
  ip: string;
  username: string;
  is_success: number;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  ip: string | null;
}

/** Kysely's own bookkeeping tables are not listed. */
export interface Database {
  units: UnitsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
}

// Generated is re-exported for migrations-free helpers that might need it later.
export type { Generated };
