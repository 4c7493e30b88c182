import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Marked, type Token, type Tokens } from 'marked';
import type { GuideSummary } from './pages';

export interface Guide extends GuideSummary {
  html: string;
}

// Guides link to each other as Markdown files, which is what works when reading them in the
// repository; in the site the same links must point at the rendered pages.
const markdown = new Marked({
  gfm: true,
  walkTokens(token: Token) {
    if (token.type === 'link' && /^[\w-]+\.md(#.*)?$/.test(token.href)) {
      token.href = token.href.replace(/^(?:\d+-)?([\w-]+)\.md/, '$1.html');
    }
  },
  renderer: {
    heading({ tokens, depth, text }: Tokens.Heading) {
      const id = text
        .toLowerCase()
        .replace(/<[^>]+>|`/g, '')
        .replace(/[^\w\s-]/g, '')
        .trim()
        .replace(/\s+/g, '-');
      return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
  },
});

/** `01-getting-started.md` becomes `getting-started.html`; the number only orders the guides. */
export async function readGuides(dir: string): Promise<Guide[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  return Promise.all(
    files.map(async (file) => {
      const source = await readFile(join(dir, file), 'utf8');
      const tokens = markdown.lexer(source);
      const heading = tokens.find(
        (token): token is Tokens.Heading => token.type === 'heading' && token.depth === 1,
      );
      const paragraph = tokens.find((token): token is Tokens.Paragraph => token.type === 'paragraph');
      if (!heading || !paragraph) throw new Error(`${file} needs a # title and an opening paragraph.`);
      return {
        slug: file.replace(/^\d+-/, '').replace(/\.md$/, ''),
        title: heading.text,
        summary: plainText(paragraph.text),
        html: await markdown.parse(source),
      };
    }),
  );
}

function plainText(markdownText: string): string {
  return markdownText
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
