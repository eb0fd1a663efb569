// The ranking table page (no vscode needed): a strict CSP with a fresh nonce on every load, and
// only well-formed messages from the page are accepted.
import * as assert from 'assert';
import * as path from 'path';
import { rankWorkspace } from '../../../src/core/rank';
import { isFromTable, tableHtml, toRow, TABLE_FACTORS } from '../../../src/extension/ranking/tablePage';
import { FIXTURES } from './helpers';

describe('rank: ranking table page', () => {
  it('has default-src none, and its one script and style carry the nonce of this load', () => {
    const a = tableHtml('vscode-webview://x');
    const nonce = /script-src 'nonce-([0-9a-f]{32})'/.exec(a)?.[1];
    assert.ok(nonce, 'script nonce in the CSP');
    assert.ok(a.includes("default-src 'none'"));
    assert.strictEqual(a.match(/<script/g)?.length, 1);
    assert.ok(a.includes(`<script nonce="${nonce}">`));
    assert.ok(a.includes(`<style nonce="${nonce}">`));
    assert.notStrictEqual(/nonce-([0-9a-f]{32})/.exec(tableHtml('vscode-webview://x'))?.[1], nonce, 'a new nonce per page');
  });

  it('accepts only ready and open-with-a-path messages', () => {
    assert.ok(isFromTable({ type: 'ready' }));
    assert.ok(isFromTable({ type: 'open', path: '/a.js' }));
    for (const bad of [null, 1, {}, { type: 'open' }, { type: 'open', path: 3 }, { type: 'exec', path: '/a.js' }]) assert.ok(!isFromTable(bad), JSON.stringify(bad));
  });

  it('turns a real ranking into rows with the factor columns in table order', async () => {
    const r = await rankWorkspace(path.join(FIXTURES, 'rank-basic'));
    const row = toRow(r.modules[0]);
    assert.strictEqual(row.file, 'src/report.js');
    assert.deepStrictEqual(row.factors.map((f) => f.score), TABLE_FACTORS.map((n) => r.modules[0].factors[n].score));
    assert.strictEqual(row.patterns, 'lazy-load (2)');
  });
});
