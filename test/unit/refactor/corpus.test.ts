// Puts the corpus test (test/corpus/corpus.test.ts, real npm packages, zero breakages) into
// `npm test` / `npx mocha`. Set HOTPATH_SKIP_CORPUS=1 to skip it (offline, quick runs).
import '../../corpus/corpus.test';
