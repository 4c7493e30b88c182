import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

interface SourceFile {
  contents: Node | null;
  lines: LineCounter;
}

/** Where a change is written in the spec's source files, relative to the spec folder. */
export interface SourceLine {
  file: string;
  line: number;
}

/**
 * Every YAML file of a spec folder, parsed with positions, so that a JSON pointer into the
 * bundled (and normalized) spec can be traced back to a file and line: `$ref`s are followed into
 * the files they name, and a property that normalization lifted out of an `allOf` is looked up in
 * the member that declares it.
 */
export class SpecSource {
  private constructor(private readonly files: Map<string, SourceFile>) {}

  static async read(specDir: string): Promise<SpecSource> {
    const files = new Map<string, SourceFile>();
    for (const name of await yamlFiles(specDir)) {
      const lines = new LineCounter();
      const document = parseDocument(await readFile(join(specDir, name), 'utf8'), { lineCounter: lines });
      files.set(name, { contents: document.contents, lines });
    }
    return new SpecSource(files);
  }

  /** The deepest point of `path` found in the source, with how many segments it matched. */
  locate(path: string[]): { source: SourceLine; depth: number } | undefined {
    let file = 'openapi.yaml';
    let node = this.files.get(file)?.contents ?? null;
    if (!node) return undefined;
    let found: { source: SourceLine; depth: number } = { source: { file, line: 1 }, depth: 0 };
    for (let depth = 0; depth < path.length; depth += 1) {
      const step = this.child({ file, node }, path[depth] as string, path[depth + 1]);
      if (!step) break;
      ({ file, node } = step);
      found = { source: { file: step.keyFile, line: step.line }, depth: depth + 1 };
    }
    return found;
  }

  private child(
    at: { file: string; node: Node },
    key: string,
    next: string | undefined,
  ): { file: string; node: Node; keyFile: string; line: number } | undefined {
    const { file, node } = this.resolve(at);
    if (isSeq(node)) {
      const item = node.items[Number(key)] as Node | undefined;
      return item ? { file, node: item, keyFile: file, line: this.lineOf(file, item) } : undefined;
    }
    if (!isMap(node)) return undefined;
    for (const pair of node.items) {
      if (!isScalar(pair.key) || String(pair.key.value) !== key || !pair.value) continue;
      const value = pair.value as Node;
      // `properties` is only the right branch of an allOf if it declares the next name.
      if (key === 'properties' && next !== undefined && !this.child({ file, node: value }, next, undefined))
        break;
      return { file, node: value, keyFile: file, line: this.lineOf(file, pair.key as Node) };
    }
    const allOf = node.get('allOf', true);
    if (isSeq(allOf)) {
      for (const member of allOf.items) {
        const step = this.child({ file, node: member as Node }, key, next);
        if (step) return step;
      }
    }
    return undefined;
  }

  /** Follows `$ref: other.yaml` (relative to the current file) until a node that is not a reference. */
  private resolve(at: { file: string; node: Node }): { file: string; node: Node } {
    let { file, node } = at;
    for (let hops = 0; hops < 20 && isMap(node); hops += 1) {
      const ref = node.get('$ref');
      if (typeof ref !== 'string' || ref.startsWith('#')) break;
      const [target = ''] = ref.split('#');
      const next = normalize(join(dirname(file), target));
      const contents = this.files.get(next)?.contents;
      if (!contents) break;
      file = next;
      node = contents;
    }
    return { file, node };
  }

  private lineOf(file: string, node: Node): number {
    const offset = node.range?.[0] ?? 0;
    return this.files.get(file)?.lines.linePos(offset).line ?? 1;
  }
}

async function yamlFiles(dir: string, root = dir): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) names.push(...(await yamlFiles(path, root)));
    else if (entry.name.endsWith('.yaml') || entry.name.endsWith('.yml')) names.push(relative(root, path));
  }
  return names;
}
