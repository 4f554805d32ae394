/**
 * A child process for the job queue's tests: it works job `name` on PostgreSQL (DATABASE_URL) with a handler that
 * records progress, prints "working <id>" and then never finishes, so the test can SIGKILL it mid-job.
 */
import { pgBossQueue } from '../jobs/pg-boss-queue';

const [url, name, lease] = process.argv.slice(2) as [string, string, string];
const queue = pgBossQueue({ connectionString: url, leaseSeconds: Number(lease), pollingSeconds: 0.5 });
await queue.start();
await queue.register<{ n: number }>(name, async (job) => {
  await job.progress({ phase: 'child', n: job.data.n });
  process.stdout.write(`working ${job.id}\n`);
  await new Promise(() => {});
  return undefined;
});
process.stdout.write('ready\n');
