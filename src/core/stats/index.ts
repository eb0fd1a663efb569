// Statistics for before/after timing comparisons. Pure functions over numbers; the method is
// documented in docs/STATISTICS.md.
export { quantile, quantileSorted, median, iqr, mad, mean, stdev, summarize, type Summary } from './describe';
export { seededRandom, seedFrom, shuffled } from './random';
export { bootstrapMedianCI, bootstrapRatioCI, type Interval, type BootstrapOptions } from './bootstrap';
export { mannWhitney, midRanks, erfc, normalCdf, type RankTestResult, type RankTestOptions } from './rankTest';
export { compareSamples, formatP, pText, type Comparison, type CompareOptions, type SideStats, type Verdict } from './compare';
export { samplingError, SAMPLING_ERROR_NOTE } from './sampling';
