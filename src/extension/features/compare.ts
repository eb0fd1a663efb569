// One bundle (dist/ext-compare.js, see ../lazy.ts) for the features that compare: Compare
// Profiles… and the prove commands share the profile model, its diff and the bench core.
export * as compareProfiles from '../diff/compareProfiles';
export * as prove from '../prove/prove';
