// `npm run bench`: prints figures; never asserts on time. BENCH_SECONDS shortens or lengthens each load run.
import os from 'node:os';
import { benchUnitsApi } from './api-units.bench';
import { benchOverview } from './overview.bench';
import { benchProvince } from './province.bench';
import { benchSurvey } from './survey.bench';
import { benchBombs } from './bombs.bench';
import { benchPlanParser } from './plan-parser.bench';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
console.log(
  `kesu benchmarks — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}`,
);
await benchPlanParser();
await benchUnitsApi(seconds);
await benchOverview(seconds);
await benchProvince(seconds);
await benchSurvey();
await benchBombs();
