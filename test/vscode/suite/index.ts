// Entry point that VS Code calls inside the extension host (extensionTestsPath): runs every
// *.test.js bundled next to it with mocha and reports through the console, which the smoke-test
// driver forwards to the harness (test/vscode/harness/integration.js).
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';

// The workbench forwards all its own logging too; the harness echoes only lines with this prefix.
const PREFIX = '[hotpath-test] ';

function prefixReporterOutput(): void {
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  base.consoleLog = (...args: unknown[]) => {
    console.log(util.format(...args).split('\n').map((line) => PREFIX + line).join('\n'));
  };
}

export function run(): Promise<void> {
  // The untrusted-workspace pass (HOTPATH_VSCODE_ONLY=untrusted) runs *.untrusted.js instead.
  return runSuites(process.env.HOTPATH_VSCODE_UNTRUSTED ? '.untrusted.js' : '.test.js');
}

/** Runs every suite file next to this one whose name ends with `suffix` (packagedEntry.ts: '.packaged.js'). */
export function runSuites(suffix: string): Promise<void> {
  prefixReporterOutput();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 90_000, reporter: 'spec' });
  const grep = process.env.HOTPATH_VSCODE_GREP;
  if (grep) mocha.grep(grep);
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith(suffix)).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      // One machine-readable line: the harness counts from it rather than parsing the reporter.
      console.log(`${PREFIX}HOTPATH_RESULT ${JSON.stringify({ passed: passes, failed: failures, skipped: pending })}`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
