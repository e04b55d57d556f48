export {
  checkSchema,
  type DocumentSet,
  type InvalidOperationDocument,
  type SchemaCheckInput,
  type SchemaCheckResult,
} from './check.js';
export { clientDocumentGlobs, loadDocumentSet, readCodegenConfig } from './client-documents.js';
export {
  IntendedBreaksFileError,
  namesChange,
  readIntendedBreaks,
  type IntendedBreak,
} from './intended-breaks.js';
export { formatReport } from './report.js';
export { recordRelease, runSchemaCheck, SCHEMA_CHECK_FILES, type SchemaCheckRun } from './run.js';
