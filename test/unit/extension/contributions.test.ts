// The manifest and src/extension/contributions.ts must describe the same commands, settings and
// views: code uses the constants, VS Code uses package.json.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Commands, ContextKeys, InternalCommands, Settings, Views } from '../../../src/extension/contributions';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

describe('extension contributions', () => {
  it('declares exactly the commands of contributions.ts, all in the Hotpath category', () => {
    const declared = contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepStrictEqual(declared, Object.values(Commands).sort());
    for (const c of contributes.commands) assert.strictEqual(c.category, 'Hotpath', `${c.command} category`);
  });

  it('keeps the titles other parts test against', () => {
    const title = (id: string) => contributes.commands.find((c: { command: string }) => c.command === id)?.title;
    assert.strictEqual(title(Commands.profile), 'Profile…');
    assert.strictEqual(title(Commands.openProfile), 'Open Profile…');
    assert.strictEqual(title(Commands.toggleAnnotations), 'Toggle Annotations');
  });

  it('hides argument-only commands from the palette', () => {
    const palette: { command: string; when: string }[] = contributes.menus.commandPalette;
    for (const id of InternalCommands) assert.strictEqual(palette.find((m) => m.command === id)?.when, 'false', id);
  });

  it('declares exactly the settings of contributions.ts, each with a description and default', () => {
    const props = contributes.configuration.properties;
    assert.deepStrictEqual(Object.keys(props).sort(), Object.values(Settings).sort());
    for (const [key, p] of Object.entries<{ description?: string; default?: unknown }>(props)) {
      assert.ok(p.description, `${key} description`);
      assert.notStrictEqual(p.default, undefined, `${key} default`);
    }
  });

  it('only references declared commands in menus', () => {
    const ids = new Set<string>(Object.values(Commands));
    for (const [menu, entries] of Object.entries<{ command: string }[]>(contributes.menus)) {
      for (const e of entries) assert.ok(ids.has(e.command), `${menu}: ${e.command}`);
    }
  });

  it('activates lazily: no "*", the panel serializer and custom editor are declared', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${Views.flamePanel}`));
    assert.deepStrictEqual(contributes.customEditors.map((e: { viewType: string }) => e.viewType), [Views.profileEditor]);
    assert.strictEqual(manifest.main, './dist/extension.js');
    assert.deepStrictEqual(manifest.extensionKind, ['workspace']);
  });

  it('declares limited support for untrusted workspaces with restricted settings that exist', () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.strictEqual(trust.supported, 'limited');
    for (const key of trust.restrictedConfigurations) assert.ok(Object.values(Settings).includes(key), key);
  });

  it('places declared views in a declared container', () => {
    const containers = contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id);
    assert.deepStrictEqual(Object.keys(contributes.views), containers);
    assert.ok(contributes.views[Views.container].some((v: { id: string }) => v.id === Views.ranking));
    assert.ok(contributes.views[Views.container].some((v: { id: string }) => v.id === Views.runs));
  });

  it('gives the Profile Runs view a welcome with a Profile… button and item menus for its runs and store groups only', () => {
    const welcome = contributes.viewsWelcome.find((w: { view: string }) => w.view === Views.runs);
    assert.ok(welcome?.contents.includes(`(command:${Commands.profile})`), 'welcome links hotpath.profile');
    const items: { command: string; when: string }[] = contributes.menus['view/item/context'];
    const viewItems = items.filter((m) => m.when.includes(`view == ${Views.runs}`));
    const runItems = viewItems.filter((m) => /viewItem == hotpath\.run(?![\w.])/.test(m.when));
    // A store's group (the extension's, a folder's .hotpath/runs): reveal its folder, delete its runs.
    const groupItems = viewItems.filter((m) => /viewItem == hotpath\.runsGroup(?![\w.])/.test(m.when));
    assert.strictEqual(runItems.length + groupItems.length, viewItems.length, 'every item menu is for a run or a group');
    assert.deepStrictEqual(groupItems.map((m) => m.command).sort(), [Commands.deleteAllRuns, Commands.revealRunFolder].sort());
    assert.ok(runItems.find((m) => m.command === Commands.compareRunWith)?.when.includes(ContextKeys.compareProfilesAvailable), 'Compare with… only once hotpath.compareProfiles exists');
    for (const id of [Commands.openRun, Commands.profileRunAgain, Commands.deleteRun, Commands.copyRunCommand, Commands.revealRunFolder]) {
      assert.ok(runItems.some((m) => m.command === id), id);
    }
  });

  // Issue 14: a new user gets a walkthrough (profile, flame graph, rank, fix, prove) and an icon.
  it('has a Getting Started walkthrough: profile, flame graph, rank, fix, prove, each with a working command link and packaged media', () => {
    const [walk, ...others] = contributes.walkthroughs;
    assert.deepStrictEqual(others, []);
    assert.deepStrictEqual(walk.steps.map((s: { id: string }) => s.id), ['profile', 'flame', 'rank', 'fix', 'prove']);
    const ids = new Set<string>(Object.values(Commands));
    const ignored = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    assert.match(ignored, /^!media\/\*\*$/m, 'media/ is packaged');
    for (const step of walk.steps as { id: string; description: string; media: { image?: string; markdown?: string; altText?: string }; completionEvents: string[] }[]) {
      const links = [...step.description.matchAll(/\]\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.ok(links.length > 0, `${step.id}: a command link`);
      for (const id of links) assert.ok(ids.has(id), `${step.id}: ${id} is declared`);
      for (const e of step.completionEvents) {
        const [kind, id] = e.split(':');
        if (kind === 'onCommand') assert.ok(ids.has(id), `${step.id}: completion ${e}`);
        else assert.ok(kind === 'onView' && (Object.values(Views) as string[]).includes(id), `${step.id}: completion ${e}`);
      }
      const media = step.media.image ?? step.media.markdown ?? '';
      assert.ok(media.startsWith('media/') && fs.statSync(path.join(root, media)).size > 0, `${step.id}: ${media}`);
      if (step.media.image) assert.ok(step.media.altText && step.media.altText.length > 20, `${step.id}: alt text`);
      if (step.media.markdown) {
        // Images a step's Markdown shows must be packaged too.
        for (const m of fs.readFileSync(path.join(root, media), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)) {
          assert.ok(fs.existsSync(path.join(root, path.dirname(media), m[1])), `${media}: ${m[1]}`);
        }
      }
    }
  });

  it('has an icon: a PNG in media/ of at least 128 x 128 px', () => {
    assert.match(manifest.icon, /^media\/[\w-]+\.png$/);
    const png = fs.readFileSync(path.join(root, manifest.icon));
    assert.strictEqual(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.strictEqual(png.subarray(12, 16).toString('latin1'), 'IHDR');
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.ok(w >= 128 && h >= 128 && w === h, `${w} x ${h}`);
  });
});
