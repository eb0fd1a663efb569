// The corpus: real npm packages (CommonJS and ESM, JavaScript and TypeScript sources), each
// with how it is loaded and a small smoke use whose output must not change after the fixes.
// `m` is the loaded module; the smoke expression may be async.
export interface CorpusPackage {
  name: string;
  version: string;
  load: 'require' | 'import' | 'both';
  smoke: string;
  /** TypeScript sources to type-check before and after (entry file inside the package). */
  tsEntry?: string;
  /** Fix only files whose package-relative path matches (keeps huge packages to their core). */
  only?: RegExp;
}

export const CORPUS: CorpusPackage[] = [
  { name: 'commander', version: '12.1.0', load: 'both', smoke: `(() => { const p = new m.Command().option('-x, --xx <n>').exitOverride(); p.parse(['node', 't', '-x', '3']); return p.opts(); })()` },
  { name: 'express', version: '4.21.2', load: 'require', smoke: `new Promise((resolve) => { const app = m(); app.get('/a/:id', (req, res) => res.json({ id: req.params.id, q: req.query.q })); const s = app.listen(0, '127.0.0.1', async () => { const r = await fetch('http://127.0.0.1:' + s.address().port + '/a/7?q=z'); const body = await r.json(); s.close(); resolve(body); }); })` },
  { name: 'chalk', version: '5.4.1', load: 'import', smoke: `new m.Chalk({ level: 1 }).red.bold('x')` },
  { name: 'debug', version: '4.4.0', load: 'require', smoke: `(() => { const out = []; m.enable('t'); const d = m('t'); d.log = (...a) => out.push(a.join(' ').replace(/^\\S+Z /, '')); d('hi %d', 1); return out; })()` },
  { name: 'semver', version: '7.6.3', load: 'require', smoke: `[m.satisfies('1.2.3', '^1.0.0'), m.inc('1.2.3', 'minor'), m.coerce('v2').version, m.sort(['2.0.0', '1.0.0'])]` },
  { name: 'minimist', version: '1.2.8', load: 'require', smoke: `m(['-a', '1', '--b', 'c', '--no-d'])` },
  { name: 'uuid', version: '11.0.5', load: 'both', smoke: `[m.validate(m.v4()), m.v5('hotpath', m.v5.URL), m.version(m.v1())]` },
  { name: 'yargs', version: '17.7.2', load: 'import', smoke: `m.default(['--n', '3', 'go']).command('go', 'go').parseSync()` },
  { name: 'axios', version: '1.7.9', load: 'both', smoke: `[(m.default ?? m).getUri({ url: '/x', params: { a: 1 } }), typeof (m.default ?? m).get, Object.keys((m.default ?? m).defaults.headers.common)]` },
  { name: 'date-fns', version: '4.1.0', load: 'both', only: /^[^/]+$/, smoke: `[m.format(m.addDays(new Date(0), 3), 'yyyy-MM-dd'), m.differenceInDays(new Date(86400000 * 5), new Date(0))]` },
  { name: 'zod', version: '3.24.1', load: 'both', smoke: `[m.z.object({ a: m.z.number() }).safeParse({ a: 1 }).success, m.z.string().email().safeParse('x').success]` },
  { name: 'rxjs', version: '7.8.1', load: 'both', only: /^dist\/cjs\//, smoke: `m.lastValueFrom(m.of(1, 2, 3).pipe(m.map((x) => x * 2), m.toArray()))` },
  { name: 'immer', version: '10.1.1', load: 'both', smoke: `m.produce({ a: 1, l: [1] }, (d) => { d.a = 2; d.l.push(2); })`, tsEntry: 'src/immer.ts' },
];
