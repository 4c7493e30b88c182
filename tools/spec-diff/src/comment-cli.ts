// `tsx tools/spec-diff/src/comment-cli.ts spec-diff.json`: the pull-request comment (Markdown) for
// the output of `pnpm spec:diff --json`. Links use GITHUB_SERVER_URL, GITHUB_REPOSITORY, BASE_SHA
// and HEAD_SHA, which the CI workflow sets.
import { readFile } from 'node:fs/promises';
import { formatPullRequestComment, type SpecDiffJson } from './comment';

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, BASE_SHA, HEAD_SHA } = process.env;
  if (!file || !GITHUB_REPOSITORY || !BASE_SHA || !HEAD_SHA) {
    console.error(
      'Usage: GITHUB_REPOSITORY=owner/name BASE_SHA=<sha> HEAD_SHA=<sha> tsx tools/spec-diff/src/comment-cli.ts <spec-diff.json>',
    );
    process.exitCode = 2;
    return;
  }
  const report = JSON.parse(await readFile(file, 'utf8')) as SpecDiffJson;
  const repositoryUrl = `${GITHUB_SERVER_URL ?? 'https://github.com'}/${GITHUB_REPOSITORY}`;
  process.stdout.write(
    formatPullRequestComment(report, { repositoryUrl, baseSha: BASE_SHA, headSha: HEAD_SHA }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
