import type { Generated } from 'kysely';

/**
 * Table types as stored: snake_case, times as ISO-8601 UTC text, booleans as 0/1 integers, JSON as text.
 * Keep in step with migrations/ (which never import this file).
 */
/**
 * A jurisdiction (行政区划): province, city, county or function zone (migration 0130). Each runs its own plan with its
 * own units and users; `path` ('/<root id>/…/<own id>/') makes a subtree a prefix.
 */
export interface JurisdictionsTable {
  id: string;
  /** GB/T 2260 code; function zones have none. */
  code: string | null;
  name: string;
  short_name: string;
  level: string;
  parent_id: string | null;
  path: string;
  /** The unit that stands for this jurisdiction in its parent's plan (丰县人民政府 for 丰县), if any. */
  government_unit_id: string | null;
  sort_order: number;
  version: number;
  created_at: string;
  updated_at: string;
  /** Bounding box (degrees, migration 0170): coordinates of its records must fall inside; null = the parent's. */
  min_lng?: number | null;
  max_lng?: number | null;
  min_lat?: number | null;
  max_lat?: number | null;
}

export interface UnitsTable {
  id: string;
  /** The jurisdiction whose plan this unit works in (migration 0130). */
  jurisdiction_id: string | null;
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
  /** Set on rows made by the demo loader (demo_batches.id, migration 0160); null on real data. */
  demo_batch_id?: string | null;
}

export interface UsersTable {
  id: string;
  /** The jurisdiction the account works in: it reads that subtree and writes what the jurisdiction owns. */
  jurisdiction_id: string | null;
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
  /** Optional contact details (migration 0110). */
  phone: string | null;
  email: string | null;
  /** Comma-separated channels besides in-app: 'email', 'webhook'. */
  notify_channels: string;
}

/** One scheduled alert scan (migration 0193); `scope` 'all' = the whole installation. */
export interface AlertScansTable {
  id: string;
  scope: string;
  started_at: string;
  /** Null while running, or when the run died (the queue retries it as a new run). */
  finished_at: string | null;
  alerts_found: number;
  alerts_new: number;
  alerts_cleared: number;
  /** JSON array of source names. */
  failed_sources: string;
  /** In-app notifications sent. */
  notified: number;
}

/** An alert key the scheduled scan has seen (migration 0193); (scope, alert_key) is the key. */
export interface AlertKeysTable {
  scope: string;
  alert_key: string;
  /** When the current standing episode began (a key seen again after clearing starts a new one). */
  first_seen_at: string;
  last_seen_at: string;
  cleared_at: string | null;
}

/** One row per reminder event sent: (kind, subject, occurrence) is unique, so it is sent once. */
export interface ReminderSendsTable {
  id: string;
  kind: string;
  subject_id: string;
  occurrence: string;
  sent_at: string;
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

/** Sign-in counters (migration 0081): 'ip:<address>' or 'acct:<username>|<address>'. */
export interface LoginThrottleTable {
  key: string;
  /** Attempts counted in the current window (counted before the password is checked). */
  failures: number;
  window_start: string;
  locked_until: string | null;
  /** Locks so far: the next lock lasts LIMITS.lockMinutes × 2^strikes (back-off). */
  strikes: number;
}

/** The public read API's fixed window per client (migration 0192): key is a hash of the address. */
export interface RateLimitCountersTable {
  key: string;
  /** Requests counted in the current window. */
  hits: number;
  /** End of the current window (ISO-8601 UTC, ms). */
  expires_at: string;
}

/** The citizen self-test's sliding window (migration 0192): `max` slots per address hash. */
export interface SelfTestAttemptsTable {
  /** sha256 of the client address (hex). */
  address_hash: string;
  slot: number;
  /** When the attempt that holds this slot leaves the window (ISO-8601 UTC, ms). */
  expires_at: string;
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

/** A survey wave: its design (design.json shape, role names) and mapping; microdata in survey_wave_columns. */
export interface SurveyWavesTable {
  id: string;
  name: string;
  year: number;
  scoring_rule: string;
  design_json: string;
  /** JSON: role → column name of the uploaded file. */
  mapping_json: string;
  source_file_name: string;
  n_rows: number;
  is_published: number;
  created_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** The demo batch that generated it (`kesu demo remove` deletes it); null for real waves. */
  demo_batch_id?: string | null;
}

/** One column of a wave's microdata: a gzip'd typed array, base64 (see modules/surveys/microdata.codec.ts). */
export interface SurveyWaveColumnsTable {
  id: string;
  wave_id: string;
  role: string;
  /** 'num' (Float64, NaN = missing) | 'cat' (Int32 codes into levels_json, -1 = missing). */
  kind: string;
  levels_json: string | null;
  encoding: string;
  n: number;
  data: string;
}

/** Cached estimates of a wave (recomputed when the wave is re-estimated). */
export interface SurveyEstimatesTable {
  id: string;
  wave_id: string;
  method: string;
  by_var: string | null;
  domain: string | null;
  variable: string;
  n: number;
  estimate: number;
  se: number;
  ci_low: number | null;
  ci_high: number | null;
  deff: number | null;
  df: number;
  /** 'proportion' | 'mean' (migration 0070). */
  kind: string;
  /** 'logit' | 'wald' | 'beta', null without an interval. */
  ci_method: string | null;
  /** JSON array of flags (all_zero, all_one, constant, no_df, no_variance, raking_not_converged). */
  flags: string;
  sort_order: number;
}

/** An uploaded microdata file on its way to becoming a wave; the file itself lives under DATA_DIR. */
export interface SurveyUploadsTable {
  id: string;
  file_name: string;
  format: string;
  size_bytes: number;
  /** Relative to DATA_DIR. */
  storage_path: string;
  columns_json: string;
  preview_json: string;
  suggested_mapping_json: string;
  /** uploaded → processing → done (wave_id set) | failed (report_json says why; may be imported again). */
  status: string;
  phase: string | null;
  bytes_read: number;
  rows_read: number;
  report_json: string | null;
  wave_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface PopulationMarginsTable {
  id: string;
  year: number;
  dimension: string;
  level: string;
  population: number;
  source: string | null;
  sort_order: number;
  updated_by: string | null;
  updated_at: string;
}

/** A plan as a whole (e.g. 徐州市全民科学素质行动规划实施方案); its content lives in versions. */
export interface PlansTable {
  id: string;
  /** The jurisdiction whose plan (or 实施方案) this is. */
  jurisdiction_id: string | null;
  title: string;
  issuer: string | null;
  doc_number: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** Set on rows made by the demo loader (demo_batches.id, migration 0160); null on real data. */
  demo_batch_id?: string | null;
}

/** One imported document of a plan; `number` counts from 1. At most one version of a plan is published. */
export interface PlanVersionsTable {
  id: string;
  plan_id: string;
  number: number;
  title: string;
  issuer: string | null;
  doc_number: string | null;
  /** The 印发 date, YYYY-MM-DD. */
  doc_date: string | null;
  file_name: string | null;
  note: string;
  /** The normalized document text the spans point into. */
  source_text: string;
  source_sha256: string;
  /** JSON array of the parser's warnings. */
  warnings: string;
  is_published: number;
  published_at: string | null;
  created_by: string | null;
  created_at: string;
}

/** A numbered heading of a version; `parent_id` builds the tree, `sort_order` is document order. */
export interface PlanTasksTable {
  id: string;
  version_id: string;
  parent_id: string | null;
  path: string;
  label: string;
  kind: string;
  depth: number;
  title: string;
  population_group: string | null;
  sort_order: number;
  /** JSON {heading, body} spans in source_text, or null. */
  spans: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A responsible unit of a task: role 'lead' (牵头) or 'co' (配合). */
export interface PlanTaskUnitsTable {
  id: string;
  task_id: string;
  unit_id: string;
  role: string;
  written_name: string;
  sort_order: number;
}

/** A quantitative target of a task. Values are decimal text. */
export interface IndicatorsTable {
  id: string;
  task_id: string;
  kind: string;
  text: string;
  comparator: string;
  target_value: string;
  unit: string;
  period: string | null;
  deadline: string | null;
  baseline_value: string | null;
  baseline_year: number | null;
  breakdown_by_county: number;
  sort_order: number;
  /** JSON span of the clause in source_text, or null. */
  span: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A county's own target for an indicator. */
export interface IndicatorBreakdownsTable {
  id: string;
  indicator_id: string;
  unit_id: string;
  target_value: string;
}

/** A questionnaire or self-test item bank; items and rule are JSON text (shapes in @kesu/shared literacy). */
export interface InstrumentsTable {
  id: string;
  code: string;
  name: string;
  description: string;
  /** survey | self_test_bank */
  purpose: string;
  rule_json: string;
  items_json: string;
  item_count: number;
  is_active: number;
  created_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** An anonymous public self-test result: no user, no address; never weighted into survey estimates. */
export interface SelfTestResultsTable {
  id: string;
  instrument_id: string;
  instrument_version: number;
  /** The rule the result was scored with. */
  rule_json: string;
  score: number;
  max_score: number;
  is_pass: number;
  correct_count: number;
  item_count: number;
  /** [{ itemId, isCorrect }] */
  items_json: string;
  created_at: string;
}

/** A reporting cycle of one plan version (quarterly / half-yearly / yearly): open → closed → locked. */
export interface ReportingCyclesTable {
  id: string;
  plan_id: string;
  version_id: string;
  name: string;
  frequency: string;
  period_start: string;
  period_end: string;
  due_date: string;
  grace_days: number;
  state: string;
  closed_at: string | null;
  locked_at: string | null;
  created_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** Set on rows made by the demo loader (demo_batches.id); null on real data. */
  demo_batch_id?: string | null;
}

/** A unit's progress report on one task for one cycle: draft → submitted → returned → approved. */
export interface ProgressReportsTable {
  id: string;
  cycle_id: string;
  unit_id: string;
  task_id: string;
  state: string;
  progress: string;
  narrative: string;
  prefilled_from_id: string | null;
  review_comment: string;
  submitted_at: string | null;
  submitted_by: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  created_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** Set on rows made by the demo loader (demo_batches.id); null on real data. */
  demo_batch_id?: string | null;
}

/** An indicator value of a report (per county when broken down); value is decimal text, null = not entered. */
export interface ReportValuesTable {
  id: string;
  report_id: string;
  indicator_id: string;
  county_id: string | null;
  value: string | null;
  note: string;
  is_prefilled: number;
  /** Set on rows made by the demo loader (demo_batches.id); null on real data. */
  demo_batch_id?: string | null;
}

/** A workflow step of a report (create, submit, return, approve) with its comment. */
export interface ReportEventsTable {
  id: string;
  report_id: string;
  action: string;
  comment: string;
  actor_id: string | null;
  actor_name: string | null;
  at: string;
  /** Set on rows made by the demo loader (demo_batches.id); null on real data. */
  demo_batch_id?: string | null;
}

/** Evidence file of a report; the bytes live under DATA_DIR at storage_path (generated, never the client's). */
export interface ReportAttachmentsTable {
  id: string;
  report_id: string;
  file_name: string;
  mime: string;
  size_bytes: number;
  sha256: string;
  storage_path: string;
  uploaded_by: string | null;
  created_at: string;
}

/** A published city overview of a cycle, frozen as JSON; unpublishing only hides it (history is kept). */
export interface DashboardSnapshotsTable {
  id: string;
  plan_id: string;
  cycle_id: string;
  plan_title: string;
  cycle_name: string;
  period_end: string;
  /** OverviewSchema JSON as published; never changed. */
  payload_json: string;
  is_published: number;
  published_at: string;
  published_by: string | null;
  published_by_name: string | null;
  unpublished_at: string | null;
  unpublished_by: string | null;
  unpublished_by_name: string | null;
  version: number;
}

/** A supervision notice (督办单) to a unit: issued → signed → done → closed (or returned). */
export interface SupervisionNoticesTable {
  id: string;
  unit_id: string;
  subject: string;
  content: string;
  severity: string;
  /** YYYY-MM-DD. */
  deadline: string;
  state: string;
  link_type: string | null;
  link_id: string | null;
  link_label: string | null;
  alert_key: string | null;
  issued_by: string | null;
  issued_at: string;
  signed_at: string | null;
  done_at: string | null;
  closed_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One step of a notice (its timeline). */
export interface SupervisionEventsTable {
  id: string;
  notice_id: string;
  action: string;
  from_state: string | null;
  to_state: string;
  comment: string;
  actor_id: string | null;
  actor_name: string | null;
  at: string;
}

/** An in-app notification to one user or one unit (exactly one recipient column is set). */
export interface NotificationsTable {
  id: string;
  recipient_user_id: string | null;
  recipient_unit_id: string | null;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  read_at: string | null;
  created_at: string;
}

/** A loaded batch of demo data (`kesu demo load`); its rows carry demo_batch_id. */
export interface DemoBatchesTable {
  id: string;
  seed: number;
  plan_id: string;
  /** JSON: rows made per table. */
  counts: string;
  created_at: string;
}

/** Kysely's own bookkeeping tables are not listed. */
/** A county task linked to a city task it implements (migration 0140): proposed by kesu, confirmed or rejected. */
export interface TaskLinksTable {
  id: string;
  task_id: string;
  target_task_id: string;
  state: string;
  score: number;
  reasons: string;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

/** 分解下达 (migration 0150): an upper indicator assigned to a county with the county's target and its own task/indicator. */
export interface AllocationsTable {
  id: string;
  indicator_id: string;
  jurisdiction_id: string;
  /** quota | rate */
  mode: string;
  target_value: string;
  county_task_id: string | null;
  county_indicator_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** Set when the demo made it (migration 0160): `kesu demo remove` deletes it and restores the upper indicator. */
  demo_batch_id?: string | null;
}

/** A registry record (migration 0170): a 科普教育基地, 示范学校, training, volunteer … ; `kind` says which. */
export interface ResourcesTable {
  id: string;
  kind: string;
  jurisdiction_id: string;
  /** The unit that keeps it; the jurisdiction's admin edits all. */
  unit_id: string;
  name: string;
  level: string | null;
  category: string | null;
  theme: string | null;
  /** 认定 date, or the held date of a training/competition/visit. */
  recognised_on: string | null;
  expires_on: string | null;
  withdrawn_on: string | null;
  withdrawn_reason: string | null;
  year: number | null;
  /** Trainees, entrants, visitors or members. */
  quantity: number | null;
  hours: number | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  open_to_public: number | null;
  opening_hours: string | null;
  parent_id: string | null;
  details_json: string;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  demo_batch_id: string | null;
}

/** A 科普活动 (migration 0170). Joint ones (same start date, place, title) point to the first by duplicate_of. */
export interface ActivitiesTable {
  id: string;
  jurisdiction_id: string;
  organiser_unit_id: string;
  title: string;
  theme: string | null;
  campaign: string | null;
  place: string;
  longitude: number | null;
  latitude: number | null;
  start_date: string;
  end_date: string;
  year: number;
  /** offline / online / both */
  mode: string;
  populations_json: string;
  /** Person-times (人次). */
  participants: number;
  counting_method: string | null;
  summary: string | null;
  dedupe_key: string;
  duplicate_of: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  demo_batch_id: string | null;
}

export interface ActivityCoorganisersTable {
  activity_id: string;
  unit_id: string;
}

export interface ActivityFilesTable {
  id: string;
  activity_id: string;
  file_name: string;
  mime: string;
  size_bytes: number;
  sha256: string;
  storage_path: string;
  uploaded_by: string | null;
  created_at: string;
}

export interface VolunteerServicesTable {
  id: string;
  volunteer_id: string;
  activity_id: string | null;
  served_on: string;
  hours: number;
  description: string | null;
  created_by: string | null;
  created_at: string;
  demo_batch_id: string | null;
}

/** 科普经费 of a jurisdiction, year and source (元). */
export interface FundingTable {
  id: string;
  jurisdiction_id: string;
  year: number;
  source: string;
  budgeted: number;
  spent: number | null;
  note: string | null;
  version: number;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
  demo_batch_id: string | null;
}

/** The admin's per-resident funding standard (元/人) of a jurisdiction and year. */
export interface FundingStandardsTable {
  jurisdiction_id: string;
  year: number;
  per_resident: number;
  updated_by: string | null;
  updated_at: string;
  /** Set by the demo (migration 0173); a standard an admin saves is real (null). */
  demo_batch_id?: string | null;
}

/** A jurisdiction's capacity-index configuration of a year (migration 0185). */
export interface CapacityConfigsTable {
  id: string;
  jurisdiction_id: string;
  year: number;
  scaling: string;
  dimensions_json: string;
  manual_values_json: string;
  version: number;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A level's text of one kind of generated document (issue 14), with {{placeholders}}; none: the shipped default. */
/** A document made in the background (migration 0194); its file lives in the file storage for a day. */
export interface GeneratedDocumentsTable {
  id: string;
  /** bulletin | annual | notice | unit-summary. */
  kind: string;
  /** The kind's parameters as JSON, keys sorted. */
  query_json: string;
  /** docx | pdf. */
  format: string;
  requested_by: string;
  /** queued | running | done | failed | expired. */
  status: string;
  /** Who, kind, subject and format while queued or running (unique: identical requests share the row); else null. */
  active_key: string | null;
  error_code: string | null;
  error: string | null;
  /** Storage key documents/<year>/<id>.<docx|pdf>, once stored. */
  file_key: string | null;
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  created_at: string;
  finished_at: string | null;
}

export interface DocumentTemplatesTable {
  id: string;
  /** bulletin | annual | notice | unit-summary. */
  kind: string;
  jurisdiction_id: string | null;
  doc_number: string;
  title: string;
  intro: string;
  closing: string;
  signature: string;
  version: number;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A computed capacity index (migration 0185): the whole result as JSON, published or not. */
export interface CapacityResultsTable {
  id: string;
  jurisdiction_id: string;
  year: number;
  scaling: string;
  as_of: string;
  result_json: string;
  computed_by: string | null;
  computed_at: string;
  is_published: number;
  published_at: string | null;
  published_by: string | null;
}

/** A commendation (表彰奖励, migration 0186). */
export interface RecognitionsTable {
  id: string;
  jurisdiction_id: string;
  year: number;
  recipient_kind: string;
  recipient_name: string;
  unit_id: string | null;
  recipient_jurisdiction_id: string | null;
  level: string;
  title: string;
  reason: string;
  doc_number: string | null;
  awarded_on: string | null;
  state: string;
  is_published: number;
  source_text: string | null;
  source_ref: string | null;
  version: number;
  created_by: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A science content item for precise delivery (用户分层、精准推送). */
export interface ContentItemsTable {
  id: string;
  jurisdiction_id: string;
  title: string;
  summary: string;
  url: string | null;
  themes_json: string;
  audiences_json: string;
  jurisdictions_json: string;
  published_on: string;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  demo_batch_id: string | null;
}

/** An indicator whose actual values come from a registry query (never typed). */
export interface IndicatorBindingsTable {
  indicator_id: string;
  query_json: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A 年度考核 rubric (migration 0180): one per jurisdiction, year and audience. */
export interface AssessmentRubricsTable {
  id: string;
  jurisdiction_id: string;
  year: number;
  /** units | counties */
  audience: string;
  title: string;
  /** draft | computed | frozen */
  state: string;
  appeal_start: string | null;
  appeal_end: string | null;
  computed_at: string | null;
  as_of: string | null;
  frozen_at: string | null;
  published_at: string | null;
  copied_from_id: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface AssessmentItemsTable {
  id: string;
  rubric_id: string;
  title: string;
  points: number;
  /** AssessmentRule JSON (packages/shared assessments.ts). */
  rule_json: string;
  sort_order: number;
}

/** One item's score for one subject: computed (with its explanation), overridden (with a reason), judged (met). */
export interface AssessmentScoresTable {
  id: string;
  rubric_id: string;
  item_id: string;
  subject_id: string;
  subject_kind: string;
  subject_name: string;
  computed_score: number | null;
  explanation: string;
  override_score: number | null;
  override_reason: string | null;
  override_by: string | null;
  override_at: string | null;
  met: number | null;
  met_note: string | null;
  updated_at: string;
}

export interface AssessmentAppealsTable {
  id: string;
  rubric_id: string;
  item_id: string;
  subject_id: string;
  text: string;
  /** open | accepted | rejected */
  state: string;
  answer: string | null;
  answered_score: number | null;
  answered_by: string | null;
  answered_at: string | null;
  created_by: string | null;
  created_at: string;
}

/** Evidence of an item (appeal_id null) or a file of an appeal; bytes under DATA_DIR, or only a note/link. */
export interface AssessmentFilesTable {
  id: string;
  rubric_id: string;
  item_id: string;
  subject_id: string;
  appeal_id: string | null;
  note: string | null;
  link: string | null;
  file_name: string | null;
  mime: string | null;
  size_bytes: number | null;
  sha256: string | null;
  storage_path: string | null;
  uploaded_by: string | null;
  created_at: string;
}

/** The frozen ranking row of a subject (written once when the rubric is frozen). */
export interface AssessmentResultsTable {
  id: string;
  rubric_id: string;
  subject_kind: string;
  subject_id: string;
  subject_name: string;
  total: number;
  grade: string;
  rank: number;
  vetoed: number;
  veto_reason: string | null;
  items_json: string;
}

/** A file kept in the database (FILE_STORAGE=database): its facts; the bytes are its file_chunks in seq order. */
export interface FileBlobsTable {
  key: string;
  /** bigint: PostgreSQL returns it as a string (read through Number()). */
  size_bytes: number | string;
  sha256: string;
  chunk_count: number;
  created_at: string;
}

export interface FileChunksTable {
  key: string;
  seq: number;
  data: Buffer;
}

export interface Database {
  jurisdictions: JurisdictionsTable;
  units: UnitsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  instruments: InstrumentsTable;
  self_test_results: SelfTestResultsTable;
  rate_limit_counters: RateLimitCountersTable;
  self_test_attempts: SelfTestAttemptsTable;
  plans: PlansTable;
  plan_versions: PlanVersionsTable;
  plan_tasks: PlanTasksTable;
  plan_task_units: PlanTaskUnitsTable;
  task_links: TaskLinksTable;
  indicators: IndicatorsTable;
  indicator_breakdowns: IndicatorBreakdownsTable;
  allocations: AllocationsTable;
  survey_waves: SurveyWavesTable;
  survey_wave_columns: SurveyWaveColumnsTable;
  survey_estimates: SurveyEstimatesTable;
  survey_uploads: SurveyUploadsTable;
  population_margins: PopulationMarginsTable;
  reporting_cycles: ReportingCyclesTable;
  progress_reports: ProgressReportsTable;
  report_values: ReportValuesTable;
  report_events: ReportEventsTable;
  report_attachments: ReportAttachmentsTable;
  file_blobs: FileBlobsTable;
  file_chunks: FileChunksTable;
  dashboard_snapshots: DashboardSnapshotsTable;
  supervision_notices: SupervisionNoticesTable;
  supervision_events: SupervisionEventsTable;
  alert_scans: AlertScansTable;
  alert_keys: AlertKeysTable;
  notifications: NotificationsTable;
  reminder_sends: ReminderSendsTable;
  demo_batches: DemoBatchesTable;
  resources: ResourcesTable;
  activities: ActivitiesTable;
  activity_coorganisers: ActivityCoorganisersTable;
  activity_files: ActivityFilesTable;
  volunteer_services: VolunteerServicesTable;
  funding: FundingTable;
  funding_standards: FundingStandardsTable;
  content_items: ContentItemsTable;
  indicator_bindings: IndicatorBindingsTable;
  assessment_rubrics: AssessmentRubricsTable;
  assessment_items: AssessmentItemsTable;
  assessment_scores: AssessmentScoresTable;
  assessment_appeals: AssessmentAppealsTable;
  assessment_files: AssessmentFilesTable;
  assessment_results: AssessmentResultsTable;
  capacity_configs: CapacityConfigsTable;
  capacity_results: CapacityResultsTable;
  recognitions: RecognitionsTable;
  document_templates: DocumentTemplatesTable;
  generated_documents: GeneratedDocumentsTable;
}

// Generated is re-exported for migrations-free helpers that might need it later.
export type { Generated };
