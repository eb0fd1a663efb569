// Golden before/after tests of the refactor engine, one fixture folder per module kind and
// import form, and per unsafe case (the fix is listed disabled with the right reason).
// Runnable cases are executed before and after the fix: same output. TypeScript cases are
// type-checked before and after: no new errors.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { analyzeFile, applySafeFixes, computeEdits, createProjectLookup, syntaxErrors } from '../../../src/core/refactor';
import { golden, listCases, materializePackages, optionsOf, runnable, typeErrors } from './goldenCases';

/** Loads the module (require or import), calls its exported `run()` and prints the lines. */
function runNode(file: string): string {
  const driver = `import(${JSON.stringify(pathToFileURL(file).href)}).then(async (m) => {
    const lines = await (m.run ?? m.default.run)();
    for (const l of lines) console.log(l);
  })`;
  return execFileSync(process.execPath, ['-e', driver], { cwd: path.dirname(file), encoding: 'utf8', timeout: 20000 });
}

describe('refactor goldens', () => {
  for (const c of listCases()) {
    describe(`${c.name}: ${c.config.description}`, () => {
      const afterFile = path.join(c.dir, `after${c.ext}`);
      before(() => materializePackages(c));

      it('lists the expected fixes (with reasons when unsafe)', () => {
        const text = fs.readFileSync(c.before, 'utf8');
        const fixes = analyzeFile(c.before, text, { ...optionsOf(c), project: createProjectLookup() });
        const summary = fixes.map((f) => ({ line: f.line, kind: f.kind, module: f.module, safe: f.safe, preferred: f.preferred, variant: f.variant, moduleKind: f.moduleKind, reason: f.reason, title: f.title }));
        const actual = JSON.stringify(summary, null, 2) + '\n';
        assert.strictEqual(actual, golden(path.join(c.dir, 'fixes.json'), actual));
        for (const f of fixes) {
          if (f.kind === 'lazy-import') assert.match(f.title + f.explanation, /move to the first use/);
          if (f.safe) assert.ok(computeEdits(f).length > 0, `${f.title}: no edits`);
        }
      });

      it('produces the golden after-file, which parses', () => {
        const text = fs.readFileSync(c.before, 'utf8');
        const result = applySafeFixes(c.before, text, { ...optionsOf(c), project: createProjectLookup() });
        assert.deepStrictEqual(syntaxErrors(c.before, result.text), []);
        assert.strictEqual(result.text, golden(afterFile, result.text));
        // Applying again finds nothing left to do: the fixes are idempotent.
        const again = applySafeFixes(c.before, result.text, { ...optionsOf(c), project: createProjectLookup() });
        assert.strictEqual(again.applied.length, 0, `re-applied: ${again.applied.map((f) => f.title).join('; ')}`);
      });

      if (c.config.run) {
        it('before and after print the same output', () => {
          const b = runnable(c.dir, c.before);
          const a = runnable(c.dir, afterFile);
          try {
            const out = runNode(b.path);
            assert.ok(out.length > 0, 'the before program prints something to compare');
            assert.strictEqual(runNode(a.path), out);
          } finally { b.cleanup(); a.cleanup(); }
        });
      }

      if (c.config.typecheck) {
        it('type-checks after as well as before', function () {
          // The first check parses TypeScript's lib files (shared by the later ones): 60 s was
          // exceeded at load 30.
          this.timeout(180_000);
          const beforeErrors = typeErrors(c.dir, c.before);
          assert.deepStrictEqual(beforeErrors, [], 'the before file itself must type-check');
          assert.deepStrictEqual(typeErrors(c.dir, afterFile), []);
        });
      }
    });
  }
});
