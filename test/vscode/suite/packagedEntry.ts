// Entry (extensionTestsPath) of the installed-.vsix window: the *.packaged.js suites, run inside
// the extension host of the extension installed from the packaged .vsix (see test/vscode/run.js).
import { runSuites } from './index';

export function run(): Promise<void> {
  return runSuites('.packaged.js');
}
