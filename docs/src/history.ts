/**
 * "Added in" / "changed in" on each operation of the reference pages, from the changelog. The
 * downloadable openapi.json is left as the spec says: this is the portal's reading of history.
 * Callback events (webhooks) are left out: spec:diff reports them as one document-wide change,
 * so when each event appeared is not known.
 */
import { type Changelog, operationHistory } from './changelog';
import type { Spec } from './code-samples';

export function withHistory<T extends Spec>(spec: T, changelog: Changelog): T {
  const copy = structuredClone(spec);
  const operations = Object.values(copy.paths).flatMap((item) => Object.values(item));
  const history = operationHistory(
    changelog,
    operations.flatMap((operation) => (operation.operationId ? [operation.operationId] : [])),
  );
  for (const operation of operations) {
    const entry = operation.operationId ? history.get(operation.operationId) : undefined;
    if (!entry || (!entry.addedIn && entry.changedIn.length === 0)) continue;
    const notes = [
      ...(entry.addedIn ? [`added in [${entry.addedIn}](../changelog.html#v-${entry.addedIn})`] : []),
      ...entry.changedIn.map((version) => `changed in [${version}](../changelog.html#v-${version})`),
    ];
    const line = `*${notes.join(' · ').replace(/^./, (first) => first.toUpperCase())}.*`;
    operation.description = `${line}\n\n${String(operation.description ?? '')}`;
  }
  return copy;
}
