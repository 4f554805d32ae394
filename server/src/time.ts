/** Dates and times as people read them: in one configured time zone (TZ, Asia/Shanghai by default). */

// Making an Intl.DateTimeFormat costs ~150 µs, using one ~1 µs (Node 24): each is made once per time zone and kept.
// dateIn ran on every registry list request (its "as of" day): 7% of the server's CPU under bench/resources.bench.ts.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function kept(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  make: () => Intl.DateTimeFormat,
): Intl.DateTimeFormat {
  let f = cache.get(timeZone);
  if (!f) {
    f = make();
    cache.set(timeZone, f);
  }
  return f;
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function dateIn(timeZone: string, now: Date = new Date()): string {
  return kept(
    dateFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(now);
}

/** An ISO-8601 UTC timestamp as `2026-03-01 14:05` in a time zone (exports, messages). */
export function formatDateTimeIn(iso: string | null | undefined, timeZone: string, seconds = false): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(
    kept(
      dateTimeFormats,
      timeZone,
      () =>
        new Intl.DateTimeFormat('en-CA', {
          timeZone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
          hourCycle: 'h23',
        }),
    )
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const base = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  return seconds ? `${base}:${parts.second}` : base;
}

/** A date `days` after a YYYY-MM-DD date (calendar arithmetic). */
export function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
