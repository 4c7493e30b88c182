import type { ChangesetGate } from './changesets';
import type { SpecChange } from './compare';
import { countByKind } from './report';

/** What `pnpm spec:diff --json` prints. */
export interface SpecDiffJson {
  base: string;
  changes: SpecChange[];
  majorChangesets: string[];
  gate?: ChangesetGate;
}

/** Where spec lines link to: the repository's web address and the two commits compared. */
export interface LinkTarget {
  repositoryUrl: string;
  baseSha: string;
  headSha: string;
}

/** Marks the comment so that the next run of the workflow replaces it instead of adding one. */
export const COMMENT_MARKER = '<!-- wecom-kit:spec-diff -->';

/**
 * The pull-request comment, built from the `--json` output: the verdict of the changeset gate,
 * then runtime behaviour and breaking changes as tables that say what breaks at runtime and link
 * to the spec line, then the rest folded away.
 */
export function formatPullRequestComment(report: SpecDiffJson, links: LinkTarget): string {
  const counts = countByKind(report.changes);
  const lines = [COMMENT_MARKER, `## Spec changes against \`${report.base}\``, ''];
  if (report.changes.length === 0) {
    lines.push('No spec changes.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `${counts.breaking} breaking, ${counts['non-breaking']} non-breaking, ${counts.documentation} documentation.`,
    '',
    verdict(report.gate),
  );
  const runtime = report.changes.filter((change) => change.area === 'runtime');
  const breaking = report.changes.filter((change) => change.area !== 'runtime' && change.kind === 'breaking');
  if (runtime.length > 0) lines.push('', '### Runtime behaviour', '', ...table(runtime, links, true));
  if (breaking.length > 0) lines.push('', '### Breaking', '', ...table(breaking, links, false));
  for (const kind of ['non-breaking', 'documentation'] as const) {
    const rest = report.changes.filter((change) => change.area !== 'runtime' && change.kind === kind);
    if (rest.length === 0) continue;
    lines.push(
      '',
      `<details><summary>${kind === 'non-breaking' ? 'Non-breaking' : 'Documentation'} (${rest.length})</summary>`,
      '',
    );
    for (const change of rest)
      lines.push(`- ${subject(change)}: ${escapeCell(change.message)} ${link(change, links)}`.trimEnd());
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

function verdict(gate: ChangesetGate | undefined): string {
  if (!gate || gate.required.length === 0) return 'No breaking change: no major bump needed.';
  if (gate.missing.length === 0) {
    return `Breaking changes declared by a major bump of ${gate.required.join(', ')} in ${gate.majorChangesets.map((name) => `\`.changeset/${name}\``).join(', ')}.`;
  }
  return `**Needs a changeset of this pull request with a major bump of ${gate.missing.join(', ')}** (changesets already on the base branch do not count).`;
}

function table(changes: SpecChange[], links: LinkTarget, withKind: boolean): string[] {
  const head = withKind
    ? '| | where | change | at runtime | spec |'
    : '| where | change | at runtime | spec |';
  const rule = withKind ? '|---|---|---|---|---|' : '|---|---|---|---|';
  return [
    head,
    rule,
    ...changes.map((change) => {
      const cells = [
        subject(change),
        escapeCell(change.message),
        escapeCell(change.impact ?? ''),
        link(change, links),
      ];
      return `| ${withKind ? `${change.kind} | ` : ''}${cells.join(' | ')} |`;
    }),
  ];
}

function subject(change: SpecChange): string {
  return change.operation ? `\`${change.operation.operationId}\`` : 'whole spec';
}

function link(change: SpecChange, links: LinkTarget): string {
  if (!change.source) return '';
  const sha = change.source.side === 'base' ? links.baseSha : links.headSha;
  const { file, line } = change.source;
  return `[${file.replace(/^spec\//, '')}#L${line}](${links.repositoryUrl}/blob/${sha}/${file}#L${line})`;
}

/** Table cells cannot hold pipes or line breaks. */
function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
