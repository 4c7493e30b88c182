/**
 * The reference as one Redoc page per tag group. Redoc 2 renders every operation of its spec up
 * front and has no lazy rendering; measured on a 2-core machine, the whole 98-operation spec
 * took 4-5 s to show its first operation, most of it React rendering and laying out the page.
 * A group page holds at most about 13 operations, so it renders in a fraction of that, and the
 * portal's own search and group bar reach across pages.
 */
import type { Spec } from './code-samples';

interface TagGroup {
  name: string;
  tags: string[];
}

export interface ReferenceGroupPage {
  /** The file under reference/: the first group is index.html, so /reference/ opens it. */
  file: string;
  name: string;
  tags: string[];
  spec: Spec;
}

/** What readers never see in Redoc, left out of the pages (the downloadable spec keeps it). */
const HIDDEN_ROOT_KEYS = ['x-wecom-errcodes'];

export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function tagGroupsOf(spec: Spec): TagGroup[] {
  const groups = spec['x-tagGroups'];
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new Error('the spec has no x-tagGroups; the reference is split into one page per tag group.');
  }
  return groups as TagGroup[];
}

/** Keeps the path items' operations whose first tag is in `tags`; drops items left empty. */
function pickOperations(items: Spec['paths'] | undefined, tags: Set<string>): Spec['paths'] | undefined {
  if (!items) return undefined;
  const picked: Spec['paths'] = {};
  for (const [path, item] of Object.entries(items)) {
    const kept = Object.entries(item).filter(([, operation]) => {
      const first = (operation?.tags as string[] | undefined)?.[0];
      return first !== undefined && tags.has(first);
    });
    if (kept.length > 0) picked[path] = Object.fromEntries(kept);
  }
  return picked;
}

export function splitReference(spec: Spec): ReferenceGroupPage[] {
  const groups = tagGroupsOf(spec);
  const shared = Object.fromEntries(
    Object.entries(spec).filter(([key]) => !HIDDEN_ROOT_KEYS.includes(key)),
  ) as Spec;
  const info = spec.info as Record<string, unknown> | undefined;
  const pages = groups.map((group, index) => {
    const tags = new Set(group.tags);
    const page: Spec = {
      ...shared,
      // The overview is read once, on the first page; the others start with their operations.
      info: index === 0 ? info : { ...info, description: undefined },
      tags: (spec.tags as { name: string }[] | undefined)?.filter((tag) => tags.has(tag.name)),
      'x-tagGroups': [group],
      paths: pickOperations(spec.paths, tags) ?? {},
    };
    const webhooks = pickOperations(spec.webhooks as Spec['paths'] | undefined, tags);
    if (webhooks && Object.keys(webhooks).length > 0) page.webhooks = webhooks;
    else delete page.webhooks;
    page.components = componentsUsedBy(page);
    const file = index === 0 ? 'index.html' : `${slugOf(group.name)}.html`;
    return { file, name: group.name, tags: group.tags, spec: page };
  });
  const placed = new Set(pages.flatMap((page) => operationIdsOf(page.spec)));
  const orphans = operationIdsOf(spec).filter((id) => !placed.has(id));
  if (orphans.length > 0) {
    throw new Error(
      `${orphans.join(', ')}: the first tag of each operation must belong to an x-tagGroups entry, or the reference would leave it out.`,
    );
  }
  return pages;
}

const COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)$/;

/**
 * The page's components, without those none of its operations reach through `$ref`: each page
 * carried all of them (about 70 KB, most of a one-operation page's spec), which the browser
 * parses and Redoc processes for nothing. Security schemes are named, not referenced: all kept.
 */
function componentsUsedBy(page: Spec): Spec['components'] {
  const all = (page.components ?? {}) as Record<string, Record<string, unknown>>;
  const used: Record<string, Record<string, unknown>> = {};
  if (all.securitySchemes) used.securitySchemes = all.securitySchemes;
  const pending: unknown[] = [page.paths, page.webhooks];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (node && typeof node === 'object') {
      const ref = (node as { $ref?: unknown }).$ref;
      const match = typeof ref === 'string' ? COMPONENT_REF.exec(ref) : null;
      const [kind, name] = [match?.[1] ?? '', decodeURIComponent(match?.[2] ?? '')];
      const target = all[kind]?.[name];
      if (target !== undefined && used[kind]?.[name] === undefined) {
        used[kind] = { ...used[kind], [name]: target };
        pending.push(target);
      }
      pending.push(...Object.values(node));
    }
  }
  return used as Spec['components'];
}

/** Every operationId of the spec's paths and webhooks. */
export function operationIdsOf(spec: Spec): string[] {
  return [spec.paths, spec.webhooks as Spec['paths'] | undefined]
    .flatMap((items) => Object.values(items ?? {}))
    .flatMap((item) => Object.values(item).map((operation) => operation?.operationId))
    .filter((id): id is string => typeof id === 'string');
}
