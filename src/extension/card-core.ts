/**
 * The model-card engine the editor uses (the card's document model and renderings, the run and
 * config loading, the PII scan of the data's columns, staleness, atomic writes), bundled apart as
 * dist/card-core.js. scripts/build.mjs sends every `import('…/card-core')` made from
 * src/extension/ to that file, which is required on first use: a config's code lenses or the
 * "Generate Model Card" command load it, activation never does.
 */
export {
  buildModelCard,
  cardContentEdited,
  cardOwnership,
  cardStaleness,
  defaultCardPath,
  loadCardInputs,
  readCardProvenance,
  renderCardHtml,
  renderCardMarkdown,
} from '../core/report/card';
export { writeFileAtomically } from '../core/report/record';
