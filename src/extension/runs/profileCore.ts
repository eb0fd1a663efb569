// The profile model in the extension host's own thread: its own bundle (dist/ext-profileCore.js,
// see ../lazy.ts). Activation never needs it: profiles load in a worker (dist/profileLoader.js),
// and the views below run only once a profile is showing.
export { loadRun, openProfileFile, summarize, toFlameGraphs, hotspotsForFile } from '../../core/profile';
export { importLinesForFile } from '../../core/profile/importLines';
