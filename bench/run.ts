// `npm run bench`: prints figures; never asserts on time. BENCH_SECONDS shortens or lengthens each load run.
import os from 'node:os';
import { benchUnitsApi } from './api-units.bench';
import { benchCluster } from './cluster.bench';
import { benchDocuments } from './documents.bench';
import { benchOffloop } from './offloop.bench';
import { benchOverview } from './overview.bench';
import { benchProvince } from './province.bench';
import { benchResources } from './resources.bench';
import { benchSurvey } from './survey.bench';
import { benchBombs } from './bombs.bench';
import { benchCli } from './cli.bench';
import { benchPlanParser } from './plan-parser.bench';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
console.log(
  `kesu benchmarks — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}`,
);
// BENCH_ONLY=province,overview (names below) runs some of them; default all.
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const runs: [string, () => Promise<unknown>][] = [
  ['parser', () => benchPlanParser()],
  ['units', () => benchUnitsApi(seconds)],
  ['overview', () => benchOverview(seconds)],
  ['cluster', () => benchCluster(seconds)],
  ['province', () => benchProvince(seconds)],
  ['resources', () => benchResources(seconds)],
  ['documents', () => benchDocuments()],
  ['survey', () => benchSurvey()],
  ['offloop', () => benchOffloop()],
  ['bombs', () => benchBombs()],
  ['cli', () => benchCli()],
];
for (const [name, run] of runs) if (!only || only.includes(name)) await run();
