// Worker thread that reads profiles into the model (bundled to dist/profileLoader.js). Parsing a
// big profile takes seconds and memory; here it neither blocks nor can crash the extension host.
import { parentPort } from 'worker_threads';
import { loadRun, openProfileFile, summarize, toFlameGraphs } from '../../core/profile';
import type { LoadRequest, LoadResponse } from './loadRequest';

async function handle(req: LoadRequest): Promise<LoadResponse> {
  try {
    const model = req.kind === 'run' ? await loadRun(req.result, { root: req.root, launchers: req.launchers }) : await openProfileFile(req.file, { root: req.root });
    const graphsJson = JSON.stringify(toFlameGraphs(model));
    const { topFunctions } = summarize(model, { top: 20 });
    return { ok: true, model, graphsJson, topFunctions };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, name: e.name, message: e.message };
  }
}

parentPort?.on('message', (req: LoadRequest) => {
  void handle(req).then((res) => parentPort!.postMessage(res));
});
