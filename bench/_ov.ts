import { benchOverview } from './overview.bench';
await benchOverview(Number(process.env.BENCH_SECONDS ?? 10));
