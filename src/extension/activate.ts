// Extension entry point. Kept thin: build the shared services, then one `registerX` per feature.
// Nothing here may load TypeScript or ts-morph; the ranking and fix engines are separate bundles
// (dist/engines/*.js) that their features require on first use.
import * as vscode from 'vscode';
import { registerAnnotations } from './annotations/registerAnnotations';
import { registerPanels } from './panels/registerPanels';
import { registerOpenProfile } from './profile/openProfileCommand';
import { registerRanking } from './ranking/registerRanking';
import { registerFixes } from './fixes/registerFixes';
import { registerProfile } from './profile/profileCommand';
import { registerProve } from './prove/registerProve';
import { registerCompareProfiles } from './diff/registerCompareProfiles';
import { registerRuns } from './runs/registerRuns';
import { registerFindLeaks } from './leaks/registerFindLeaks';
import { registerLivePanel } from './live/registerLive';
import type { RunsTree } from './runs/runsTree';
import { createServices, type Services } from './services';

/** What activate returns: the shared services, and the runs view's data provider (tests read it). */
export type HotpathApi = Services & { runsTree: RunsTree };

export function activate(context: vscode.ExtensionContext): HotpathApi {
  const services = createServices(context);
  registerPanels(context, services);
  registerProfile(context, services);
  registerOpenProfile(context, services);
  registerAnnotations(context, services);
  // Ranking (src/extension/ranking) and fixes (src/extension/fixes) register here, one call each.
  registerRanking(context, services);
  registerFixes(context, services);
  registerProve(context, services);
  registerCompareProfiles(context, services);
  registerFindLeaks(context, services);
  registerLivePanel(context, services);
  const runsTree = registerRuns(context, services);
  return Object.assign(services, { runsTree });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
