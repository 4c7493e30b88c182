// `@wecom-kit/client/drift`: turns a log of spec-drift events into the input of a contract review.
// Node only, and never in a browser bundle: it carries the whole response-shape table.
export {
  type DriftReport,
  formatDriftReport,
  type OperationDrift,
  type ReportedDrift,
  summarizeDrift,
} from './spec-check/report';
