// chart.js once for every panel that charts (prove, leaks, live): this bundle
// (dist/webview/chartjs.js) runs first on those pages and leaves the parts they use on
// globalThis.HotpathChartJs; esbuild.js maps their `import … from 'chart.js'` onto it, so the
// .vsix carries one copy of chart.js (~160 KB minified) instead of one per panel bundle.
import {
  CategoryScale, Chart, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip,
} from 'chart.js';

(globalThis as unknown as { HotpathChartJs: unknown }).HotpathChartJs = {
  CategoryScale, Chart, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip,
};
