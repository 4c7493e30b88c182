import { mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The TypeScript code blocks of the docs a user reads first, and a consumer-like project to
 * type-check and run them in. A block is a ```ts or ```tsx fence; `compile-only` after the
 * language (```ts compile-only) marks one that is type-checked but not run, e.g. because it needs
 * a browser, Redis or a real corp.
 */
export interface DocBlock {
  /** The doc, e.g. docs/guides/02-tokens.md. */
  file: string;
  /** The doc and the line of the opening fence, e.g. docs/guides/02-tokens.md:14. */
  where: string;
  language: 'ts' | 'tsx';
  compileOnly: boolean;
  code: string;
  /** The file name the block gets in the project. */
  fileName: string;
}

const FENCE = /^```(tsx?)(?:[ \t]+(.*))?$/;

export function docFiles(repoRoot: string): string[] {
  const inDir = (dir: string, match: (name: string) => boolean) =>
    readdirSync(join(repoRoot, dir))
      .filter(match)
      .sort()
      .map((name) => join(dir, name));
  const packageReadmes = readdirSync(join(repoRoot, 'packages'))
    .sort()
    .map((name) => join('packages', name, 'README.md'))
    .filter((path) => readdirSync(join(repoRoot, dirname(path))).includes('README.md'));
  return ['README.md', ...packageReadmes, ...inDir('docs/guides', (name) => name.endsWith('.md'))];
}

export function extractBlocks(repoRoot: string, files: string[]): DocBlock[] {
  const blocks: DocBlock[] = [];
  for (const file of files) {
    const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
    for (let index = 0; index < lines.length; index += 1) {
      const fence = FENCE.exec(lines[index] ?? '');
      if (!fence) continue;
      const start = index;
      const body: string[] = [];
      for (index += 1; index < lines.length && !lines[index]?.startsWith('```'); index += 1) {
        body.push(lines[index] ?? '');
      }
      const flags = (fence[2] ?? '').split(/\s+/).filter(Boolean);
      const unknown = flags.filter((flag) => flag !== 'compile-only');
      if (unknown.length > 0) {
        throw new Error(
          `${file}:${start + 1}: unknown code-block flag ${unknown.join(', ')}; the only one is compile-only.`,
        );
      }
      const language = fence[1] as 'ts' | 'tsx';
      const slug = file.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-md$/, '');
      blocks.push({
        file,
        where: `${file}:${start + 1}`,
        language,
        compileOnly: flags.includes('compile-only'),
        code: body.join('\n'),
        fileName: `${slug}-L${start + 1}.${language}`,
      });
    }
  }
  return blocks;
}

/** Where a consumer's node_modules would point: the workspace packages (their built exports) and the libraries the docs use. */
function linkDependencies(repoRoot: string, project: string): void {
  const fromHooks = createRequire(join(repoRoot, 'packages/react-hooks/package.json'));
  const fromCore = createRequire(join(repoRoot, 'packages/core/package.json'));
  const fromRoot = createRequire(join(repoRoot, 'package.json'));
  const packageDir = (require: NodeRequire, name: string) =>
    dirname(realpathSync(require.resolve(`${name}/package.json`)));
  const links: Record<string, string> = {
    '@wecom-kit/core': join(repoRoot, 'packages/core'),
    '@wecom-kit/client': join(repoRoot, 'packages/client'),
    '@wecom-kit/react-hooks': join(repoRoot, 'packages/react-hooks'),
    '@wecom-kit/sandbox': join(repoRoot, 'packages/sandbox'),
    react: packageDir(fromHooks, 'react'),
    '@types/react': packageDir(fromHooks, '@types/react'),
    '@tanstack/react-query': packageDir(fromHooks, '@tanstack/react-query'),
    ioredis: packageDir(fromCore, 'ioredis'),
    '@types/node': packageDir(fromRoot, '@types/node'),
    // Guide 08 registers OpenTelemetry providers the way an app does (these packages export no
    // ./package.json to resolve: their links in tests/node_modules are followed instead).
    ...Object.fromEntries(
      ['api', 'context-async-hooks', 'sdk-metrics', 'sdk-trace-base'].map((name) => [
        `@opentelemetry/${name}`,
        realpathSync(join(repoRoot, 'tests/node_modules/@opentelemetry', name)),
      ]),
    ),
  };
  for (const [name, target] of Object.entries(links)) {
    const link = join(project, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
}

/**
 * Writes every block as its own module of a strict NodeNext project (how a Node consumer compiles),
 * which emits JavaScript to `out/` so the runnable blocks can be run with node.
 */
export function writeProject(repoRoot: string, project: string, blocks: DocBlock[]): void {
  mkdirSync(join(project, 'src'), { recursive: true });
  linkDependencies(repoRoot, project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'docs-as-a-consumer', type: 'module' }),
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        moduleDetection: 'force',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        jsx: 'react-jsx',
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        types: ['node'],
        rootDir: 'src',
        outDir: 'out',
      },
      include: ['src'],
    }),
  );
  for (const block of blocks) writeFileSync(join(project, 'src', block.fileName), `${block.code}\n`);
}

/** Whether tsc reported anything in this block. */
export function hasDiagnostics(output: string, block: DocBlock): boolean {
  return output.includes(`src/${block.fileName}(`);
}

/** tsc's diagnostics with each block's file name replaced by the doc and line it came from. */
export function locateDiagnostics(output: string, blocks: DocBlock[]): string {
  return blocks.reduce((text, block) => {
    const pattern = new RegExp(`src/${block.fileName.replace(/\./g, '\\.')}\\((\\d+),(\\d+)\\)`, 'g');
    const fenceLine = Number(block.where.slice(block.file.length + 1));
    return text.replace(pattern, (_match, line: string, column: string) => {
      return `${block.file}:${fenceLine + Number(line)}:${column}`;
    });
  }, output);
}

export function outputFile(project: string, block: DocBlock): string {
  return join(project, 'out', block.fileName.replace(/\.tsx?$/, '.js'));
}
