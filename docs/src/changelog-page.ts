import { type ChangeKind, type Changelog, type ChangelogSection, RELEASE_TAG_PREFIX } from './changelog';
import { escapeHtml, layout } from './pages';

const KINDS: [ChangeKind, string][] = [
  ['breaking', 'Breaking'],
  ['non-breaking', 'Non-breaking'],
  ['documentation', 'Documentation'],
];

/** `pageOf(operationId)` is the reference page the operation is on. */
function sectionHtml(section: ChangelogSection, pageOf: (operationId: string) => string | undefined): string {
  const id = `v-${section.version.replace(/[^\w.-]+/g, '-')}`;
  if (section.since === undefined) {
    return `<section class="release" id="${id}"><h2>${escapeHtml(section.version)}</h2>
<p>The first release: every operation in it is new.</p></section>`;
  }
  const counts = KINDS.map(
    ([kind, label]) => `${section.changes.filter((c) => c.kind === kind).length} ${label.toLowerCase()}`,
  );
  const groups = KINDS.map(([kind, label]) => {
    const changes = section.changes.filter((change) => change.kind === kind);
    if (changes.length === 0) return '';
    const items = changes
      .map((change) => {
        const operation = change.operation;
        const page = operation && pageOf(operation.operationId);
        const where = !operation
          ? 'Whole spec'
          : `<a href="${page ? `reference/${page}` : 'reference/index.html'}#operation/${escapeHtml(operation.operationId)}"><code>${escapeHtml(operation.operationId)}</code></a> <span class="route">${escapeHtml(operation.method.toUpperCase())} ${escapeHtml(operation.path)}</span>`;
        return `<li>${where}: ${escapeHtml(change.message)}</li>`;
      })
      .join('\n');
    return `<h3 class="kind-${kind}">${label} (${changes.length})</h3>\n<ul class="changes">\n${items}\n</ul>`;
  }).join('\n');
  return `<section class="release" id="${id}"><h2>${escapeHtml(section.version)}</h2>
<p class="since">Compared with ${escapeHtml(section.since)}: ${counts.join(', ')}.</p>
${section.changes.length === 0 ? '<p>No change to the spec.</p>' : groups}
</section>`;
}

export function changelogPage(
  changelog: Changelog,
  pageOf: (operationId: string) => string | undefined,
): string {
  const pending = changelog.pending
    .map(
      (changeset) =>
        `<li><code>.changeset/${escapeHtml(changeset.file)}</code>: ${escapeHtml(changeset.summary)}</li>`,
    )
    .join('\n');
  const none =
    changelog.sections.length === 0
      ? `<p class="lead">No version has been released yet, so there is nothing to compare with: every operation
in the reference will be new in the first release.</p>`
      : '';
  return layout({
    title: 'Changelog · wecom-kit',
    root: '',
    current: 'changelog.html',
    body: `<h1>Changelog</h1>
<p>What changed in the spec in each release, as <code>pnpm spec:diff --json</code> reports it between one
release and the next: breaking changes (a major version of <code>@wecom-kit/client</code>), non-breaking
additions, and documentation. A release is a <code>${RELEASE_TAG_PREFIX}&lt;version&gt;</code> git tag,
created by <code>changeset publish</code>; "Unreleased" compares the spec of this build with the last one.</p>
${none}
${pending ? `<h2>Pending changesets</h2>\n<ul class="pending">\n${pending}\n</ul>` : ''}
${changelog.sections.map((section) => sectionHtml(section, pageOf)).join('\n')}`,
  });
}
