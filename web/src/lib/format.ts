import dayjs from 'dayjs';

/** An ISO-8601 UTC timestamp in the browser's local time, `2025-03-01 14:05:09`. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : iso;
}

/** The message to show for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  return '操作失败，请稍后重试';
}
