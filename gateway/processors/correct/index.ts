export { CorrectProcessor, type CorrectCounts, type PartCorrections } from './correct.js';
export {
  correctionOptions, correctionsOptions, inputField, type CorrectionOptions, type CorrectionsOptions, type CorrectionsOptionsInput, type RhFrom,
} from './options.js';
