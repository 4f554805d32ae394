export * from './benchmarks';
export * from './instrument';
export * from './scoring';
export * from './self-test';
